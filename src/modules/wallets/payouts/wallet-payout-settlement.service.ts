import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { withTransaction } from '../../../database/transaction';
import type { GatewayReference, PayoutOutcome } from '../../../gateways/payment-gateway';
import type { AuditActor } from '../../audit/audit.types';
import { AuditService } from '../../audit/audit.service';
import type { AccountRef } from '../../ledger/ledger.types';
import { paymentsConfig } from '../../payments/payments.config';
import { WalletHoldEntity } from '../entities/wallet-hold.entity';
import { WalletHoldStatus } from '../wallet-hold-status';
import { WalletHoldsService } from '../wallet-holds.service';
import { WalletError, WalletErrorCode } from '../wallets.errors';
import { WalletsService } from '../wallets.service';
import { maskRecipient } from './payout-gateways';
import { WalletPayoutEntity } from './wallet-payout.entity';
import {
  applyPayoutTransition,
  isFinalPayoutStatus,
  WalletPayoutStatus,
} from './wallet-payout-status';

/** A gateway's answer, or `unknown`: the call may have reached the gateway but we cannot tell. */
export type PayoutResult = PayoutOutcome | { readonly status: 'unknown'; readonly message: string };

/** Who brought the news, for the audit trail. */
export type PayoutSource = 'api' | 'webhook' | 'reconciliation';

const TARGET: Record<PayoutResult['status'], WalletPayoutStatus> = {
  succeeded: WalletPayoutStatus.SUCCEEDED,
  failed: WalletPayoutStatus.FAILED,
  pending: WalletPayoutStatus.PROCESSING,
  unknown: WalletPayoutStatus.UNKNOWN,
};

// captureHold refusals after which the gateway has paid but the wallet cannot be debited.
const CAPTURE_BLOCKED: ReadonlySet<string> = new Set([
  WalletErrorCode.WALLET_HOLD_NOT_ACTIVE,
  WalletErrorCode.WALLET_HOLD_EXPIRED,
  WalletErrorCode.WALLET_INSUFFICIENT_FUNDS,
]);

/** The ledger account a withdrawal's money goes to: the gateway now owes it to the payee. */
export const payoutClearingAccount = (payout: {
  gatewayCode: string;
  currency: string;
}): AccountRef => ({
  kind: 'gateway_clearing',
  ownerId: payout.gatewayCode,
  currency: payout.currency,
});

/** Keeps every handle we learned: the new answer's id wins, extras are merged, blanks dropped. */
function mergeReference(
  known: GatewayReference | null,
  fresh: GatewayReference | undefined,
): GatewayReference | null {
  if (!fresh?.id) return known;
  const extra: Record<string, string> = { ...(known?.extra ?? {}) };
  for (const [key, value] of Object.entries(fresh.extra ?? {})) if (value) extra[key] = value;
  return Object.keys(extra).length > 0 ? { id: fresh.id, extra } : { id: fresh.id };
}

const sameReference = (a: GatewayReference | null, b: GatewayReference | null): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies what a gateway said about a payout, whoever brought the news (the API call, a callback,
 * the reconciler). Each change runs in one transaction that locks the wallet row, then the payout
 * row, and moves the status through the transition table, so a callback racing the reconciler is
 * applied once: the hold is captured or released at most once, and never released after capture.
 */
@Injectable()
export class WalletPayoutSettlementService {
  private readonly logger = new Logger(WalletPayoutSettlementService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly wallets: WalletsService,
    private readonly holds: WalletHoldsService,
    private readonly audit: AuditService,
    @Inject(paymentsConfig.KEY) private readonly payments: ConfigType<typeof paymentsConfig>,
  ) {}

  /** When the check after `attempt` earlier ones is due; null after the last (same schedule as payments). */
  reconcileAt(attempt: number, now = Date.now()): Date | null {
    const delay = this.payments.reconcileScheduleSeconds[attempt];
    return delay === undefined ? null : new Date(now + delay * 1000);
  }

  async apply(
    payoutId: string,
    result: PayoutResult,
    source: PayoutSource,
    actor: AuditActor,
  ): Promise<WalletPayoutEntity> {
    try {
      return await withTransaction(this.dataSource, (tx) =>
        this.applyIn(tx, payoutId, result, source, actor),
      );
    } catch (error) {
      if (
        result.status === 'succeeded' &&
        error instanceof WalletError &&
        CAPTURE_BLOCKED.has(error.code)
      ) {
        // The gateway paid, but the hold was released, lapsed or is no longer covered: a person decides.
        return this.flagForReview(
          payoutId,
          `The gateway paid out but the hold could not be captured (${error.code}); the wallet was not debited`,
          actor,
        );
      }
      throw error;
    }
  }

  /** Marks a payout for a person; it is no longer checked automatically. The money stays as it is. */
  flagForReview(payoutId: string, reason: string, actor: AuditActor): Promise<WalletPayoutEntity> {
    return withTransaction(this.dataSource, async (tx) => {
      const payout = await this.lockPayout(tx, payoutId);
      await this.markForReview(tx, payout, reason, actor);
      return tx.findOneByOrFail(WalletPayoutEntity, { id: payoutId });
    });
  }

  /** Wallet row first, then the payout row: the order every wallet writer uses. */
  async lockPayout(tx: EntityManager, payoutId: string): Promise<WalletPayoutEntity> {
    const unlocked = await tx.findOneBy(WalletPayoutEntity, { id: payoutId });
    if (!unlocked) {
      throw new WalletError(WalletErrorCode.WALLET_PAYOUT_NOT_FOUND, `No payout ${payoutId}`);
    }
    await this.wallets.lockWallets(tx, [unlocked.walletId]);
    return tx
      .getRepository(WalletPayoutEntity)
      .createQueryBuilder('payout')
      .where('payout.id = :id', { id: payoutId })
      .setLock('pessimistic_write')
      .getOneOrFail();
  }

  async markForReview(
    tx: EntityManager,
    payout: WalletPayoutEntity,
    reason: string,
    actor: AuditActor,
  ): Promise<void> {
    const reviewReason = reason.slice(0, 255);
    if (payout.needsReview && payout.reviewReason === reviewReason) return;
    await tx.update(
      WalletPayoutEntity,
      { id: payout.id },
      { needsReview: true, reviewReason, nextReconcileAt: null },
    );
    await this.audit.record(tx, {
      actor,
      action: 'wallet.payout.review',
      objectType: 'wallet_payout',
      objectId: payout.id,
      merchantId: null,
      details: { walletId: payout.walletId, status: payout.status, reason: reviewReason },
    });
    this.logger.warn(`Wallet payout ${payout.id} needs review: ${reviewReason}`);
  }

  private async applyIn(
    tx: EntityManager,
    payoutId: string,
    result: PayoutResult,
    source: PayoutSource,
    actor: AuditActor,
  ): Promise<WalletPayoutEntity> {
    const payout = await this.lockPayout(tx, payoutId);
    const changes: Partial<WalletPayoutEntity> = {};
    if (result.status !== 'unknown') {
      const reference = mergeReference(payout.gatewayReference, result.payoutReference);
      if (reference && !sameReference(reference, payout.gatewayReference)) {
        changes.gatewayReference = reference;
        changes.gatewayReferenceId = reference.id.slice(0, 128);
      }
    }
    const from = payout.status;
    const to = TARGET[result.status];
    const draft = { status: from };
    const move = applyPayoutTransition(draft, to);

    if (move === 'refused') {
      // Stale news (pending after the result) changes nothing; a contradiction of a final state
      // moves no money twice and goes to a person.
      if (from === WalletPayoutStatus.FAILED && to === WalletPayoutStatus.SUCCEEDED) {
        await this.markForReview(
          tx,
          payout,
          'The gateway reports the payout succeeded after it was marked FAILED and its hold released; the wallet was not debited',
          actor,
        );
      } else if (from === WalletPayoutStatus.SUCCEEDED && to === WalletPayoutStatus.FAILED) {
        await this.markForReview(
          tx,
          payout,
          `The gateway reports the payout ${result.status === 'failed' && result.failure ? `failed (${result.failure.gatewayCode})` : 'failed'} after it succeeded (returned or reversed?); nothing was credited back`,
          actor,
        );
      }
      return this.save(tx, payout.id, changes);
    }

    if (move === 'unchanged') return this.save(tx, payout.id, changes);

    // A success must name what was paid. Zero is not "unknown": no gateway reports a success
    // without its amount, so anything but the payout's amount and currency goes to a person.
    if (
      result.status === 'succeeded' &&
      (result.amount.amountMinor !== payout.amountMinor ||
        result.amount.currency !== payout.currency)
    ) {
      await this.markForReview(
        tx,
        payout,
        `The gateway reports ${result.amount.amountMinor} ${result.amount.currency} paid out; ${payout.amountMinor} ${payout.currency} was asked for`,
        actor,
      );
      return this.save(tx, payout.id, changes);
    }

    changes.status = to;
    const now = new Date();
    if (isFinalPayoutStatus(to)) {
      changes.settledAt = now;
      changes.nextReconcileAt = null;
    } else if (from === WalletPayoutStatus.PENDING || payout.nextReconcileAt === null) {
      // Newly open: the reconciler starts its schedule in case no callback ever comes.
      changes.reconcileAttempts = 0;
      changes.nextReconcileAt = this.reconcileAt(0, now.getTime());
    }
    if (result.status === 'failed') {
      changes.failureCode = (result.failure?.gatewayCode ?? 'failed').slice(0, 64);
      changes.failureMessage = (result.failure?.message ?? 'The gateway refused the payout').slice(
        0,
        255,
      );
    } else if (result.status === 'unknown') {
      changes.failureMessage = result.message.slice(0, 255);
    } else if (result.status === 'succeeded') {
      changes.failureCode = null;
      changes.failureMessage = null;
    }
    // Payout row and audit first; the hold capture posts the ledger journal last.
    await tx.update(WalletPayoutEntity, { id: payout.id }, changes);
    await this.audit.record(tx, {
      actor,
      action: `wallet.payout.${to.toLowerCase()}`,
      objectType: 'wallet_payout',
      objectId: payout.id,
      merchantId: null,
      details: {
        walletId: payout.walletId,
        from,
        to,
        source,
        gatewayCode: payout.gatewayCode,
        amountMinor: payout.amountMinor,
        currency: payout.currency,
        recipient: maskRecipient(payout.recipient),
        ...(changes.failureCode ? { failureCode: changes.failureCode } : {}),
        ...(changes.failureMessage ? { message: changes.failureMessage } : {}),
      },
    });
    if (to === WalletPayoutStatus.SUCCEEDED) {
      await this.holds.captureHold(
        payout.holdId,
        payout.amountMinor,
        payoutClearingAccount(payout),
        actor,
        tx,
      );
    } else if (to === WalletPayoutStatus.FAILED) {
      const hold = await tx.findOneBy(WalletHoldEntity, { id: payout.holdId });
      // A hold an admin already released (or that lapsed) has given the money back already.
      if (hold?.status === WalletHoldStatus.ACTIVE) {
        await this.holds.releaseHold(payout.holdId, actor, tx);
      }
    }
    return tx.findOneByOrFail(WalletPayoutEntity, { id: payout.id });
  }

  private async save(
    tx: EntityManager,
    payoutId: string,
    changes: Partial<WalletPayoutEntity>,
  ): Promise<WalletPayoutEntity> {
    if (Object.keys(changes).length > 0) {
      await tx.update(WalletPayoutEntity, { id: payoutId }, changes);
    }
    return tx.findOneByOrFail(WalletPayoutEntity, { id: payoutId });
  }
}
