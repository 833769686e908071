import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import { isDuplicateKeyError, withTransaction } from '../../database/transaction';
import type { ChargeOutcome, RefundOutcome } from '../../gateways/payment-gateway';
import { LedgerService } from '../ledger/ledger.service';
import type { JournalInput, PostingInput } from '../ledger/ledger.types';
import { OutboxService } from '../merchant-webhooks/outbox.service';
import { OrdersService } from '../orders/orders.service';
import { PaymentAttemptEntity } from './entities/payment-attempt.entity';
import { PaymentEventEntity, type PaymentEventType } from './entities/payment-event.entity';
import { PaymentEntity } from './entities/payment.entity';
import { RefundEntity } from './entities/refund.entity';
import { PaymentAttemptStatus } from './payment-attempt-status';
import {
  ATTEMPT_STATUS_OF,
  feeOf,
  PAYMENT_EVENT_TYPE,
  PAYMENT_STATUS_OF,
} from './payment-outcomes';
import {
  applyPaymentTransition,
  PaymentStatus,
  RECONCILABLE_PAYMENT_STATUSES,
} from './payment-status';
import { PaymentUpdatesPublisher } from './payment-updates.publisher';
import { paymentsConfig } from './payments.config';
import { PaymentError, PaymentErrorCode } from './payments.errors';
import { applyRefundTransition, RefundStatus } from './refund-status';

/** Who told us: the API call's own answer, a gateway callback, the reconciler, a confirm call. */
export type OutcomeSource = 'api' | 'webhook' | 'reconciliation' | 'confirm';

// Attempt statuses only move forward; a late success may still override a decline or cancel.
const ATTEMPT_RANK: Record<PaymentAttemptStatus, number> = {
  STARTED: 0,
  REQUIRES_ACTION: 1,
  PROCESSING: 2,
  UNKNOWN: 2,
  AUTHORIZED: 3,
  DECLINED: 4,
  ERRORED: 4,
  CANCELLED: 4,
  CAPTURED: 5,
};

/** What the merchant sees of a payment in webhooks and the events feed. */
export const paymentEventData = (payment: PaymentEntity): Record<string, unknown> => ({
  id: payment.id,
  orderId: payment.orderId,
  status: payment.status,
  amountMinor: payment.amountMinor,
  currency: payment.currency,
  authorizedMinor: payment.authorizedMinor,
  capturedMinor: payment.capturedMinor,
  refundedMinor: payment.refundedMinor,
  gatewayCode: payment.gatewayCode,
  failureCode: payment.failureCode,
  failureMessage: payment.failureMessage,
  updatedAt: new Date().toISOString(),
});

const refundEventData = (refund: RefundEntity): Record<string, unknown> => ({
  id: refund.id,
  paymentId: refund.paymentId,
  status: refund.status,
  amountMinor: refund.amountMinor,
  currency: refund.currency,
  failureCode: refund.failureCode,
  failureMessage: refund.failureMessage,
  updatedAt: new Date().toISOString(),
});

/**
 * The one writer of payment state. Every change runs in a transaction that first locks the
 * payment row, so an API call, a gateway callback and the reconciler can race freely: each sees the
 * previous one's result, and money facts are inserted once by their unique keys. The ledger
 * journal, the merchant outbox event and the order status change commit with the payment change.
 */
@Injectable()
export class PaymentStateService {
  private readonly logger = new Logger(PaymentStateService.name);
  /** Journals recorded during a withPaymentLock transaction, posted just before it commits. */
  private readonly deferredJournals = new WeakMap<EntityManager, JournalInput[]>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orders: OrdersService,
    private readonly ledger: LedgerService,
    private readonly outbox: OutboxService,
    private readonly updates: PaymentUpdatesPublisher,
    @Inject(paymentsConfig.KEY) private readonly config: ConfigType<typeof paymentsConfig>,
  ) {}

  /**
   * Runs `work` in a transaction holding the payment's lock, then (after commit) wakes the outbox
   * and tells subscribers. Retries the whole thing on a deadlock.
   */
  async withPaymentLock<T>(
    paymentId: string,
    work: (manager: EntityManager, payment: PaymentEntity) => Promise<T>,
  ): Promise<{ result: T; payment: PaymentEntity }> {
    const outcome = await withTransaction(this.dataSource, async (manager) => {
      const payment = await this.lock(manager, paymentId);
      const result = await work(manager, payment);
      const fresh = await manager.findOneByOrFail(PaymentEntity, { id: paymentId });
      // Journals last: the ledger locks shared accounts (merchant balance, clearing, fees, the
      // chain head) until commit, so taking them at the end keeps that window short.
      for (const journal of this.deferredJournals.get(manager) ?? []) {
        await this.ledger.post(manager, journal);
      }
      this.deferredJournals.delete(manager);
      return { result, payment: fresh };
    });
    this.outbox.kick();
    this.updates.publish(outcome.payment);
    return outcome;
  }

  async lock(manager: EntityManager, paymentId: string): Promise<PaymentEntity> {
    const payment = await manager.findOne(PaymentEntity, {
      where: { id: paymentId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!payment) throw new PaymentError(PaymentErrorCode.PAYMENT_NOT_FOUND, 'Payment not found');
    return payment;
  }

  /** Applies a gateway's answer about one attempt's charge (see applyChargeOutcomeIn). */
  async applyChargeOutcome(
    paymentId: string,
    attemptId: string,
    outcome: ChargeOutcome,
    source: OutcomeSource,
    options: { clearPendingOperation?: boolean } = {},
  ): Promise<PaymentEntity> {
    const { payment } = await this.withPaymentLock(paymentId, (manager, locked) =>
      this.applyChargeOutcomeIn(manager, locked, attemptId, outcome, source, options),
    );
    return payment;
  }

  /**
   * Inside a transaction holding `payment`'s lock: records what the gateway said about one attempt.
   * Stale news (a "requires action" after the capture) changes nothing; a capture reported twice
   * inserts one event; a capture on an attempt we had given up on is still booked, and flagged.
   */
  async applyChargeOutcomeIn(
    manager: EntityManager,
    payment: PaymentEntity,
    attemptId: string,
    outcome: ChargeOutcome,
    source: OutcomeSource,
    options: { clearPendingOperation?: boolean } = {},
  ): Promise<void> {
    const attempt = await manager.findOneBy(PaymentAttemptEntity, {
      id: attemptId,
      paymentId: payment.id,
    });
    if (!attempt)
      throw new PaymentError(PaymentErrorCode.PAYMENT_NOT_FOUND, 'Payment attempt not found');
    const before = { ...payment };
    const isCurrent = payment.currentAttemptId === attempt.id;
    // While the payment is CREATED the API call that started the attempt is still deciding (it may
    // fail over to another gateway): a decline arriving meanwhile by callback only marks the attempt.
    const initiating =
      payment.status === PaymentStatus.CREATED && source !== 'api' && outcome.status === 'declined';

    if ('reference' in outcome && outcome.reference) {
      // Keep handles learnt earlier (an M-Pesa receipt, a PayPal capture id) unless replaced.
      const extra = {
        ...(attempt.gatewayReference?.extra ?? {}),
        ...(outcome.reference.extra ?? {}),
      };
      attempt.gatewayReference = {
        id: outcome.reference.id,
        ...(Object.keys(extra).length ? { extra } : {}),
      };
      attempt.gatewayReferenceId = outcome.reference.id.slice(0, 128);
    }
    const attemptStatus = ATTEMPT_STATUS_OF[outcome.status];
    if (
      ATTEMPT_RANK[attemptStatus] >= ATTEMPT_RANK[attempt.status] &&
      attempt.status !== PaymentAttemptStatus.CAPTURED
    ) {
      attempt.status = attemptStatus;
    }

    switch (outcome.status) {
      case 'authorized': {
        const inserted = await this.insertEvent(
          manager,
          payment,
          attempt.id,
          null,
          'AUTHORIZED',
          outcome.authorizedAmount.amountMinor,
          `authorized:${attempt.id}`,
          source,
        );
        if (inserted) payment.authorizedMinor = outcome.authorizedAmount.amountMinor;
        break;
      }
      case 'captured':
        await this.bookCapture(
          manager,
          payment,
          attempt,
          outcome.capturedAmount.amountMinor,
          source,
        );
        if (!isCurrent) {
          payment.needsReview = true;
          payment.reviewReason = `Gateway ${attempt.gatewayCode} captured attempt ${attempt.id}, which had been superseded`;
        }
        break;
      case 'cancelled': {
        const open = payment.authorizedMinor - payment.capturedMinor - payment.voidedMinor;
        if (open > 0 && isCurrent) {
          const inserted = await this.insertEvent(
            manager,
            payment,
            attempt.id,
            null,
            'VOIDED',
            open,
            `voided:${attempt.id}`,
            source,
          );
          if (inserted) payment.voidedMinor += open;
        }
        break;
      }
      case 'declined':
        attempt.declineCode = outcome.decline.gatewayCode.slice(0, 64);
        attempt.message = outcome.decline.message.slice(0, 255);
        if (isCurrent && !initiating) {
          payment.failureCode = outcome.decline.gatewayCode.slice(0, 64);
          payment.failureMessage = outcome.decline.message.slice(0, 255);
        }
        break;
      default:
        break;
    }

    if ((isCurrent && !initiating) || outcome.status === 'captured') {
      const target = PAYMENT_STATUS_OF[outcome.status];
      const gaveUp =
        payment.status === PaymentStatus.FAILED || payment.status === PaymentStatus.CANCELLED;
      const moved = applyPaymentTransition(payment, target);
      if (moved === 'moved' && gaveUp) {
        // Money arrived after we told the merchant it would not: a person should decide (refund?).
        payment.needsReview = true;
        payment.reviewReason = `Captured by ${attempt.gatewayCode} after the payment was ${before.status}`;
      }
      if (moved === 'refused' && target !== payment.status) {
        if (target === PaymentStatus.CAPTURED && payment.capturedMinor > 0) {
          // Already past CAPTURED (refunds): the capture itself was booked above.
        } else {
          this.logger.debug(
            `Payment ${payment.id}: ignored ${source} news "${target}" while ${payment.status}`,
          );
        }
      }
      if (
        payment.status === PaymentStatus.REQUIRES_ACTION &&
        outcome.status === 'requires_action'
      ) {
        payment.nextAction = outcome.nextAction;
      } else if (payment.status !== PaymentStatus.REQUIRES_ACTION) {
        payment.nextAction = null;
      }
    }
    if (options.clearPendingOperation) {
      payment.pendingOperation = null;
      payment.pendingOperationAt = null;
    }
    await manager.save(PaymentAttemptEntity, attempt);
    await this.finish(manager, payment, before);
  }

  /** Moves the payment to UNKNOWN (a gateway call whose effect we cannot know) for the reconciler. */
  async markUnknownIn(
    manager: EntityManager,
    payment: PaymentEntity,
    attemptId: string | null,
    why: string,
  ): Promise<void> {
    const before = { ...payment };
    if (attemptId) {
      await manager.update(
        PaymentAttemptEntity,
        {
          id: attemptId,
          status: In([
            PaymentAttemptStatus.STARTED,
            PaymentAttemptStatus.AUTHORIZED,
            PaymentAttemptStatus.REQUIRES_ACTION,
            PaymentAttemptStatus.PROCESSING,
          ]),
        },
        {
          status: PaymentAttemptStatus.UNKNOWN,
          message: why.slice(0, 255),
        },
      );
    }
    applyPaymentTransition(payment, PaymentStatus.UNKNOWN);
    payment.pendingOperation = null;
    payment.pendingOperationAt = null;
    payment.failureMessage = why.slice(0, 255);
    await this.finish(manager, payment, before);
  }

  /** Moves the payment to a status we decided ourselves (review, risk block, local cancel, failover exhausted). */
  async moveIn(
    manager: EntityManager,
    payment: PaymentEntity,
    to: PaymentStatus,
    failure?: { code: string; message: string },
  ): Promise<boolean> {
    const before = { ...payment };
    const result = applyPaymentTransition(payment, to);
    if (result === 'refused') return false;
    if (failure) {
      payment.failureCode = failure.code.slice(0, 64);
      payment.failureMessage = failure.message.slice(0, 255);
    }
    if (to !== PaymentStatus.REQUIRES_ACTION) payment.nextAction = null;
    await this.finish(manager, payment, before);
    return true;
  }

  /**
   * Records what the gateway said about a refund, inside a transaction holding the payment lock.
   * A success inserts one REFUNDED event, posts the journal and moves the payment and order.
   */
  async applyRefundOutcomeIn(
    manager: EntityManager,
    payment: PaymentEntity,
    refundId: string,
    outcome: RefundOutcome | { status: 'unknown'; message: string },
    source: OutcomeSource,
  ): Promise<RefundEntity> {
    const refund = await manager.findOne(RefundEntity, {
      where: { id: refundId, paymentId: payment.id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!refund) throw new PaymentError(PaymentErrorCode.REFUND_NOT_FOUND, 'Refund not found');
    const before = { ...payment };
    const previous = refund.status;
    if (outcome.status !== 'unknown' && outcome.refundReference) {
      const extra = {
        ...(refund.gatewayReference?.extra ?? {}),
        ...(outcome.refundReference.extra ?? {}),
      };
      refund.gatewayReference = {
        id: outcome.refundReference.id,
        ...(Object.keys(extra).length ? { extra } : {}),
      };
      refund.gatewayReferenceId = outcome.refundReference.id.slice(0, 128);
    }
    const target = {
      succeeded: RefundStatus.SUCCEEDED,
      pending: RefundStatus.PENDING,
      failed: RefundStatus.FAILED,
      unknown: RefundStatus.UNKNOWN,
    }[outcome.status];
    const moved = applyRefundTransition(refund, target);
    if (moved === 'moved' && refund.status === RefundStatus.SUCCEEDED) {
      const inserted = await this.insertEvent(
        manager,
        payment,
        refund.attemptId,
        refund.id,
        'REFUNDED',
        refund.amountMinor,
        `refunded:${refund.id}`,
        source,
      );
      if (inserted) {
        payment.refundedMinor += refund.amountMinor;
        this.deferJournal(manager, {
          kind: 'payment.refund',
          reference: refund.id,
          description: `Refund ${refund.id} of payment ${payment.id}`,
          postings: [
            {
              account: {
                kind: 'merchant_balance',
                ownerId: payment.merchantId,
                currency: payment.currency,
              },
              amountMinor: refund.amountMinor,
            },
            {
              account: {
                kind: 'gateway_clearing',
                ownerId: refund.gatewayCode,
                currency: payment.currency,
              },
              amountMinor: -refund.amountMinor,
            },
          ],
        });
        applyPaymentTransition(
          payment,
          payment.refundedMinor >= payment.capturedMinor
            ? PaymentStatus.REFUNDED
            : PaymentStatus.PARTIALLY_REFUNDED,
        );
      }
    }
    if (moved === 'moved' && refund.status === RefundStatus.FAILED && outcome.status === 'failed') {
      refund.failureCode = outcome.failure?.gatewayCode.slice(0, 64) ?? 'FAILED';
      refund.failureMessage =
        outcome.failure?.message.slice(0, 255) ?? 'The gateway failed the refund';
    }
    if (moved === 'moved' && outcome.status === 'unknown')
      refund.failureMessage = outcome.message.slice(0, 255);
    this.scheduleRefundReconcile(refund, previous);
    await manager.save(RefundEntity, refund);
    if (moved === 'moved' && refund.status !== RefundStatus.UNKNOWN) {
      await this.outbox.record(manager, {
        merchantId: refund.merchantId,
        objectType: 'refund',
        objectId: refund.id,
        type: `refund.${refund.status.toLowerCase()}`,
        data: refundEventData(refund),
      });
    }
    await this.finish(manager, payment, before);
    return refund;
  }

  private async bookCapture(
    manager: EntityManager,
    payment: PaymentEntity,
    attempt: PaymentAttemptEntity,
    cumulativeMinor: number,
    source: OutcomeSource,
  ): Promise<void> {
    const rows = (await manager.query(
      "SELECT COALESCE(SUM(amount_minor), 0) AS total FROM payment_events WHERE attempt_id = ? AND type = 'CAPTURED'",
      [attempt.id],
    )) as { total: string | number }[];
    const already = Number(rows[0]?.total ?? 0);
    const delta = cumulativeMinor - already;
    if (delta <= 0) return;
    const inserted = await this.insertEvent(
      manager,
      payment,
      attempt.id,
      null,
      'CAPTURED',
      delta,
      `captured:${attempt.id}:${cumulativeMinor}`,
      source,
    );
    if (!inserted) return;
    payment.capturedMinor += delta;
    const clearing = {
      kind: 'gateway_clearing' as const,
      ownerId: attempt.gatewayCode,
      currency: payment.currency,
    };
    if (payment.topUpWalletId) {
      // A wallet top-up: the whole amount goes to the wallet, once per capture event (the journal
      // and the CAPTURED event are both unique, so a replayed callback credits nothing more).
      this.deferJournal(manager, {
        kind: 'wallet.top_up',
        reference: `${attempt.id}:${cumulativeMinor}`,
        description: `Top-up of wallet ${payment.topUpWalletId} by payment ${payment.id} via ${attempt.gatewayCode}`,
        postings: [
          { account: clearing, amountMinor: delta },
          {
            account: {
              kind: 'user_wallet',
              ownerId: payment.topUpWalletId,
              currency: payment.currency,
            },
            amountMinor: -delta,
          },
        ],
      });
      return;
    }
    const fee = Math.min(feeOf(delta, this.config.feeBps), delta);
    const postings: PostingInput[] = [
      { account: clearing, amountMinor: delta },
      {
        account: {
          kind: 'merchant_balance',
          ownerId: payment.merchantId,
          currency: payment.currency,
        },
        amountMinor: -(delta - fee),
      },
    ];
    if (fee > 0) {
      postings.push({
        account: { kind: 'fees', ownerId: 'platform', currency: payment.currency },
        amountMinor: -fee,
      });
    }
    this.deferJournal(manager, {
      kind: 'payment.capture',
      reference: `${attempt.id}:${cumulativeMinor}`,
      description: `Capture on payment ${payment.id} via ${attempt.gatewayCode} (fee ${fee})`,
      postings: postings.filter((posting) => posting.amountMinor !== 0),
    });
  }

  private deferJournal(manager: EntityManager, journal: JournalInput): void {
    const list = this.deferredJournals.get(manager) ?? [];
    list.push(journal);
    this.deferredJournals.set(manager, list);
  }

  /** Inserts a money fact once; false when the same fact was already recorded. */
  private async insertEvent(
    manager: EntityManager,
    payment: PaymentEntity,
    attemptId: string | null,
    refundId: string | null,
    type: PaymentEventType,
    amountMinor: number,
    uniqueKey: string,
    source: OutcomeSource,
  ): Promise<boolean> {
    const existing = await manager.findOneBy(PaymentEventEntity, { uniqueKey });
    if (existing) return false;
    try {
      await manager.insert(PaymentEventEntity, {
        id: randomUUID(),
        paymentId: payment.id,
        attemptId,
        refundId,
        type,
        amountMinor,
        currency: payment.currency,
        uniqueKey,
        source,
      });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Saves the payment, schedules reconciliation, writes the outbox event and moves the order. */
  private async finish(
    manager: EntityManager,
    payment: PaymentEntity,
    before: PaymentEntity,
  ): Promise<void> {
    const wasReconcilable = RECONCILABLE_PAYMENT_STATUSES.includes(before.status);
    const isReconcilable = RECONCILABLE_PAYMENT_STATUSES.includes(payment.status);
    if (isReconcilable && !wasReconcilable) {
      payment.reconcileAttempts = 0;
      payment.nextReconcileAt = this.reconcileAt(0);
    } else if (!isReconcilable && payment.pendingOperation === null) {
      payment.nextReconcileAt = null;
    }
    await manager.save(PaymentEntity, payment);

    const eventType = PAYMENT_EVENT_TYPE[payment.status];
    const moneyMoved =
      payment.capturedMinor !== before.capturedMinor ||
      payment.refundedMinor !== before.refundedMinor;
    if (eventType && (payment.status !== before.status || moneyMoved)) {
      await this.outbox.record(manager, {
        merchantId: payment.merchantId,
        objectType: 'payment',
        objectId: payment.id,
        type: eventType,
        data: paymentEventData(payment),
      });
    }
    if (moneyMoved) {
      const rows = (await manager.query(
        'SELECT COALESCE(SUM(captured_minor), 0) AS captured, COALESCE(SUM(refunded_minor), 0) AS refunded FROM payments WHERE order_id = ?',
        [payment.orderId],
      )) as { captured: string | number; refunded: string | number }[];
      const next = await this.orders.syncWithPayments(manager, payment.orderId, {
        capturedMinor: Number(rows[0]?.captured ?? 0),
        refundedMinor: Number(rows[0]?.refunded ?? 0),
      });
      if (next) {
        await this.outbox.record(manager, {
          merchantId: payment.merchantId,
          objectType: 'order',
          objectId: payment.orderId,
          type: `order.${next.toLowerCase()}`,
          data: { id: payment.orderId, status: next, updatedAt: new Date().toISOString() },
        });
      }
    }
  }

  reconcileAt(attempt: number, now = Date.now()): Date | null {
    const delay = this.config.reconcileScheduleSeconds[attempt];
    return delay === undefined ? null : new Date(now + delay * 1000);
  }

  private scheduleRefundReconcile(refund: RefundEntity, previous: RefundStatus): void {
    const open = refund.status === RefundStatus.PENDING || refund.status === RefundStatus.UNKNOWN;
    const wasOpen = previous === RefundStatus.PENDING || previous === RefundStatus.UNKNOWN;
    if (open && (!wasOpen || refund.nextReconcileAt === null)) {
      refund.reconcileAttempts = 0;
      refund.nextReconcileAt = this.reconcileAt(0);
    } else if (!open) {
      refund.nextReconcileAt = null;
    }
  }
}
