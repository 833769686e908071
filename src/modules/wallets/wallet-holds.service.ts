import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import {
  DataSource,
  type EntityManager,
  type FindOptionsWhere,
  LessThanOrEqual,
  Repository,
} from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import type { Connection } from '../../common/graphql/pagination';
import { findKeysetPage } from '../../database/keyset-page';
import { withTransaction } from '../../database/transaction';
import type { AuditActor } from '../audit/audit.types';
import { systemActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { accountIdFor } from '../ledger/ledger-accounts';
import { isLedgerInsufficientFunds } from '../ledger/ledger.errors';
import { LedgerService } from '../ledger/ledger.service';
import type { AccountRef } from '../ledger/ledger.types';
import { MerchantEntity } from '../users/entities/merchant.entity';
import { WalletHoldEntity } from './entities/wallet-hold.entity';
import { walletAccount, WalletJournalKind } from './wallet-accounts';
import { canTransitionHold, WalletHoldStatus } from './wallet-hold-status';
import { invalidWalletInput, WalletError, WalletErrorCode } from './wallets.errors';
import { WalletsService } from './wallets.service';

export interface PlaceHoldRequest {
  readonly walletId: string;
  readonly amountMinor: number;
  readonly expiresAt: Date;
  /** The caller's reference (e.g. `card-auth:<id>`): placing the same reference twice returns the first hold. */
  readonly reference: string;
  readonly reason?: string | null;
}

export interface HoldFilter {
  readonly status?: WalletHoldStatus;
  readonly first: number;
  readonly after?: string;
}

const SWEEP_BATCH = 200;

/**
 * Holds staff place by hand carry this reference prefix. Staff may capture only those: the other
 * holds belong to a card authorization, a payout or a wallet payment, which settle them themselves.
 */
export const STAFF_HOLD_PREFIX = 'staff:';

/**
 * Holds reserve part of a wallet's balance for a later payment (card authorisations, payouts,
 * pay-from-wallet). The money stays in the wallet's ledger account; the available balance is the
 * balance minus active, unexpired holds. Each method locks the wallet row, then the hold row.
 *
 * Every method takes an optional EntityManager so a caller can place, capture or release a hold
 * inside its own transaction (it must not have locked other wallets out of id order first).
 */
@Injectable()
export class WalletHoldsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WalletHoldEntity) private readonly holds: Repository<WalletHoldEntity>,
    private readonly wallets: WalletsService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  /** Reserves money; refused above the available balance or on a frozen wallet. */
  async placeHold(
    request: PlaceHoldRequest,
    actor: AuditActor,
    manager?: EntityManager,
  ): Promise<WalletHoldEntity> {
    const amount = request.amountMinor;
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      throw invalidWalletInput('amountMinor', 'must be a positive integer');
    }
    if (!(request.expiresAt instanceof Date) || request.expiresAt.getTime() <= Date.now()) {
      throw invalidWalletInput('expiresAt', 'must be in the future');
    }
    const reference = request.reference?.trim();
    if (!reference || reference.length > 200) {
      throw invalidWalletInput('reference', 'must be 1 to 200 characters');
    }
    return this.inTransaction(manager, async (tx) => {
      const wallet = (await this.wallets.lockWallets(tx, [request.walletId])).get(
        request.walletId,
      )!;
      // Same reference again (a retry): the first hold stands, if it asked for the same amount.
      const existing = await tx.findOneBy(WalletHoldEntity, { walletId: wallet.id, reference });
      if (existing) {
        if (existing.amountMinor !== amount) {
          throw new WalletError(
            WalletErrorCode.WALLET_HOLD_REFERENCE_TAKEN,
            `This wallet already has a hold with reference "${reference}" for a different amount`,
            { holdId: existing.id },
          );
        }
        return existing;
      }
      this.wallets.assertActive(wallet);
      await this.wallets.assertAvailable(tx, wallet, amount);
      const id = randomUUID();
      await tx.insert(WalletHoldEntity, {
        id,
        walletId: wallet.id,
        amountMinor: amount,
        capturedAmountMinor: 0,
        currency: wallet.currency,
        status: WalletHoldStatus.ACTIVE,
        reason: request.reason?.trim() || null,
        reference,
        expiresAt: request.expiresAt,
        capturedToAccountId: null,
        settledAt: null,
      });
      await this.audit.record(tx, {
        actor,
        action: 'wallet.hold.place',
        objectType: 'wallet_hold',
        objectId: id,
        merchantId: null,
        details: { walletId: wallet.id, amountMinor: amount, currency: wallet.currency, reference },
      });
      return tx.findOneByOrFail(WalletHoldEntity, { id });
    });
  }

  /**
   * Pays `amountMinor` (at most the held amount) from the wallet into `destination`, e.g. a
   * merchant balance; whatever was held beyond it is released. Posts journal
   * (wallet.hold.capture, <holdId>). Allowed on a frozen wallet: the money was promised before.
   */
  async captureHold(
    holdId: string,
    amountMinor: number,
    destination: AccountRef,
    actor: AuditActor,
    manager?: EntityManager,
  ): Promise<WalletHoldEntity> {
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
      throw invalidWalletInput('amountMinor', 'must be a positive integer');
    }
    try {
      return await this.inTransaction(manager, async (tx) => {
        const { hold, wallet } = await this.lockHold(tx, holdId);
        this.assertSettleable(hold, WalletHoldStatus.CAPTURED);
        if (amountMinor > hold.amountMinor) {
          throw new WalletError(
            WalletErrorCode.WALLET_HOLD_AMOUNT_EXCEEDED,
            `Only ${hold.amountMinor} is held; cannot capture ${amountMinor}`,
            { heldMinor: hold.amountMinor },
          );
        }
        const source = walletAccount(wallet);
        if (destination.currency !== wallet.currency) {
          throw new WalletError(
            WalletErrorCode.WALLET_CURRENCY_MISMATCH,
            `The hold is in ${wallet.currency}; the destination account is in ${destination.currency}`,
          );
        }
        const destinationId = accountIdFor(destination);
        if (destinationId === accountIdFor(source)) {
          throw invalidWalletInput('destination', 'must be another account than the wallet itself');
        }
        const now = new Date();
        await tx.update(
          WalletHoldEntity,
          { id: hold.id },
          {
            status: WalletHoldStatus.CAPTURED,
            capturedAmountMinor: amountMinor,
            capturedToAccountId: destinationId,
            settledAt: now,
          },
        );
        await this.audit.record(tx, {
          actor,
          action: 'wallet.hold.capture',
          objectType: 'wallet_hold',
          objectId: hold.id,
          merchantId: destination.kind === 'merchant_balance' ? destination.ownerId : null,
          details: {
            walletId: wallet.id,
            heldMinor: hold.amountMinor,
            capturedMinor: amountMinor,
            releasedMinor: hold.amountMinor - amountMinor,
            currency: wallet.currency,
            destination: `${destination.kind}:${destination.ownerId}`,
          },
        });
        await this.ledger.post(tx, {
          kind: WalletJournalKind.HoldCapture,
          reference: hold.id,
          description: `Capture of wallet hold ${hold.reference}`,
          postings: [
            { account: source, amountMinor },
            { account: destination, amountMinor: -amountMinor },
          ],
        });
        return tx.findOneByOrFail(WalletHoldEntity, { id: hold.id });
      });
    } catch (error) {
      if (isLedgerInsufficientFunds(error)) {
        throw new WalletError(
          WalletErrorCode.WALLET_INSUFFICIENT_FUNDS,
          'The wallet no longer holds the captured amount',
          { holdId },
        );
      }
      throw error;
    }
  }

  /** A hold placed by staff (GraphQL `placeWalletHold`): its reference is prefixed `staff:`. */
  placeStaffHold(request: PlaceHoldRequest, actor: AuditActor): Promise<WalletHoldEntity> {
    return this.placeHold(
      { ...request, reference: `${STAFF_HOLD_PREFIX}${request.reference?.trim() ?? ''}` },
      actor,
    );
  }

  /** Staff capture a hold they placed into a merchant's balance; other modules' holds are refused. */
  async captureStaffHold(
    holdId: string,
    amountMinor: number,
    merchantId: string,
    actor: AuditActor,
  ): Promise<WalletHoldEntity> {
    const hold = await this.findByIdOrThrow(holdId);
    if (!hold.reference.startsWith(STAFF_HOLD_PREFIX)) {
      throw new WalletError(
        WalletErrorCode.WALLET_HOLD_NOT_STAFF,
        'This hold belongs to a card authorization, a payout or a payment; it is settled there',
        { holdId, reference: hold.reference },
      );
    }
    // The ledger would open a balance for any id: money sent to a merchant that does not exist
    // could only be fetched back by a manual adjustment.
    if (!(await this.dataSource.getRepository(MerchantEntity).existsBy({ id: merchantId }))) {
      throw invalidWalletInput('merchantId', 'names no merchant');
    }
    return this.captureHold(
      hold.id,
      amountMinor,
      { kind: 'merchant_balance', ownerId: merchantId, currency: hold.currency },
      actor,
    );
  }

  /** Gives the whole held amount back to the wallet's available balance. */
  releaseHold(
    holdId: string,
    actor: AuditActor,
    manager?: EntityManager,
  ): Promise<WalletHoldEntity> {
    return this.inTransaction(
      manager,
      async (tx) => (await this.settleUnused(tx, holdId, WalletHoldStatus.RELEASED, actor))!,
    );
  }

  /**
   * Moves an active hold's expiry later (never earlier), e.g. for a payout still waiting on its
   * gateway. Returns null when the hold is no longer active.
   */
  extendHold(
    holdId: string,
    expiresAt: Date,
    actor: AuditActor,
    manager?: EntityManager,
  ): Promise<WalletHoldEntity | null> {
    return this.inTransaction(manager, async (tx) => {
      const { hold, wallet } = await this.lockHold(tx, holdId);
      if (hold.status !== WalletHoldStatus.ACTIVE) return null;
      if (expiresAt <= hold.expiresAt) return hold;
      await tx.update(WalletHoldEntity, { id: hold.id }, { expiresAt });
      await this.audit.record(tx, {
        actor,
        action: 'wallet.hold.extend',
        objectType: 'wallet_hold',
        objectId: hold.id,
        merchantId: null,
        details: {
          walletId: wallet.id,
          reference: hold.reference,
          previousExpiresAt: hold.expiresAt.toISOString(),
          expiresAt: expiresAt.toISOString(),
        },
      });
      return tx.findOneByOrFail(WalletHoldEntity, { id: hold.id });
    });
  }

  /** Marks active holds past their expiry EXPIRED (the repeatable sweep). Returns how many. */
  async releaseExpired(now = new Date(), limit = SWEEP_BATCH): Promise<number> {
    const due = await this.holds.find({
      select: { id: true },
      where: { status: WalletHoldStatus.ACTIVE, expiresAt: LessThanOrEqual(now) },
      order: { expiresAt: 'ASC' },
      take: limit,
    });
    let expired = 0;
    for (const { id } of due) {
      const settled = await withTransaction(this.dataSource, (tx) =>
        this.settleUnused(
          tx,
          id,
          WalletHoldStatus.EXPIRED,
          systemActor('release-expired-holds'),
          now,
        ),
      );
      if (settled) expired++;
    }
    return expired;
  }

  // ---- reads ----

  async findVisibleOrThrow(caller: AuthUser, holdId: string): Promise<WalletHoldEntity> {
    const hold = await this.holds.findOneBy({ id: holdId });
    if (hold) {
      const wallet = await this.wallets.findByIdOrThrow(hold.walletId).catch(() => null);
      if (wallet && this.wallets.canSee(caller, wallet)) return hold;
    }
    throw this.holdNotFound(holdId);
  }

  findByIdOrThrow(holdId: string): Promise<WalletHoldEntity> {
    return this.holds.findOneBy({ id: holdId }).then((hold) => {
      if (!hold) throw this.holdNotFound(holdId);
      return hold;
    });
  }

  /** A wallet's holds, newest first (owner or staff). */
  async list(
    caller: AuthUser,
    walletId: string,
    filter: HoldFilter,
  ): Promise<Connection<WalletHoldEntity>> {
    await this.wallets.findVisibleOrThrow(caller, walletId);
    const where: FindOptionsWhere<WalletHoldEntity> = { walletId };
    if (filter.status) where.status = filter.status;
    return findKeysetPage(this.holds, where, filter.first, filter.after);
  }

  // ---- helpers ----

  private async settleUnused(
    tx: EntityManager,
    holdId: string,
    status: WalletHoldStatus.RELEASED | WalletHoldStatus.EXPIRED,
    actor: AuditActor,
    now = new Date(),
  ): Promise<WalletHoldEntity | null> {
    const { hold, wallet } = await this.lockHold(tx, holdId);
    if (status === WalletHoldStatus.RELEASED) {
      this.assertSettleable(hold, status, false);
    } else if (!canTransitionHold(hold.status, status) || hold.expiresAt > now) {
      // Settled meanwhile, or its expiry was moved: the sweep leaves it.
      return null;
    }
    await tx.update(WalletHoldEntity, { id: hold.id }, { status, settledAt: now });
    await this.audit.record(tx, {
      actor,
      action: status === WalletHoldStatus.RELEASED ? 'wallet.hold.release' : 'wallet.hold.expire',
      objectType: 'wallet_hold',
      objectId: hold.id,
      merchantId: null,
      details: { walletId: wallet.id, amountMinor: hold.amountMinor, currency: hold.currency },
    });
    return tx.findOneByOrFail(WalletHoldEntity, { id: hold.id });
  }

  /** Wallet row first, then the hold row: the same order as every other wallet writer. */
  private async lockHold(tx: EntityManager, holdId: string) {
    const unlocked = await tx.findOneBy(WalletHoldEntity, { id: holdId });
    if (!unlocked) throw this.holdNotFound(holdId);
    const wallet = (await this.wallets.lockWallets(tx, [unlocked.walletId])).get(
      unlocked.walletId,
    )!;
    const hold = await tx
      .getRepository(WalletHoldEntity)
      .createQueryBuilder('hold')
      .where('hold.id = :id', { id: holdId })
      .setLock('pessimistic_write')
      .getOneOrFail();
    return { hold, wallet };
  }

  private assertSettleable(hold: WalletHoldEntity, to: WalletHoldStatus, checkExpiry = true): void {
    if (!canTransitionHold(hold.status, to)) {
      throw new WalletError(
        WalletErrorCode.WALLET_HOLD_NOT_ACTIVE,
        `The hold is ${hold.status}, not ACTIVE`,
        { holdId: hold.id, status: hold.status },
      );
    }
    if (checkExpiry && hold.expiresAt.getTime() <= Date.now()) {
      throw new WalletError(WalletErrorCode.WALLET_HOLD_EXPIRED, 'The hold has expired', {
        holdId: hold.id,
        expiresAt: hold.expiresAt.toISOString(),
      });
    }
  }

  private inTransaction<T>(
    manager: EntityManager | undefined,
    work: (tx: EntityManager) => Promise<T>,
  ): Promise<T> {
    return manager ? work(manager) : withTransaction(this.dataSource, work);
  }

  private holdNotFound(holdId: string): WalletError {
    return new WalletError(WalletErrorCode.WALLET_HOLD_NOT_FOUND, `No hold ${holdId}`);
  }
}
