import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThanOrEqual, Not, Repository } from 'typeorm';
import { GatewayRegistry } from '../../../gateways/gateway-registry';
import { isGatewayError } from '../../../gateways/gateway.error';
import { PaymentAttemptEntity } from '../entities/payment-attempt.entity';
import { PaymentEntity } from '../entities/payment.entity';
import { RefundEntity } from '../entities/refund.entity';
import { PaymentStateService } from '../payment-state.service';
import { PaymentStatus, RECONCILABLE_PAYMENT_STATUSES } from '../payment-status';
import { paymentsConfig } from '../payments.config';
import { RefundStatus } from '../refund-status';

export interface ReconcileReport {
  paymentsChecked: number;
  paymentsResolved: number;
  refundsChecked: number;
  refundsResolved: number;
  flaggedForReview: number;
}

/**
 * Asks the gateways about every payment and refund left unsettled (a lost callback, a timeout, an
 * abandoned checkout), on a widening schedule, and moves each to its true state. After the last
 * scheduled check it is flagged for a person (`needsReview`).
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);

  constructor(
    private readonly registry: GatewayRegistry,
    private readonly state: PaymentStateService,
    @InjectRepository(PaymentEntity) private readonly payments: Repository<PaymentEntity>,
    @InjectRepository(PaymentAttemptEntity)
    private readonly attempts: Repository<PaymentAttemptEntity>,
    @InjectRepository(RefundEntity) private readonly refunds: Repository<RefundEntity>,
    @Inject(paymentsConfig.KEY) private readonly config: ConfigType<typeof paymentsConfig>,
  ) {}

  async runDue(now = new Date(), limit = 100): Promise<ReconcileReport> {
    const report: ReconcileReport = {
      paymentsChecked: 0,
      paymentsResolved: 0,
      refundsChecked: 0,
      refundsResolved: 0,
      flaggedForReview: 0,
    };
    const stale = new Date(now.getTime() - this.config.pendingOperationTimeoutSeconds * 1000);
    const due = await this.payments.find({
      where: [
        { status: In([...RECONCILABLE_PAYMENT_STATUSES]), nextReconcileAt: LessThanOrEqual(now) },
        // A capture or cancel whose answer never came back (a crash between call and apply).
        { pendingOperation: Not(IsNull()), pendingOperationAt: LessThanOrEqual(stale) },
      ],
      order: { nextReconcileAt: 'ASC' },
      take: limit,
    });
    for (const payment of due) {
      report.paymentsChecked++;
      const result = await this.reconcilePayment(payment.id).catch((error: Error) => {
        this.logger.warn(`Reconciling payment ${payment.id} failed: ${error.message}`);
        return 'error' as const;
      });
      if (result === 'resolved') report.paymentsResolved++;
      if (result === 'flagged') report.flaggedForReview++;
    }
    const dueRefunds = await this.refunds.find({
      where: {
        status: In([RefundStatus.PENDING, RefundStatus.UNKNOWN]),
        nextReconcileAt: LessThanOrEqual(now),
      },
      order: { nextReconcileAt: 'ASC' },
      take: limit,
    });
    for (const refund of dueRefunds) {
      report.refundsChecked++;
      const result = await this.reconcileRefund(refund.id).catch((error: Error) => {
        this.logger.warn(`Reconciling refund ${refund.id} failed: ${error.message}`);
        return 'error' as const;
      });
      if (result === 'resolved') report.refundsResolved++;
      if (result === 'flagged') report.flaggedForReview++;
    }
    return report;
  }

  /** One payment: ask the gateway, apply the answer, or schedule the next check. */
  async reconcilePayment(paymentId: string): Promise<'resolved' | 'pending' | 'flagged'> {
    const payment = await this.payments.findOneByOrFail({ id: paymentId });
    const attempt = payment.currentAttemptId
      ? await this.attempts.findOneBy({ id: payment.currentAttemptId })
      : null;
    if (attempt) {
      const gateway = this.registry.getOrThrow(attempt.gatewayCode);
      // Without the gateway's id (the initiate answer was lost) our attempt id is the best handle:
      // gateways that key the transaction on it (Zaakpay orderId) answer; the others wait for a callback.
      const reference = attempt.gatewayReference ?? { id: attempt.id };
      try {
        const outcome = await gateway.fetchStatus(reference);
        const fresh = await this.state.applyChargeOutcome(
          paymentId,
          attempt.id,
          outcome,
          'reconciliation',
          {
            clearPendingOperation: true,
          },
        );
        if (!RECONCILABLE_PAYMENT_STATUSES.includes(fresh.status) && !fresh.pendingOperation) {
          return 'resolved';
        }
      } catch (error) {
        if (!isGatewayError(error)) throw error;
        this.logger.debug(
          `Payment ${paymentId}: ${attempt.gatewayCode} status unavailable (${error.kind})`,
        );
      }
    }
    return this.scheduleNext(paymentId);
  }

  private async scheduleNext(paymentId: string): Promise<'pending' | 'flagged'> {
    const { result } = await this.state.withPaymentLock(paymentId, async (manager, locked) => {
      if (!RECONCILABLE_PAYMENT_STATUSES.includes(locked.status) && !locked.pendingOperation)
        return 'pending' as const;
      const attempts = locked.reconcileAttempts + 1;
      const next = this.state.reconcileAt(attempts);
      if (next === null) {
        await manager.update(
          PaymentEntity,
          { id: paymentId },
          {
            reconcileAttempts: attempts,
            nextReconcileAt: null,
            pendingOperation: null,
            pendingOperationAt: null,
            needsReview: true,
            reviewReason: `Still ${locked.status} after ${attempts} reconciliation checks`,
          },
        );
        return 'flagged' as const;
      }
      await manager.update(
        PaymentEntity,
        { id: paymentId },
        { reconcileAttempts: attempts, nextReconcileAt: next },
      );
      return 'pending' as const;
    });
    return result;
  }

  async reconcileRefund(refundId: string): Promise<'resolved' | 'pending' | 'flagged'> {
    const refund = await this.refunds.findOneByOrFail({ id: refundId });
    const attempt = await this.attempts.findOneByOrFail({ id: refund.attemptId });
    try {
      const outcome = await this.registry
        .getOrThrow(refund.gatewayCode)
        .fetchRefundStatus(
          refund.gatewayReference ?? { id: refund.id },
          attempt.gatewayReference ?? { id: attempt.id },
        );
      const { result } = await this.state.withPaymentLock(refund.paymentId, (manager, payment) =>
        this.state.applyRefundOutcomeIn(manager, payment, refund.id, outcome, 'reconciliation'),
      );
      if (result.status === RefundStatus.SUCCEEDED || result.status === RefundStatus.FAILED)
        return 'resolved';
    } catch (error) {
      if (!isGatewayError(error)) throw error;
    }
    const attempts = refund.reconcileAttempts + 1;
    const next = this.state.reconcileAt(attempts);
    await this.refunds.update(
      { id: refundId, status: In([RefundStatus.PENDING, RefundStatus.UNKNOWN]) },
      next === null
        ? { reconcileAttempts: attempts, nextReconcileAt: null, needsReview: true }
        : { reconcileAttempts: attempts, nextReconcileAt: next },
    );
    return next === null ? 'flagged' : 'pending';
  }

  /** Payments stuck in CREATED with a started attempt (the process died mid-call) are handed over too. */
  async adoptOrphans(now = new Date()): Promise<number> {
    const stale = new Date(now.getTime() - this.config.pendingOperationTimeoutSeconds * 1000);
    const orphans = await this.payments.find({
      where: {
        status: PaymentStatus.CREATED,
        currentAttemptId: Not(IsNull()),
        updatedAt: LessThanOrEqual(stale),
      },
      take: 100,
    });
    for (const orphan of orphans) {
      await this.state.withPaymentLock(orphan.id, (manager, locked) =>
        locked.status === PaymentStatus.CREATED
          ? this.state.markUnknownIn(
              manager,
              locked,
              locked.currentAttemptId,
              'The process stopped while calling the gateway',
            )
          : Promise.resolve(),
      );
    }
    return orphans.length;
  }
}
