import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, Repository, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import type { Connection } from '../../common/graphql/pagination';
import { appConfig } from '../../config/app.config';
import { findKeysetPage } from '../../database/keyset-page';
import { withTransaction } from '../../database/transaction';
import { GatewayError, isGatewayError } from '../../gateways/gateway.error';
import { GatewayRegistry } from '../../gateways/gateway-registry';
import type {
  ChargeOutcome,
  CustomerDetails,
  PaymentGateway,
  PaymentMethodKind,
} from '../../gateways/payment-gateway';
import type { AuditActor } from '../audit/audit.types';
import { AuditService } from '../audit/audit.service';
import { OutboxService } from '../merchant-webhooks/outbox.service';
import { OrdersService } from '../orders/orders.service';
import { RiskService } from '../risk/risk.service';
import { Role } from '../users/role';
import { walletsConfig } from '../wallets/wallets.config';
import { PaymentAttemptEntity } from './entities/payment-attempt.entity';
import { PaymentEntity } from './entities/payment.entity';
import { RefundEntity } from './entities/refund.entity';
import { IdempotencyService } from './idempotency/idempotency.service';
import { PaymentAttemptStatus } from './payment-attempt-status';
import { PaymentStateService } from './payment-state.service';
import { OPEN_PAYMENT_STATUSES, PaymentStatus } from './payment-status';
import { PaymentError, PaymentErrorCode } from './payments.errors';
import { RESERVING_REFUND_STATUSES, RefundStatus } from './refund-status';
import { RoutingService } from './routing/routing.service';

export interface NewPayment {
  orderId: string;
  paymentMethod: PaymentMethodKind;
  captureMode?: 'automatic' | 'manual';
  gatewayCode?: string;
  paymentMethodToken?: string;
  /** WALLET_BALANCE: the payer's wallet. */
  walletId?: string;
  customer?: { email?: string; phone?: string; name?: string };
  country?: string;
  returnUrl: string;
  cancelUrl?: string;
  idempotencyKey?: string;
}

/** What the wallets module adds when a payment tops up a wallet (not reachable from GraphQL input). */
export interface PaymentPurpose {
  topUpWalletId?: string;
}

export interface PaymentFilter {
  status?: PaymentStatus;
  orderId?: string;
  gatewayCode?: string;
  needsReview?: boolean;
  first: number;
  after?: string;
}

// Errors after which nothing can have happened at the gateway, so another gateway may be tried.
const NOT_SENT: ReadonlySet<GatewayError['kind']> = new Set([
  'unavailable',
  'invalid_request',
  'misconfigured',
  'rejected',
]);

/** WALLET_BALANCE payments skip routing: the payer's own wallet is the only "gateway". */
const WALLET_PLAN = {
  candidates: [{ gatewayCode: 'wallet', reason: 'paid from the payer’s Payrail wallet' }],
  excluded: {},
} as const;

/** Scope of idempotency keys: a merchant's keys are shared by its users and API keys, as at Stripe. */
export const idempotencyScopeOf = (caller: AuthUser): string =>
  caller.merchantId ? `merchant:${caller.merchantId}` : `user:${caller.userId}`;

/**
 * The payment operations. Each one records its intent under the payment lock, calls the gateway
 * with no lock held, then applies the answer under the lock again (PaymentStateService), so
 * concurrent callers and callbacks serialise on the payment row and never double-charge.
 */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(PaymentEntity) private readonly payments: Repository<PaymentEntity>,
    @InjectRepository(PaymentAttemptEntity)
    private readonly attempts: Repository<PaymentAttemptEntity>,
    @InjectRepository(RefundEntity) private readonly refunds: Repository<RefundEntity>,
    private readonly registry: GatewayRegistry,
    private readonly orders: OrdersService,
    private readonly routing: RoutingService,
    private readonly state: PaymentStateService,
    private readonly idempotency: IdempotencyService,
    private readonly risk: RiskService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(walletsConfig.KEY) private readonly wallets: ConfigType<typeof walletsConfig>,
  ) {}

  // ---- reads ----

  async findVisibleOrThrow(caller: AuthUser, id: string): Promise<PaymentEntity> {
    const payment = await this.payments.findOneBy({ id });
    if (!payment || !this.canSee(caller, payment)) {
      throw new PaymentError(PaymentErrorCode.PAYMENT_NOT_FOUND, 'Payment not found');
    }
    return payment;
  }

  canSee(
    caller: AuthUser,
    payment: { merchantId: string; customerId: string | null; topUpWalletId?: string | null },
  ): boolean {
    if (caller.role === Role.ADMIN || caller.role === Role.SUPPORT) return true;
    // A top-up belongs to the platform's top-up merchant: its payer sees it whatever their role.
    if (payment.topUpWalletId && caller.kind === 'user' && payment.customerId === caller.userId) {
      return true;
    }
    if (caller.role === Role.MERCHANT) return caller.merchantId === payment.merchantId;
    return payment.customerId !== null && caller.userId === payment.customerId;
  }

  async list(caller: AuthUser, filter: PaymentFilter): Promise<Connection<PaymentEntity>> {
    const where: FindOptionsWhere<PaymentEntity> = {};
    if (caller.role === Role.MERCHANT) where.merchantId = caller.merchantId ?? '-';
    else if (caller.role === Role.CUSTOMER) where.customerId = caller.userId;
    if (filter.status) where.status = filter.status;
    if (filter.orderId) where.orderId = filter.orderId;
    if (filter.gatewayCode) where.gatewayCode = filter.gatewayCode;
    if (filter.needsReview !== undefined) where.needsReview = filter.needsReview;
    return findKeysetPage(this.payments, where, filter.first, filter.after);
  }

  attemptsOf(paymentId: string): Promise<PaymentAttemptEntity[]> {
    return this.attempts.find({ where: { paymentId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  refundsOf(paymentId: string): Promise<RefundEntity[]> {
    return this.refunds.find({ where: { paymentId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async findRefundVisibleOrThrow(caller: AuthUser, id: string): Promise<RefundEntity> {
    const refund = await this.refunds.findOneBy({ id });
    const payment = refund ? await this.payments.findOneBy({ id: refund.paymentId }) : null;
    if (!refund || !payment || !this.canSee(caller, payment)) {
      throw new PaymentError(PaymentErrorCode.REFUND_NOT_FOUND, 'Refund not found');
    }
    return refund;
  }

  /** An order event for the merchant's webhooks, inside the caller's transaction. */
  recordOrderEvent(
    manager: EntityManager,
    order: { id: string; merchantId: string; status: string },
    type: string,
  ): Promise<void> {
    return this.outbox.record(manager, {
      merchantId: order.merchantId,
      objectType: 'order',
      objectId: order.id,
      type,
      data: { id: order.id, status: order.status, updatedAt: new Date().toISOString() },
    });
  }

  kickOutbox(): void {
    this.outbox.kick();
  }

  hasOpenPayment(manager: EntityManager, orderId: string): Promise<boolean> {
    return manager.exists(PaymentEntity, {
      where: { orderId, status: In([...OPEN_PAYMENT_STATUSES]) },
    });
  }

  // ---- create ----

  async create(
    caller: AuthUser,
    actor: AuditActor,
    input: NewPayment,
    purpose: PaymentPurpose = {},
  ): Promise<PaymentEntity> {
    const { idempotencyKey, ...request } = input;
    return this.idempotency.run(
      idempotencyScopeOf(caller),
      idempotencyKey,
      'createPayment',
      request,
      () => this.createOnce(caller, actor, request, purpose),
    );
  }

  private async createOnce(
    caller: AuthUser,
    actor: AuditActor,
    input: NewPayment,
    purpose: PaymentPurpose,
  ): Promise<PaymentEntity> {
    // A top-up's order belongs to the platform's top-up merchant, not to the (customer or merchant) payer.
    const order = purpose.topUpWalletId
      ? await this.orders.findByIdOrThrow(input.orderId)
      : await this.orders.findVisibleOrThrow(caller, input.orderId);
    this.assertTopUpOrder(caller, order, purpose);
    if (caller.role === Role.SUPPORT || caller.role === Role.ADMIN) {
      throw new PaymentError(
        PaymentErrorCode.PAYMENT_INPUT_INVALID,
        'Staff cannot pay orders on anyone’s behalf',
      );
    }
    this.orders.assertPayable(order);
    assertHttpUrl(input.returnUrl, 'returnUrl');
    if (input.cancelUrl) assertHttpUrl(input.cancelUrl, 'cancelUrl');
    const captureMode = input.captureMode ?? 'automatic';
    const paymentId = randomUUID();
    const fromWallet = input.paymentMethod === 'wallet_balance';
    if (fromWallet) this.assertWalletPayment(caller, input, purpose, order);
    else if (input.walletId) {
      throw new PaymentError(
        PaymentErrorCode.PAYMENT_INPUT_INVALID,
        'walletId goes with paymentMethod WALLET_BALANCE only',
        { fields: { walletId: ['only with WALLET_BALANCE'] } },
      );
    }
    const plan = fromWallet
      ? WALLET_PLAN
      : await this.routing.plan(order.merchantId, paymentId, {
          amountMinor: order.totalMinor,
          currency: order.currency,
          paymentMethod: input.paymentMethod,
          captureMode,
          country: input.country,
          gatewayCode: input.gatewayCode,
        });
    if (plan.candidates.length === 0) {
      const why = Object.entries(plan.excluded)
        .map(([code, reason]) => `${code}: ${reason}`)
        .join('; ');
      throw new PaymentError(
        PaymentErrorCode.PAYMENT_NO_ELIGIBLE_GATEWAY,
        `No gateway can take ${order.currency} ${input.paymentMethod}${captureMode === 'manual' ? ' with manual capture' : ''}${input.gatewayCode ? ` via ${input.gatewayCode}` : ''} (${why})`,
        { excluded: plan.excluded },
      );
    }

    await withTransaction(this.dataSource, async (manager) => {
      const locked = await this.orders.lockOrThrow(manager, order.id);
      this.orders.assertPayable(locked);
      if (await this.hasOpenPayment(manager, order.id)) {
        throw new PaymentError(
          PaymentErrorCode.PAYMENT_ALREADY_IN_PROGRESS,
          'This order already has a payment in progress; finish or cancel it first',
        );
      }
      await manager.insert(PaymentEntity, {
        id: paymentId,
        orderId: order.id,
        merchantId: order.merchantId,
        // A wallet payment's payer is the caller (the wallet's owner), also for an order with no customer.
        customerId: order.customerId ?? (fromWallet ? caller.userId : null),
        amountMinor: order.totalMinor,
        currency: order.currency,
        status: PaymentStatus.CREATED,
        captureMode,
        paymentMethod: input.paymentMethod,
        payerWalletId: fromWallet ? input.walletId! : null,
        topUpWalletId: purpose.topUpWalletId ?? null,
        returnUrl: input.returnUrl,
        cancelUrl: input.cancelUrl ?? null,
      });
      await this.audit.record(manager, {
        actor,
        action: 'payment.create',
        objectType: 'payment',
        objectId: paymentId,
        merchantId: order.merchantId,
        details: {
          orderId: order.id,
          amountMinor: order.totalMinor,
          currency: order.currency,
          method: input.paymentMethod,
        },
      });
    });

    const decision = await this.risk.assess({
      paymentId,
      merchantId: order.merchantId,
      customerId: order.customerId ?? undefined,
      amount: { amountMinor: order.totalMinor, currency: order.currency },
      paymentMethod: input.paymentMethod,
      ip: actor.ip,
      phone: input.customer?.phone,
      email: input.customer?.email,
      cardFingerprint: input.paymentMethodToken,
    });
    if (decision.action !== 'allow') {
      const { payment } = await this.state.withPaymentLock(paymentId, async (manager, payment) => {
        if (decision.action === 'block') {
          await this.state.moveIn(manager, payment, PaymentStatus.FAILED, {
            code: 'RISK_BLOCKED',
            message: `Blocked by risk rules: ${decision.reasons.join(', ')}`,
          });
        } else {
          await this.state.moveIn(manager, payment, PaymentStatus.UNDER_REVIEW, {
            code: 'RISK_REVIEW',
            message: `Held for review: ${decision.reasons.join(', ')}`,
          });
          await this.risk.openReview(manager, {
            paymentId,
            merchantId: order.merchantId,
            reasons: [...decision.reasons],
          });
        }
      });
      return payment;
    }
    return this.initiate(paymentId, plan.candidates, {
      paymentMethodToken: fromWallet ? input.walletId : input.paymentMethodToken,
      payerUserId: caller.userId,
      customer: { ...input.customer, ip: actor.ip },
      description: order.description ?? `Order ${order.reference ?? order.id}`,
    });
  }

  /** An admin's decision on a payment held by the risk rules. Approval starts the charge. */
  async resolveReview(
    caller: AuthUser,
    actor: AuditActor,
    paymentId: string,
    approve: boolean,
    note: string | undefined,
  ): Promise<PaymentEntity> {
    await this.findVisibleOrThrow(caller, paymentId);
    // The review and the payment move together, under the payment lock.
    const { payment: moved } = await this.state.withPaymentLock(
      paymentId,
      async (manager, locked) => {
        if (locked.status !== PaymentStatus.UNDER_REVIEW) {
          throw new PaymentError(
            PaymentErrorCode.PAYMENT_INVALID_STATE,
            `The payment is ${locked.status}, not under review`,
          );
        }
        await this.risk.resolveReview(
          paymentId,
          approve ? 'approve' : 'reject',
          actor,
          note,
          manager,
        );
        await this.state.moveIn(
          manager,
          locked,
          approve ? PaymentStatus.CREATED : PaymentStatus.FAILED,
          approve ? undefined : { code: 'RISK_REJECTED', message: note ?? 'Rejected on review' },
        );
        await this.audit.record(manager, {
          actor,
          action: approve ? 'payment.review.approve' : 'payment.review.reject',
          objectType: 'payment',
          objectId: paymentId,
          merchantId: locked.merchantId,
          details: { note: note ?? null },
        });
      },
    );
    if (!approve) return moved;
    const order = await this.orders.findByIdOrThrow(moved.orderId);
    const plan = moved.payerWalletId
      ? WALLET_PLAN
      : await this.routing.plan(moved.merchantId, moved.id, {
          amountMinor: moved.amountMinor,
          currency: moved.currency,
          paymentMethod: moved.paymentMethod,
          captureMode: moved.captureMode,
        });
    // The customer's token and phone were not kept; methods needing them must be retried by the customer.
    return this.initiate(moved.id, plan.candidates, {
      paymentMethodToken: moved.payerWalletId ?? undefined,
      payerUserId: moved.customerId ?? undefined,
      customer: {},
      description: order.description ?? `Order ${order.reference ?? order.id}`,
    });
  }

  /**
   * Tries the planned gateways in order. A retryable decline or a gateway that was not reached
   * fails over to the next; an answer we could not read, or a timeout after sending, leaves the
   * payment UNKNOWN and tries nothing else until reconciliation knows.
   */
  private async initiate(
    paymentId: string,
    candidates: readonly { gatewayCode: string; reason: string }[],
    context: {
      paymentMethodToken?: string;
      /** Who pays: the wallet gateway checks the wallet is theirs. */
      payerUserId?: string;
      customer: CustomerDetails;
      description: string;
    },
  ): Promise<PaymentEntity> {
    let failover = '';
    let lastFailure = { code: 'NO_GATEWAY', message: 'No gateway could take the payment' };
    for (const [index, candidate] of candidates.entries()) {
      const attemptId = randomUUID();
      const { result: started, payment } = await this.state.withPaymentLock(
        paymentId,
        async (manager, locked) => {
          if (locked.status !== PaymentStatus.CREATED) return false;
          await manager.insert(PaymentAttemptEntity, {
            id: attemptId,
            paymentId,
            gatewayCode: candidate.gatewayCode,
            status: PaymentAttemptStatus.STARTED,
            routeReason: `${failover}${candidate.reason}`.slice(0, 255),
          });
          await manager.update(
            PaymentEntity,
            { id: paymentId },
            {
              currentAttemptId: attemptId,
              gatewayCode: candidate.gatewayCode,
            },
          );
          return true;
        },
      );
      if (!started) return payment;

      const gateway = this.registry.getOrThrow(candidate.gatewayCode);
      const isLast = index === candidates.length - 1;
      let outcome: ChargeOutcome;
      try {
        outcome = await gateway.initiate({
          attemptId,
          amount: { amountMinor: payment.amountMinor, currency: payment.currency },
          captureMode: payment.captureMode,
          paymentMethod: payment.paymentMethod,
          paymentMethodToken: context.paymentMethodToken,
          description: context.description.slice(0, 120),
          customer: context.customer,
          returnUrl: payment.returnUrl,
          cancelUrl: payment.cancelUrl ?? undefined,
          callbackUrl: this.callbackUrl(candidate.gatewayCode),
          metadata: {
            paymentId,
            orderId: payment.orderId,
            ...(context.payerUserId ? { payerUserId: context.payerUserId } : {}),
          },
        });
      } catch (error) {
        if (isGatewayError(error) && NOT_SENT.has(error.kind)) {
          lastFailure = { code: `GATEWAY_${error.kind.toUpperCase()}`, message: error.message };
          await this.markAttempt(
            attemptId,
            PaymentAttemptStatus.ERRORED,
            error.gatewayErrorCode ?? error.kind,
            error.message,
          );
          failover = `failover after ${candidate.gatewayCode} ${error.kind}; `;
          if (!isLast) continue;
          break;
        }
        // Timeout after sending, an unreadable answer, or our own crash: the charge may exist.
        const why = isGatewayError(error)
          ? `${candidate.gatewayCode} ${error.kind}: ${error.message}`
          : `unexpected error while calling ${candidate.gatewayCode}`;
        if (!isGatewayError(error))
          this.logger.error(`Initiate failed for payment ${paymentId}`, error as Error);
        const { payment: unknown } = await this.state.withPaymentLock(
          paymentId,
          (manager, locked) => this.state.markUnknownIn(manager, locked, attemptId, why),
        );
        return unknown;
      }

      if (outcome.status === 'declined' && outcome.decline.retryable && !isLast) {
        await this.state.withPaymentLock(paymentId, async (manager) => {
          await manager.update(
            PaymentAttemptEntity,
            { id: attemptId },
            {
              status: PaymentAttemptStatus.DECLINED,
              declineCode: outcome.decline.gatewayCode.slice(0, 64),
              message: outcome.decline.message.slice(0, 255),
              ...(outcome.reference
                ? {
                    gatewayReference: outcome.reference,
                    gatewayReferenceId: outcome.reference.id.slice(0, 128),
                  }
                : {}),
            },
          );
        });
        failover = `failover after ${candidate.gatewayCode} declined (${outcome.decline.gatewayCode}); `;
        continue;
      }
      return this.state.applyChargeOutcome(paymentId, attemptId, outcome, 'api');
    }
    const { payment } = await this.state.withPaymentLock(paymentId, (manager, locked) =>
      this.state.moveIn(manager, locked, PaymentStatus.FAILED, lastFailure),
    );
    return payment;
  }

  // ---- confirm, capture, cancel ----

  /**
   * Completes a flow the customer finished at the gateway (PayPal approval) or, for the others,
   * asks the gateway where the charge stands. Safe to race the gateway's own callback.
   */
  async confirm(
    caller: AuthUser,
    paymentId: string,
    idempotencyKey?: string,
  ): Promise<PaymentEntity> {
    return this.idempotency.run(
      idempotencyScopeOf(caller),
      idempotencyKey,
      'confirmPayment',
      { paymentId },
      async () => {
        const payment = await this.findVisibleOrThrow(caller, paymentId);
        const confirmable = [
          PaymentStatus.REQUIRES_ACTION,
          PaymentStatus.PROCESSING,
          PaymentStatus.UNKNOWN,
        ];
        if (!confirmable.includes(payment.status)) return payment;
        const attempt = await this.currentAttemptOrThrow(payment);
        const gateway = this.registry.getOrThrow(attempt.gatewayCode);
        const completable = gateway as PaymentGateway & {
          completeApproval?: (
            reference: NonNullable<PaymentAttemptEntity['gatewayReference']>,
            key: string,
          ) => Promise<ChargeOutcome>;
        };
        try {
          const outcome =
            payment.status === PaymentStatus.REQUIRES_ACTION && completable.completeApproval
              ? await completable.completeApproval(
                  attempt.gatewayReference!,
                  `confirm:${attempt.id}`,
                )
              : await gateway.fetchStatus(attempt.gatewayReference!);
          return await this.state.applyChargeOutcome(paymentId, attempt.id, outcome, 'confirm');
        } catch (error) {
          return this.handleOperationError(paymentId, attempt.id, error, 'confirm');
        }
      },
    );
  }

  async capture(
    caller: AuthUser,
    actor: AuditActor,
    paymentId: string,
    amountMinor: number | undefined,
    idempotencyKey?: string,
  ): Promise<PaymentEntity> {
    return this.idempotency.run(
      idempotencyScopeOf(caller),
      idempotencyKey,
      'capturePayment',
      { paymentId, amountMinor },
      async () => {
        await this.findVisibleOrThrow(caller, paymentId);
        let attempt!: PaymentAttemptEntity;
        let amount = 0;
        const { payment } = await this.state.withPaymentLock(paymentId, async (manager, locked) => {
          if (locked.status !== PaymentStatus.AUTHORIZED) {
            throw new PaymentError(
              PaymentErrorCode.PAYMENT_INVALID_STATE,
              `Only an AUTHORIZED payment can be captured; this one is ${locked.status}`,
            );
          }
          this.assertNoPendingOperation(locked);
          attempt = await this.currentAttemptOrThrow(locked);
          const capturable = locked.authorizedMinor - locked.capturedMinor;
          amount = amountMinor ?? capturable;
          if (!Number.isSafeInteger(amount) || amount <= 0 || amount > capturable) {
            throw new PaymentError(
              PaymentErrorCode.PAYMENT_AMOUNT_INVALID,
              `The capture amount must be between 1 and ${capturable}`,
              { capturableMinor: capturable },
            );
          }
          const gateway = this.registry.getOrThrow(attempt.gatewayCode);
          if (amount < capturable && !gateway.capabilities.partialCapture) {
            throw new PaymentError(
              PaymentErrorCode.PAYMENT_NOT_SUPPORTED,
              `${attempt.gatewayCode} cannot capture part of an authorization`,
            );
          }
          await manager.update(
            PaymentEntity,
            { id: paymentId },
            { pendingOperation: 'capture', pendingOperationAt: new Date() },
          );
          await this.audit.record(manager, {
            actor,
            action: 'payment.capture',
            objectType: 'payment',
            objectId: paymentId,
            merchantId: locked.merchantId,
            details: { amountMinor: amount, currency: locked.currency },
          });
        });
        try {
          const outcome = await this.registry.getOrThrow(attempt.gatewayCode).capture({
            reference: attempt.gatewayReference!,
            amount: { amountMinor: amount, currency: payment.currency },
            idempotencyKey: `capture:${paymentId}`,
          });
          return await this.state.applyChargeOutcome(paymentId, attempt.id, outcome, 'api', {
            clearPendingOperation: true,
          });
        } catch (error) {
          return this.handleOperationError(paymentId, attempt.id, error, 'capture');
        }
      },
    );
  }

  async cancel(
    caller: AuthUser,
    actor: AuditActor,
    paymentId: string,
    reason: string | undefined,
    idempotencyKey?: string,
  ): Promise<PaymentEntity> {
    return this.idempotency.run(
      idempotencyScopeOf(caller),
      idempotencyKey,
      'cancelPayment',
      { paymentId, reason },
      async () => {
        await this.findVisibleOrThrow(caller, paymentId);
        let attempt: PaymentAttemptEntity | null = null;
        const { result: local, payment } = await this.state.withPaymentLock(
          paymentId,
          async (manager, locked) => {
            this.assertNoPendingOperation(locked);
            await this.audit.record(manager, {
              actor,
              action: 'payment.cancel',
              objectType: 'payment',
              objectId: paymentId,
              merchantId: locked.merchantId,
              details: { reason: reason ?? null, status: locked.status },
            });
            if (
              locked.status === PaymentStatus.CREATED ||
              locked.status === PaymentStatus.UNDER_REVIEW
            ) {
              await this.state.moveIn(manager, locked, PaymentStatus.CANCELLED, {
                code: 'CANCELLED',
                message: reason ?? 'Cancelled',
              });
              return true;
            }
            if (
              locked.status !== PaymentStatus.REQUIRES_ACTION &&
              locked.status !== PaymentStatus.AUTHORIZED
            ) {
              throw new PaymentError(
                PaymentErrorCode.PAYMENT_INVALID_STATE,
                `A ${locked.status} payment cannot be cancelled${locked.status === PaymentStatus.CAPTURED ? '; refund it instead' : ''}`,
              );
            }
            attempt = await this.currentAttemptOrThrow(locked);
            const gateway = this.registry.getOrThrow(attempt.gatewayCode);
            if (!gateway.capabilities.voidAuthorization) {
              if (locked.status === PaymentStatus.AUTHORIZED) {
                throw new PaymentError(
                  PaymentErrorCode.PAYMENT_NOT_SUPPORTED,
                  `${attempt.gatewayCode} cannot void an authorization`,
                );
              }
              // Nothing to call (hosted page or phone prompt): stop waiting. A late success is still booked.
              await this.state.moveIn(manager, locked, PaymentStatus.CANCELLED, {
                code: 'CANCELLED',
                message: reason ?? 'Cancelled before completion',
              });
              return true;
            }
            await manager.update(
              PaymentEntity,
              { id: paymentId },
              { pendingOperation: 'cancel', pendingOperationAt: new Date() },
            );
            return false;
          },
        );
        if (local || !attempt) return payment;
        const current: PaymentAttemptEntity = attempt;
        try {
          const outcome = await this.registry.getOrThrow(current.gatewayCode).cancel({
            reference: current.gatewayReference!,
            idempotencyKey: `cancel:${paymentId}`,
            reason,
          });
          return await this.state.applyChargeOutcome(paymentId, current.id, outcome, 'api', {
            clearPendingOperation: true,
          });
        } catch (error) {
          return this.handleOperationError(paymentId, current.id, error, 'cancel');
        }
      },
    );
  }

  // ---- refunds ----

  async refund(
    caller: AuthUser,
    actor: AuditActor,
    paymentId: string,
    amountMinor: number | undefined,
    reason: string | undefined,
    idempotencyKey?: string,
  ): Promise<RefundEntity> {
    return this.idempotency.run(
      idempotencyScopeOf(caller),
      idempotencyKey,
      'refundPayment',
      { paymentId, amountMinor, reason },
      async () => {
        await this.findVisibleOrThrow(caller, paymentId);
        const refundId = randomUUID();
        let attempt!: PaymentAttemptEntity;
        const { payment } = await this.state.withPaymentLock(paymentId, async (manager, locked) => {
          if (locked.topUpWalletId) {
            throw new PaymentError(
              PaymentErrorCode.PAYMENT_INVALID_STATE,
              'A wallet top-up cannot be refunded (its money may already be spent); withdraw the wallet balance instead',
            );
          }
          if (
            locked.status !== PaymentStatus.CAPTURED &&
            locked.status !== PaymentStatus.PARTIALLY_REFUNDED
          ) {
            throw new PaymentError(
              PaymentErrorCode.PAYMENT_INVALID_STATE,
              `Only a captured payment can be refunded; this one is ${locked.status}`,
            );
          }
          attempt = await this.currentAttemptOrThrow(locked);
          const gateway = this.registry.getOrThrow(attempt.gatewayCode);
          const existing = await manager.find(RefundEntity, {
            where: { paymentId, status: In([...RESERVING_REFUND_STATUSES]) },
          });
          const reserved = existing.reduce((sum, refund) => sum + refund.amountMinor, 0);
          const refundable = locked.capturedMinor - reserved;
          const amount = amountMinor ?? refundable;
          if (!Number.isSafeInteger(amount) || amount <= 0 || amount > refundable) {
            throw new PaymentError(
              PaymentErrorCode.REFUND_AMOUNT_EXCEEDS_REFUNDABLE,
              refundable <= 0
                ? 'Nothing is left to refund on this payment'
                : `The refund amount must be between 1 and ${refundable} (captured ${locked.capturedMinor}, already refunded or pending ${reserved})`,
              { refundableMinor: Math.max(refundable, 0) },
            );
          }
          if (amount < locked.capturedMinor && !gateway.capabilities.partialRefund) {
            throw new PaymentError(
              PaymentErrorCode.PAYMENT_NOT_SUPPORTED,
              `${attempt.gatewayCode} cannot refund part of a payment`,
            );
          }
          if (existing.length > 0 && !gateway.capabilities.multipleRefunds) {
            throw new PaymentError(
              PaymentErrorCode.PAYMENT_NOT_SUPPORTED,
              `${attempt.gatewayCode} allows one refund per payment`,
            );
          }
          await manager.insert(RefundEntity, {
            id: refundId,
            paymentId,
            attemptId: attempt.id,
            merchantId: locked.merchantId,
            gatewayCode: attempt.gatewayCode,
            amountMinor: amount,
            currency: locked.currency,
            status: RefundStatus.PENDING,
            reason: reason ?? null,
            nextReconcileAt: this.state.reconcileAt(0),
          });
          await this.audit.record(manager, {
            actor,
            action: 'payment.refund',
            objectType: 'refund',
            objectId: refundId,
            merchantId: locked.merchantId,
            details: {
              paymentId,
              amountMinor: amount,
              currency: locked.currency,
              reason: reason ?? null,
            },
          });
        });
        const refund = await this.refunds.findOneByOrFail({ id: refundId });
        const gateway = this.registry.getOrThrow(attempt.gatewayCode);
        let outcome: Parameters<PaymentStateService['applyRefundOutcomeIn']>[3];
        try {
          outcome = await gateway.refund({
            reference: attempt.gatewayReference!,
            refundId,
            amount: { amountMinor: refund.amountMinor, currency: refund.currency },
            capturedAmount: { amountMinor: payment.capturedMinor, currency: payment.currency },
            reason,
            callbackUrl: this.callbackUrl(attempt.gatewayCode),
          });
        } catch (error) {
          if (isGatewayError(error) && NOT_SENT.has(error.kind)) {
            outcome = {
              status: 'failed',
              refundReference: { id: refundId },
              amount: { amountMinor: refund.amountMinor, currency: refund.currency },
              failure: {
                gatewayCode: error.gatewayErrorCode ?? error.kind,
                message: error.message,
              },
            };
          } else {
            outcome = {
              status: 'unknown',
              message: isGatewayError(error)
                ? `${error.kind}: ${error.message}`
                : 'unexpected error',
            };
            if (!isGatewayError(error))
              this.logger.error(`Refund ${refundId} failed unexpectedly`, error as Error);
          }
        }
        const { result } = await this.state.withPaymentLock(paymentId, (manager, locked) =>
          this.state.applyRefundOutcomeIn(manager, locked, refundId, outcome, 'api'),
        );
        return result;
      },
    );
  }

  // ---- helpers ----

  /** A gateway error after an operation was sent: unknown outcome → reconcile; otherwise report it. */
  private async handleOperationError(
    paymentId: string,
    attemptId: string,
    error: unknown,
    operation: string,
  ): Promise<PaymentEntity> {
    if (isGatewayError(error) && NOT_SENT.has(error.kind)) {
      await this.state.withPaymentLock(paymentId, async (manager) => {
        await manager.update(
          PaymentEntity,
          { id: paymentId },
          { pendingOperation: null, pendingOperationAt: null },
        );
      });
      throw new PaymentError(
        error.kind === 'unavailable'
          ? PaymentErrorCode.PAYMENT_GATEWAY_UNAVAILABLE
          : PaymentErrorCode.PAYMENT_GATEWAY_REJECTED,
        `The gateway refused the ${operation}: ${error.message}`,
        { gatewayKind: error.kind, gatewayErrorCode: error.gatewayErrorCode ?? null },
      );
    }
    if (!isGatewayError(error)) throw error;
    const { payment } = await this.state.withPaymentLock(paymentId, (manager, locked) =>
      this.state.markUnknownIn(
        manager,
        locked,
        attemptId,
        `${operation}: ${error.kind}: ${error.message}`,
      ),
    );
    return payment;
  }

  private assertNoPendingOperation(payment: PaymentEntity): void {
    if (!payment.pendingOperation) return;
    throw new PaymentError(
      PaymentErrorCode.PAYMENT_OPERATION_IN_PROGRESS,
      `A ${payment.pendingOperation} of this payment is in progress; retry shortly`,
    );
  }

  private async currentAttemptOrThrow(payment: PaymentEntity): Promise<PaymentAttemptEntity> {
    const attempt = payment.currentAttemptId
      ? await this.attempts.findOneBy({ id: payment.currentAttemptId })
      : null;
    if (!attempt?.gatewayReference) {
      throw new PaymentError(
        PaymentErrorCode.PAYMENT_INVALID_STATE,
        'The payment has no gateway transaction yet',
      );
    }
    return attempt;
  }

  private async markAttempt(
    id: string,
    status: PaymentAttemptStatus,
    code: string,
    message: string,
  ): Promise<void> {
    await this.attempts.update(
      { id },
      { status, declineCode: code.slice(0, 64), message: message.slice(0, 255) },
    );
  }

  /**
   * A wallet payment is made by the wallet's owner, signed in, for an order that is theirs or
   * nobody's. The payment's customer is then always the payer, which is who the wallet gateway
   * checks the wallet against, also when an approved review starts the charge later.
   */
  private assertWalletPayment(
    caller: AuthUser,
    input: NewPayment,
    purpose: PaymentPurpose,
    order: { customerId: string | null },
  ): void {
    const problem = !input.walletId
      ? 'WALLET_BALANCE needs walletId'
      : caller.kind !== 'user'
        ? 'Only the wallet’s owner, signed in, can pay from it (not an API key)'
        : purpose.topUpWalletId
          ? 'A wallet cannot be topped up from a wallet'
          : input.gatewayCode && input.gatewayCode !== 'wallet'
            ? 'WALLET_BALANCE is paid by the wallet, not by a gateway'
            : order.customerId !== null && order.customerId !== caller.userId
              ? 'This order is billed to another customer; only they can pay it from their wallet'
              : null;
    if (problem) {
      throw new PaymentError(PaymentErrorCode.PAYMENT_INPUT_INVALID, problem, {
        fields: { walletId: [problem] },
      });
    }
  }

  /**
   * Orders of the platform's top-up merchant are paid only as top-ups (the wallets module's
   * topUpWallet, which marks the payment with the wallet to credit), by the order's customer: paid
   * any other way, the money would reach the top-up merchant and never the wallet.
   */
  private assertTopUpOrder(
    caller: AuthUser,
    order: { merchantId: string; customerId: string | null },
    purpose: PaymentPurpose,
  ): void {
    const topUpOrder = order.merchantId === this.wallets.topUpMerchantId;
    if (purpose.topUpWalletId) {
      if (!topUpOrder || order.customerId !== caller.userId) {
        throw new PaymentError(
          PaymentErrorCode.PAYMENT_INPUT_INVALID,
          'Not a top-up order of yours',
        );
      }
      return;
    }
    if (topUpOrder) {
      throw new PaymentError(
        PaymentErrorCode.PAYMENT_INPUT_INVALID,
        'This order tops up a wallet and is paid through topUpWallet only; start a new top-up',
        { fields: { orderId: ['a wallet top-up order'] } },
      );
    }
  }

  callbackUrl(gatewayCode: string): string {
    return `${this.app.publicUrl.replace(/\/+$/, '')}/webhooks/${gatewayCode}`;
  }
}

function assertHttpUrl(value: string, field: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PaymentError(
      PaymentErrorCode.PAYMENT_INPUT_INVALID,
      `${field} must be an absolute http(s) URL`,
      { fields: { [field]: ['must be an absolute http(s) URL'] } },
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PaymentError(
      PaymentErrorCode.PAYMENT_INPUT_INVALID,
      `${field} must be an absolute http(s) URL`,
      { fields: { [field]: ['must be an absolute http(s) URL'] } },
    );
  }
}
