import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { In, Repository, type FindOptionsWhere } from 'typeorm';
import type { Connection } from '../../../common/graphql/pagination';
import { findKeysetPage } from '../../../database/keyset-page';
import { isGatewayCode } from '../../../gateways/gateway-codes';
import { GatewayRegistry } from '../../../gateways/gateway-registry';
import { isGatewayError } from '../../../gateways/gateway.error';
import type {
  ChargeOutcome,
  GatewayEvent,
  RawWebhook,
  RefundOutcome,
  WebhookAcknowledgement,
} from '../../../gateways/payment-gateway';
import { PaymentAttemptEntity } from '../entities/payment-attempt.entity';
import { RefundEntity } from '../entities/refund.entity';
import { WebhookEventEntity, type WebhookEventStatus } from '../entities/webhook-event.entity';
import { parseStoredJson } from '../idempotency/canonical-json';
import {
  GATEWAY_EVENTS_QUEUE,
  GatewayEventsJob,
  webhookJobOptions,
  type ProcessWebhookEventJob,
} from '../jobs/payment-queues';
import { PaymentStateService } from '../payment-state.service';
import { paymentsConfig } from '../payments.config';
import { PaymentError, PaymentErrorCode } from '../payments.errors';
import { isDuplicateKeyError } from '../../../database/transaction';
import { GatewayEventHandlers } from './gateway-event-handlers';

/** Thrown by the processor when an event cannot be matched yet; Bull retries it with backoff. */
export class EventNotMatchedError extends Error {}

/**
 * The gateway callback inbox. `receive` verifies and stores (one row per gateway event, whatever
 * the retries) and queues; `process` applies one stored event under the payment lock.
 */
@Injectable()
export class GatewayWebhooksService {
  private readonly logger = new Logger(GatewayWebhooksService.name);

  constructor(
    private readonly registry: GatewayRegistry,
    private readonly state: PaymentStateService,
    @InjectRepository(WebhookEventEntity) private readonly inbox: Repository<WebhookEventEntity>,
    @InjectRepository(PaymentAttemptEntity)
    private readonly attempts: Repository<PaymentAttemptEntity>,
    @InjectRepository(RefundEntity) private readonly refunds: Repository<RefundEntity>,
    @InjectQueue(GATEWAY_EVENTS_QUEUE) private readonly queue: Queue<ProcessWebhookEventJob>,
    @Inject(paymentsConfig.KEY) private readonly config: ConfigType<typeof paymentsConfig>,
    private readonly eventHandlers: GatewayEventHandlers,
  ) {}

  /** Verifies a callback on its raw bytes, stores its events once each, queues them, and says how to answer. */
  async receive(gatewayCode: string, webhook: RawWebhook): Promise<WebhookAcknowledgement> {
    if (!isGatewayCode(gatewayCode) || !this.registry.isEnabled(gatewayCode)) {
      throw new PaymentError(
        PaymentErrorCode.WEBHOOK_GATEWAY_UNKNOWN,
        `No gateway "${gatewayCode}" here`,
      );
    }
    let parsed;
    try {
      parsed = await this.registry.getOrThrow(gatewayCode).parseWebhook(webhook);
    } catch (error) {
      if (
        isGatewayError(error) &&
        (error.kind === 'invalid_webhook' || error.kind === 'bad_response')
      ) {
        this.logger.warn(`Refused a ${gatewayCode} callback: ${error.message}`);
        throw new PaymentError(
          PaymentErrorCode.WEBHOOK_INVALID,
          `Callback refused: ${error.message}`,
        );
      }
      throw error;
    }
    for (const event of parsed.events) {
      const id = await this.store(event);
      if (id) await this.enqueue(id);
    }
    return parsed.acknowledgement;
  }

  /** The inbox row id to process, or null when this event was already processed. */
  private async store(event: GatewayEvent): Promise<string | null> {
    const id = randomUUID();
    try {
      await this.inbox.insert({
        id,
        gatewayCode: event.gatewayCode,
        gatewayEventId: event.gatewayEventId.slice(0, 191),
        type: event.type,
        payload: JSON.stringify(event),
        status: 'RECEIVED',
      });
      return id;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    // A replay. If the first copy was stored but never queued (a crash in between), queue it now.
    const existing = await this.inbox.findOneBy({
      gatewayCode: event.gatewayCode,
      gatewayEventId: event.gatewayEventId.slice(0, 191),
    });
    return existing?.status === 'RECEIVED' ? existing.id : null;
  }

  async enqueue(eventId: string): Promise<void> {
    // The job id is the row id: Bull ignores a second job with the id of one it still holds.
    await this.queue.add(
      GatewayEventsJob.ProcessWebhookEvent,
      { eventId },
      webhookJobOptions(eventId, this.config.webhookJobAttempts),
    );
  }

  /** Applies one stored event. Throws to make Bull retry (e.g. the payment is not written yet). */
  async process(eventId: string): Promise<WebhookEventStatus> {
    const row = await this.inbox.findOneBy({ id: eventId });
    if (!row || row.status === 'PROCESSED' || row.status === 'IGNORED')
      return row?.status ?? 'IGNORED';
    await this.inbox.increment({ id: eventId }, 'attempts', 1);
    const event = parseStoredJson<GatewayEvent>(row.payload);
    let paymentId: string | null = null;
    let status: WebhookEventStatus = 'PROCESSED';
    let note: string | null = null;
    if (event.type.startsWith('payment.')) {
      paymentId = await this.applyPaymentEvent(event);
    } else if (event.type.startsWith('refund.')) {
      paymentId = await this.applyRefundEvent(event);
      if (!paymentId) {
        status = 'IGNORED';
        note = 'No refund of ours matches this event';
      }
    } else {
      // Other modules register for the rest (payout.* by wallets); disputes have no handler yet.
      const handler = this.eventHandlers.handlerFor(event.type);
      if (handler) {
        const handled = await handler(event);
        status = handled.status;
        note = handled.note ?? null;
      } else {
        status = 'IGNORED';
        note = `No handler for ${event.type} yet`;
      }
    }
    await this.inbox.update(
      { id: eventId },
      { status, paymentId, processedAt: new Date(), lastError: note },
    );
    return status;
  }

  /** Records that a job gave up for good, so admins see it. */
  async markFailed(eventId: string, error: string): Promise<void> {
    await this.inbox.update(
      { id: eventId, status: 'RECEIVED' },
      { status: 'FAILED', lastError: error.slice(0, 500) },
    );
  }

  async markAttemptError(eventId: string, error: string): Promise<void> {
    await this.inbox.update({ id: eventId }, { lastError: error.slice(0, 500) });
  }

  /** An admin's replay of a stored event: back to RECEIVED and queued again. */
  async reprocess(eventId: string): Promise<WebhookEventEntity> {
    const row = await this.inbox.findOneBy({ id: eventId });
    if (!row)
      throw new PaymentError(PaymentErrorCode.WEBHOOK_EVENT_NOT_FOUND, 'Webhook event not found');
    await this.inbox.update({ id: eventId }, { status: 'RECEIVED', processedAt: null });
    const job = await this.queue.getJob(eventId);
    if (job && ((await job.isFailed()) || (await job.isCompleted()))) await job.remove();
    await this.enqueue(eventId);
    return this.inbox.findOneByOrFail({ id: eventId });
  }

  list(filter: {
    status?: WebhookEventStatus;
    gatewayCode?: string;
    paymentId?: string;
    first: number;
    after?: string;
  }): Promise<Connection<WebhookEventEntity>> {
    const where: FindOptionsWhere<WebhookEventEntity> = {};
    if (filter.status) where.status = filter.status;
    if (filter.gatewayCode) where.gatewayCode = filter.gatewayCode;
    if (filter.paymentId) where.paymentId = filter.paymentId;
    return findKeysetPage(this.inbox, where, filter.first, filter.after);
  }

  private async applyPaymentEvent(event: GatewayEvent): Promise<string> {
    const attempt = await this.findAttempt(event);
    if (!attempt) {
      throw new EventNotMatchedError(
        `No attempt matches ${event.gatewayCode} ${event.reference.id} yet`,
      );
    }
    const gateway = this.registry.getOrThrow(event.gatewayCode);
    const reference = attempt.gatewayReference ?? event.reference;
    // Unsigned callbacks (M-Pesa) are only a hint: the gateway's own status query is the truth.
    // What the hint adds (the receipt number) is kept once the query has confirmed the payment.
    let outcome: ChargeOutcome;
    if (event.trust === 'unverified') {
      const confirmed = await gateway.fetchStatus(reference);
      outcome =
        'reference' in confirmed &&
        confirmed.reference &&
        confirmed.reference.id === event.reference.id
          ? {
              ...confirmed,
              reference: {
                id: confirmed.reference.id,
                extra: { ...(event.reference.extra ?? {}), ...(confirmed.reference.extra ?? {}) },
              },
            }
          : confirmed;
    } else {
      outcome = await this.outcomeOf(event, attempt);
    }
    await this.state.applyChargeOutcome(attempt.paymentId, attempt.id, outcome, 'webhook');
    return attempt.paymentId;
  }

  private async outcomeOf(
    event: GatewayEvent,
    attempt: PaymentAttemptEntity,
  ): Promise<ChargeOutcome> {
    const reference = {
      ...event.reference,
      extra: { ...(attempt.gatewayReference?.extra ?? {}), ...(event.reference.extra ?? {}) },
    };
    switch (event.type) {
      case 'payment.captured':
      case 'payment.authorized': {
        // Without an amount the event cannot say how much; ask the gateway.
        if (!event.amount)
          return this.registry.getOrThrow(event.gatewayCode).fetchStatus(reference);
        return event.type === 'payment.captured'
          ? { status: 'captured', reference, capturedAmount: event.amount }
          : { status: 'authorized', reference, authorizedAmount: event.amount };
      }
      case 'payment.declined':
        return {
          status: 'declined',
          reference,
          decline: event.decline ?? {
            gatewayCode: 'declined',
            message: 'Declined by the gateway',
            retryable: false,
          },
        };
      case 'payment.cancelled':
        return { status: 'cancelled', reference };
      default:
        return { status: 'pending', reference };
    }
  }

  private async findAttempt(event: GatewayEvent): Promise<PaymentAttemptEntity | null> {
    if (event.attemptId) {
      const byId = await this.attempts.findOneBy({
        id: event.attemptId,
        gatewayCode: event.gatewayCode,
      });
      if (byId) return byId;
    }
    return this.attempts.findOneBy({
      gatewayCode: event.gatewayCode,
      gatewayReferenceId: event.reference.id.slice(0, 128),
    });
  }

  private async applyRefundEvent(event: GatewayEvent): Promise<string | null> {
    const refund = await this.findRefund(event);
    if (!refund) return null;
    let outcome: RefundOutcome;
    // An unsigned result is confirmed by asking the gateway; its answer (which arrives as another
    // callback for M-Pesa) is the confirmation and is applied as it stands.
    if ((event.trust === 'unverified' && !event.answersStatusQuery) || !refund.gatewayReference) {
      const attempt = await this.attempts.findOneByOrFail({ id: refund.attemptId });
      const refundReference = refund.gatewayReference ?? event.refundReference ?? { id: refund.id };
      outcome = await this.registry
        .getOrThrow(event.gatewayCode)
        .fetchRefundStatus(refundReference, attempt.gatewayReference ?? event.reference);
    } else {
      const status =
        event.type === 'refund.succeeded'
          ? 'succeeded'
          : event.type === 'refund.failed'
            ? 'failed'
            : 'pending';
      outcome = {
        status,
        refundReference: event.refundReference ?? refund.gatewayReference,
        amount: event.amount ?? { amountMinor: refund.amountMinor, currency: refund.currency },
        ...(status === 'failed'
          ? {
              failure: {
                gatewayCode: event.decline?.gatewayCode ?? 'failed',
                message: event.decline?.message ?? 'Refund failed at the gateway',
              },
            }
          : {}),
      };
    }
    await this.state.withPaymentLock(refund.paymentId, (manager, payment) =>
      this.state.applyRefundOutcomeIn(manager, payment, refund.id, outcome, 'webhook'),
    );
    return refund.paymentId;
  }

  private async findRefund(event: GatewayEvent): Promise<RefundEntity | null> {
    const candidates = [
      event.refundReference?.id,
      event.refundReference?.extra?.merchantRefundId,
    ].filter((value): value is string => Boolean(value));
    for (const id of candidates) {
      const byGateway = await this.refunds.findOneBy({
        gatewayCode: event.gatewayCode,
        gatewayReferenceId: id.slice(0, 128),
      });
      if (byGateway) return byGateway;
      if (/^[0-9a-f-]{36}$/.test(id)) {
        const ours = await this.refunds.findOneBy({ id, gatewayCode: event.gatewayCode });
        if (ours) return ours;
      }
    }
    // A refund event naming only the payment: the single open refund on it, if exactly one.
    const attempt = await this.findAttempt(event);
    if (!attempt) return null;
    const open = await this.refunds.findBy({
      attemptId: attempt.id,
      status: In(['PENDING', 'UNKNOWN']),
    });
    return open.length === 1 ? open[0]! : null;
  }
}
