import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { Roles, SessionOnly } from '../../common/auth/roles.decorator';
import type { Connection } from '../../common/graphql/pagination';
import { AuditActorParam } from '../audit/audit-actor';
import type { AuditActor } from '../audit/audit.types';
import { ALL_ROLES, Role } from '../users/role';
import {
  OpenWalletInput,
  TransferFundsInput,
  WalletHoldsArgs,
  WalletsArgs,
  WalletStatementArgs,
} from './dto/wallets.inputs';
import { toWalletHoldModel, WalletHoldConnection } from './models/wallet-hold.model';
import {
  toWalletStatementLineModel,
  WalletStatementConnection,
} from './models/wallet-statement.model';
import { toWalletTransferModel, WalletTransfer } from './models/wallet-transfer.model';
import { toWalletModel, Wallet, WalletConnection } from './models/wallet.model';
import { WalletHoldsService } from './wallet-holds.service';
import { WalletTransfersService } from './wallet-transfers.service';
import { WalletsService } from './wallets.service';

// Wallets are personal: users with a wallet of their own, never a merchant's API key.
const OWNERS = [Role.CUSTOMER, Role.MERCHANT];

export const mapConnection = <From, To>(
  page: Connection<From>,
  toNode: (node: From) => To,
): Connection<To> => ({
  ...page,
  edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toNode(edge.node) })),
});

@Resolver(() => Wallet)
export class WalletsResolver {
  constructor(
    private readonly walletsService: WalletsService,
    private readonly transfersService: WalletTransfersService,
    private readonly holdsService: WalletHoldsService,
  ) {}

  @Query(() => WalletConnection, {
    description: 'Your wallets, newest first; staff may list any user’s with `userId`.',
  })
  @Roles(...ALL_ROLES)
  @SessionOnly()
  async wallets(
    @CurrentUser() caller: AuthUser,
    @Args() args: WalletsArgs,
  ): Promise<WalletConnection> {
    const page = await this.walletsService.list(caller, {
      userId: args.userId,
      first: args.first ?? 20,
      after: args.after,
    });
    const balances = await this.walletsService.balancesOf(page.edges.map((edge) => edge.node));
    return mapConnection(page, (wallet) => toWalletModel(wallet, balances.get(wallet.id)!));
  }

  @Query(() => Wallet, { description: 'One wallet: yours, or any for staff.' })
  @Roles(...ALL_ROLES)
  @SessionOnly()
  async wallet(
    @CurrentUser() caller: AuthUser,
    @Args('id', { type: () => ID, description: 'The wallet’s id.' }, ParseUUIDPipe) id: string,
  ): Promise<Wallet> {
    const wallet = await this.walletsService.findVisibleOrThrow(caller, id);
    return toWalletModel(wallet, await this.walletsService.balancesOfOne(wallet));
  }

  @Query(() => WalletStatementConnection, {
    description:
      'A wallet’s movements, newest first, each with the balance after it and the other side.',
  })
  @Roles(...ALL_ROLES)
  @SessionOnly()
  async walletStatement(
    @CurrentUser() caller: AuthUser,
    @Args() args: WalletStatementArgs,
  ): Promise<WalletStatementConnection> {
    const page = await this.walletsService.statement(
      caller,
      args.walletId,
      args.first ?? 20,
      args.after,
    );
    return mapConnection(page, toWalletStatementLineModel);
  }

  @Query(() => WalletHoldConnection, {
    description: 'Holds on a wallet, newest first (the owner, or staff).',
  })
  @Roles(...ALL_ROLES)
  @SessionOnly()
  async walletHolds(
    @CurrentUser() caller: AuthUser,
    @Args() args: WalletHoldsArgs,
  ): Promise<WalletHoldConnection> {
    const page = await this.holdsService.list(caller, args.walletId, {
      status: args.status,
      first: args.first ?? 20,
      after: args.after,
    });
    return mapConnection(page, toWalletHoldModel);
  }

  @Mutation(() => Wallet, {
    description: 'Opens your wallet in a currency, or returns the one already open.',
  })
  @Roles(...OWNERS)
  @SessionOnly()
  async openWallet(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The currency.' }) input: OpenWalletInput,
  ): Promise<Wallet> {
    const wallet = await this.walletsService.open(caller.userId, input.currency, actor);
    return toWalletModel(wallet, await this.walletsService.balancesOfOne(wallet));
  }

  @Mutation(() => WalletTransfer, {
    description:
      'Sends money from your wallet to another user’s wallet in the same currency (opened for them if needed).',
  })
  @Roles(...OWNERS)
  @SessionOnly()
  async transferFunds(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'From, to, amount and idempotency key.' })
    input: TransferFundsInput,
  ): Promise<WalletTransfer> {
    return toWalletTransferModel(await this.transfersService.transfer(caller, actor, input));
  }
}
