import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { Roles } from '../../common/auth/roles.decorator';
import { AuditActorParam } from '../audit/audit-actor';
import type { AuditActor } from '../audit/audit.types';
import { Role } from '../users/role';
import {
  ProposeWalletAdjustmentInput,
  RejectWalletAdjustmentInput,
  SetWalletLimitsInput,
  WalletAdjustmentsArgs,
  WalletStatusInput,
} from './dto/wallets.inputs';
import { CaptureWalletHoldInput, PlaceWalletHoldInput } from './dto/wallet-holds.inputs';
import {
  toWalletAdjustmentModel,
  WalletAdjustment,
  WalletAdjustmentConnection,
} from './models/wallet-adjustment.model';
import { toWalletHoldModel, WalletHold } from './models/wallet-hold.model';
import { toWalletModel, Wallet } from './models/wallet.model';
import { WalletAdjustmentsService } from './wallet-adjustments.service';
import { WalletHoldsService } from './wallet-holds.service';
import { WalletStatus } from './wallet-status';
import { WalletsService } from './wallets.service';
import { mapConnection } from './wallets.resolver';

/** Staff operations on wallets: freezing, limits, releasing holds, two-person adjustments. */
@Resolver(() => Wallet)
export class WalletsAdminResolver {
  constructor(
    private readonly walletsService: WalletsService,
    private readonly holdsService: WalletHoldsService,
    private readonly adjustmentsService: WalletAdjustmentsService,
  ) {}

  @Mutation(() => Wallet, {
    description: 'Freezes a wallet: no transfers in or out and no new holds (admins).',
  })
  @Roles(Role.ADMIN)
  async freezeWallet(
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The wallet and why.' }) input: WalletStatusInput,
  ): Promise<Wallet> {
    return this.withBalances(
      await this.walletsService.setStatus(input.walletId, WalletStatus.FROZEN, actor, input.reason),
    );
  }

  @Mutation(() => Wallet, { description: 'Unfreezes a frozen wallet (admins).' })
  @Roles(Role.ADMIN)
  async unfreezeWallet(
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The wallet and why.' }) input: WalletStatusInput,
  ): Promise<Wallet> {
    return this.withBalances(
      await this.walletsService.setStatus(input.walletId, WalletStatus.ACTIVE, actor, input.reason),
    );
  }

  @Mutation(() => Wallet, { description: 'Changes a wallet’s transfer limits (admins).' })
  @Roles(Role.ADMIN)
  async setWalletLimits(
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The wallet and its new limits.' }) input: SetWalletLimitsInput,
  ): Promise<Wallet> {
    const { walletId, ...limits } = input;
    return this.withBalances(await this.walletsService.setLimits(walletId, limits, actor));
  }

  @Mutation(() => WalletHold, {
    description: 'Releases an active hold: its money is available again (admins).',
  })
  @Roles(Role.ADMIN)
  async releaseWalletHold(
    @AuditActorParam() actor: AuditActor,
    @Args('holdId', { type: () => ID, description: 'The hold.' }, ParseUUIDPipe) holdId: string,
  ): Promise<WalletHold> {
    return toWalletHoldModel(await this.holdsService.releaseHold(holdId, actor));
  }

  @Mutation(() => WalletHold, {
    description:
      'Reserves part of a wallet’s available balance until it is captured, released or lapses (admins).',
  })
  @Roles(Role.ADMIN)
  async placeWalletHold(
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The wallet, amount, expiry and reference.' })
    input: PlaceWalletHoldInput,
  ): Promise<WalletHold> {
    const { expiresInSeconds, ...request } = input;
    return toWalletHoldModel(
      await this.holdsService.placeStaffHold(
        { ...request, expiresAt: new Date(Date.now() + expiresInSeconds * 1000) },
        actor,
      ),
    );
  }

  @Mutation(() => WalletHold, {
    description:
      'Captures all or part of an active hold into a merchant’s balance; the rest is released (admins).',
  })
  @Roles(Role.ADMIN)
  async captureWalletHold(
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The hold, amount and receiving merchant.' })
    input: CaptureWalletHoldInput,
  ): Promise<WalletHold> {
    return toWalletHoldModel(
      await this.holdsService.captureStaffHold(
        input.holdId,
        input.amountMinor,
        input.merchantId,
        actor,
      ),
    );
  }

  @Query(() => WalletAdjustmentConnection, {
    description: 'Manual wallet adjustments, newest first (staff).',
  })
  @Roles(Role.ADMIN, Role.SUPPORT)
  async walletAdjustments(
    @Args() args: WalletAdjustmentsArgs,
  ): Promise<WalletAdjustmentConnection> {
    const page = await this.adjustmentsService.list({
      status: args.status,
      walletId: args.walletId,
      first: args.first ?? 20,
      after: args.after,
    });
    return mapConnection(page, toWalletAdjustmentModel);
  }

  @Mutation(() => WalletAdjustment, {
    description:
      'Proposes a manual credit or debit of a wallet; nothing moves until a different admin approves (admins).',
  })
  @Roles(Role.ADMIN)
  async proposeWalletAdjustment(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'Wallet, signed amount and reason.' })
    input: ProposeWalletAdjustmentInput,
  ): Promise<WalletAdjustment> {
    return toWalletAdjustmentModel(
      await this.adjustmentsService.propose(
        caller.userId,
        input.walletId,
        input.amountMinor,
        input.reason,
        actor,
      ),
    );
  }

  @Mutation(() => WalletAdjustment, {
    description:
      'Approves and posts a proposed adjustment; the proposer cannot approve their own (admins).',
  })
  @Roles(Role.ADMIN)
  async approveWalletAdjustment(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('id', { type: () => ID, description: 'The adjustment.' }, ParseUUIDPipe) id: string,
  ): Promise<WalletAdjustment> {
    return toWalletAdjustmentModel(await this.adjustmentsService.approve(caller.userId, id, actor));
  }

  @Mutation(() => WalletAdjustment, {
    description: 'Rejects (or withdraws) a proposed adjustment; nothing is posted (admins).',
  })
  @Roles(Role.ADMIN)
  async rejectWalletAdjustment(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The adjustment and an optional note.' })
    input: RejectWalletAdjustmentInput,
  ): Promise<WalletAdjustment> {
    return toWalletAdjustmentModel(
      await this.adjustmentsService.reject(caller.userId, input.adjustmentId, actor, input.note),
    );
  }

  private async withBalances(wallet: Parameters<typeof toWalletModel>[0]): Promise<Wallet> {
    return toWalletModel(wallet, await this.walletsService.balancesOfOne(wallet));
  }
}
