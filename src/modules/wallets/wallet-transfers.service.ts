import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { withTransaction } from '../../database/transaction';
import type { AuditActor } from '../audit/audit.types';
import { AuditService } from '../audit/audit.service';
import { isLedgerInsufficientFunds } from '../ledger/ledger.errors';
import { LedgerService } from '../ledger/ledger.service';
import { IdempotencyService } from '../payments/idempotency/idempotency.service';
import { UserEntity } from '../users/entities/user.entity';
import { UserStatus } from '../users/user-status';
import { UsersService } from '../users/users.service';
import { WalletTransferEntity } from './entities/wallet-transfer.entity';
import { walletAccount, WalletJournalKind } from './wallet-accounts';
import { WalletError, WalletErrorCode } from './wallets.errors';
import { WalletsService } from './wallets.service';
import { runWalletCommand } from './wallet-idempotency';

export interface TransferRequest {
  readonly fromWalletId: string;
  /** Exactly one of toEmail and toPhone names the recipient. */
  readonly toEmail?: string | null;
  readonly toPhone?: string | null;
  readonly amountMinor: number;
  readonly currency: string;
  readonly note?: string | null;
  /** Required: a retry with the same key replays the first outcome instead of paying twice. */
  readonly idempotencyKey: string;
}

/** Phone numbers are stored as 8 to 15 digits (E.164 without the plus). */
const normalizePhone = (phone: string): string => phone.replace(/[\s().+-]/g, '');

/**
 * Wallet-to-wallet transfers in one currency. Each runs in one short transaction that locks both
 * wallet rows in id order, checks status, limits and available balance, and posts the journal.
 */
@Injectable()
export class WalletTransfersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WalletTransferEntity)
    private readonly transfers: Repository<WalletTransferEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly usersService: UsersService,
    private readonly wallets: WalletsService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
  ) {}

  /** Moves money from one of the caller's wallets to another user's wallet (opened on demand). */
  async transfer(
    caller: AuthUser,
    actor: AuditActor,
    input: TransferRequest,
  ): Promise<WalletTransferEntity> {
    const { idempotencyKey, ...request } = input;
    const transferId = await runWalletCommand(
      this.idempotency,
      caller,
      idempotencyKey,
      'transferFunds',
      request,
      () => this.transferOnce(caller, actor, request),
    );
    return this.transfers.findOneByOrFail({ id: transferId });
  }

  /** A transfer the caller sent or received (staff: any). */
  async findVisibleOrThrow(caller: AuthUser, id: string): Promise<WalletTransferEntity> {
    const transfer = await this.transfers.findOneBy({ id });
    if (transfer) {
      for (const walletId of [transfer.fromWalletId, transfer.toWalletId]) {
        const wallet = await this.wallets.findByIdOrThrow(walletId).catch(() => null);
        if (wallet && this.wallets.canSee(caller, wallet)) return transfer;
      }
    }
    throw new WalletError(WalletErrorCode.WALLET_TRANSFER_NOT_FOUND, `No transfer ${id}`);
  }

  private async transferOnce(
    caller: AuthUser,
    actor: AuditActor,
    request: Omit<TransferRequest, 'idempotencyKey'>,
  ): Promise<string> {
    const amount = request.amountMinor;
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      throw new WalletError(
        WalletErrorCode.WALLET_INVALID_INPUT,
        'amountMinor must be a positive integer',
        { fields: { amountMinor: ['must be a positive integer'] } },
      );
    }
    const from = await this.wallets.findOwnedOrThrow(caller, request.fromWalletId);
    if (request.currency.toUpperCase() !== from.currency) {
      throw new WalletError(
        WalletErrorCode.WALLET_CURRENCY_MISMATCH,
        `The wallet holds ${from.currency}, not ${request.currency}`,
        { walletCurrency: from.currency },
      );
    }
    const recipient = await this.findRecipient(request);
    if (recipient.id === from.userId) {
      throw new WalletError(
        WalletErrorCode.WALLET_SELF_TRANSFER,
        'You cannot send money to yourself',
      );
    }
    // Opened outside the transfer transaction: it commits on its own and is harmless if unused.
    const to = await this.wallets.ensureWallet(recipient.id, from.currency, actor);

    try {
      return await withTransaction(this.dataSource, async (manager) => {
        const locked = await this.wallets.lockWallets(manager, [from.id, to.id]);
        const source = locked.get(from.id)!;
        const target = locked.get(to.id)!;
        this.wallets.assertActive(source);
        this.wallets.assertActive(target, 'The recipient’s wallet');
        await this.wallets.assertWithinLimits(manager, source, amount, 'transfer');
        await this.wallets.assertAvailable(manager, source, amount);

        const id = randomUUID();
        // Audit and transfer rows first: the ledger's chain-head lock is taken last and held the shortest.
        await this.audit.record(manager, {
          actor,
          action: 'wallet.transfer',
          objectType: 'wallet_transfer',
          objectId: id,
          merchantId: null,
          details: {
            fromWalletId: source.id,
            toWalletId: target.id,
            amountMinor: amount,
            currency: source.currency,
          },
        });
        await manager.insert(WalletTransferEntity, {
          id,
          fromWalletId: source.id,
          toWalletId: target.id,
          initiatedBy: caller.userId,
          amountMinor: amount,
          currency: source.currency,
          note: request.note?.trim() || null,
        });
        await this.ledger.post(manager, {
          kind: WalletJournalKind.Transfer,
          reference: id,
          description: 'Wallet transfer',
          postings: [
            // Debiting a credit-normal wallet account takes money out of it.
            { account: walletAccount(source), amountMinor: amount },
            { account: walletAccount(target), amountMinor: -amount },
          ],
        });
        return id;
      });
    } catch (error) {
      // The ledger is the last word on "never below zero"; say it in wallet terms.
      if (isLedgerInsufficientFunds(error)) {
        throw new WalletError(
          WalletErrorCode.WALLET_INSUFFICIENT_FUNDS,
          'The wallet does not hold enough money for this transfer',
          { walletId: from.id },
        );
      }
      throw error;
    }
  }

  private async findRecipient(
    request: Pick<TransferRequest, 'toEmail' | 'toPhone'>,
  ): Promise<UserEntity> {
    const byEmail = Boolean(request.toEmail);
    const byPhone = Boolean(request.toPhone);
    if (byEmail === byPhone) {
      throw new WalletError(
        WalletErrorCode.WALLET_INVALID_INPUT,
        'Give exactly one of toEmail and toPhone',
        { fields: { toEmail: ['give exactly one of toEmail and toPhone'] } },
      );
    }
    let recipient: UserEntity | null;
    if (byEmail) {
      recipient = await this.usersService.findByEmail(request.toEmail!);
    } else {
      const matches = await this.users.find({
        where: { phone: normalizePhone(request.toPhone!) },
        take: 2,
      });
      if (matches.length > 1) {
        throw new WalletError(
          WalletErrorCode.WALLET_RECIPIENT_AMBIGUOUS,
          'Several users have this phone number; send by email instead',
        );
      }
      recipient = matches[0] ?? null;
    }
    // A suspended user reads as unknown: never confirm which accounts exist.
    if (!recipient || recipient.status !== UserStatus.ACTIVE) {
      throw new WalletError(
        WalletErrorCode.WALLET_RECIPIENT_NOT_FOUND,
        'No Payrail user matches this recipient',
      );
    }
    return recipient;
  }
}
