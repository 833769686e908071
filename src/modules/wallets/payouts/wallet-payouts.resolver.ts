import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../../common/auth/auth-user';
import { CurrentUser } from '../../../common/auth/current-user.decorator';
import { Roles, SessionOnly } from '../../../common/auth/roles.decorator';
import { AuditActorParam } from '../../audit/audit-actor';
import type { AuditActor } from '../../audit/audit.types';
import { ALL_ROLES, Role } from '../../users/role';
import { mapConnection } from '../wallets.resolver';
import { toWalletPayoutModel, WalletPayout, WalletPayoutConnection } from './wallet-payout.model';
import { WalletPayoutReconciliationService } from './wallet-payout-reconciliation.service';
import { WalletPayoutsArgs, WithdrawFundsInput } from './wallet-payouts.inputs';
import { WalletPayoutsService } from './wallet-payouts.service';

@Resolver(() => WalletPayout)
export class WalletPayoutsResolver {
  constructor(
    private readonly payouts: WalletPayoutsService,
    private readonly reconciliation: WalletPayoutReconciliationService,
  ) {}

  @Mutation(() => WalletPayout, {
    description:
      'Withdraws money from your wallet to M-Pesa or PayPal. The amount is held at once and leaves the wallet when the gateway confirms; a refusal returns the payout FAILED with the money available again.',
  })
  @Roles(Role.CUSTOMER, Role.MERCHANT)
  @SessionOnly()
  async withdrawFunds(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'Wallet, amount, gateway, recipient and idempotency key.' })
    input: WithdrawFundsInput,
  ): Promise<WalletPayout> {
    return toWalletPayoutModel(await this.payouts.withdraw(caller, actor, input));
  }

  @Query(() => WalletPayoutConnection, {
    description: 'Withdrawals, newest first: yours, or any for staff.',
  })
  @Roles(...ALL_ROLES)
  @SessionOnly()
  async walletPayouts(
    @CurrentUser() caller: AuthUser,
    @Args() args: WalletPayoutsArgs,
  ): Promise<WalletPayoutConnection> {
    const page = await this.payouts.list(caller, {
      walletId: args.walletId,
      status: args.status,
      needsReview: args.needsReview,
      first: args.first ?? 20,
      after: args.after,
    });
    return mapConnection(page, toWalletPayoutModel);
  }

  @Query(() => WalletPayout, { description: 'One withdrawal: yours, or any for staff.' })
  @Roles(...ALL_ROLES)
  @SessionOnly()
  async walletPayout(
    @CurrentUser() caller: AuthUser,
    @Args('id', { type: () => ID, description: 'The withdrawal’s id.' }, ParseUUIDPipe) id: string,
  ): Promise<WalletPayout> {
    return toWalletPayoutModel(await this.payouts.findVisibleOrThrow(caller, id));
  }

  @Mutation(() => WalletPayout, {
    description:
      'Asks the gateway about an open withdrawal now and applies the answer (admins). M-Pesa answers by callback, so the payout may settle moments later.',
  })
  @Roles(Role.ADMIN)
  async reconcileWalletPayout(
    @AuditActorParam() actor: AuditActor,
    @Args('id', { type: () => ID, description: 'The withdrawal’s id.' }, ParseUUIDPipe) id: string,
  ): Promise<WalletPayout> {
    const { payout } = await this.reconciliation.reconcile(id, actor);
    return toWalletPayoutModel(payout);
  }
}
