import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, Repository, type FindOptionsWhere } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import type { Connection } from '../../common/graphql/pagination';
import { findKeysetPage } from '../../database/keyset-page';
import { withTransaction } from '../../database/transaction';
import type { OutboxEventEntity } from './entities/outbox-event.entity';
import { WebhookDeliveryAttemptEntity } from './entities/webhook-delivery-attempt.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import type { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { matchesEventType } from './event-type-filter';
import { visibleMerchantId } from './merchant-scope';
import { merchantWebhooksConfig } from './merchant-webhooks.config';
import { MerchantWebhookError, MerchantWebhookErrorCode } from './merchant-webhooks.errors';
import { OutboxService } from './outbox.service';
import { retryDelayMs } from './retry-schedule';
import { WebhookDeliveryStatus } from './webhook-delivery-status';
import { WebhookDispatcher } from './webhook-dispatcher';
import { isDelivered, postWebhook, type WebhookResponse } from './webhook-http.sender';
import {
  DELIVERY_ATTEMPT_HEADER,
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  signatureHeader,
} from './webhook-signature';
import { WebhookEndpointsService } from './webhook-endpoints.service';

// Added to the request timeout for the claim's lease: after that a crashed sender's delivery is
// taken up again by the dispatcher.
const LEASE_MARGIN_MS = 30_000;
const USER_AGENT = 'Payrail-Webhooks/1.0';

export interface DeliveryWithAttempts {
  readonly delivery: WebhookDeliveryEntity;
  readonly attempts: WebhookDeliveryAttemptEntity[];
}

export interface DeliveryFilter {
  readonly eventId?: string;
  readonly endpointId?: string;
  readonly status?: WebhookDeliveryStatus;
  /** Staff only: one merchant's deliveries. */
  readonly merchantId?: string;
}

export type DeliveryOutcome = 'skipped' | 'delivered' | 'retry_scheduled' | 'failed';

/** The body merchants receive: the event as it was recorded, the same bytes on every try. */
export function webhookBody(event: OutboxEventEntity): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.createdAt.toISOString(),
    sequence: event.sequence,
    objectType: event.objectType,
    objectId: event.objectId,
    data: event.payload,
  });
}

@Injectable()
export class WebhookDeliveriesService {
  private readonly logger = new Logger(WebhookDeliveriesService.name);

  constructor(
    @Inject(merchantWebhooksConfig.KEY)
    private readonly config: ConfigType<typeof merchantWebhooksConfig>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WebhookDeliveryEntity)
    private readonly deliveries: Repository<WebhookDeliveryEntity>,
    @InjectRepository(WebhookDeliveryAttemptEntity)
    private readonly attempts: Repository<WebhookDeliveryAttemptEntity>,
    private readonly outbox: OutboxService,
    private readonly endpoints: WebhookEndpointsService,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  /**
   * Sends attempt number `attempt` of a delivery, if it can claim it: the conditional update lets
   * exactly one sender through, however many jobs or processes race for it.
   */
  async deliver(deliveryId: string, attempt: number): Promise<DeliveryOutcome> {
    const claimedAt = new Date();
    if (!(await this.claim(deliveryId, attempt, claimedAt))) return 'skipped';
    const delivery = await this.deliveries.findOneByOrFail({ id: deliveryId });
    const [event, endpoint] = await Promise.all([
      this.outbox.findById(delivery.eventId),
      this.endpoints.findById(delivery.endpointId),
    ]);
    if (!event || !endpoint || !endpoint.enabled) {
      // Disabled (or removed) since it was dispatched: hand the attempt back untouched.
      await this.deliveries.update(
        { id: deliveryId, attemptCount: attempt },
        { attemptCount: attempt - 1, lockedUntil: null },
      );
      return 'skipped';
    }
    const response = await this.send(event, endpoint, attempt);
    return this.settle(delivery, attempt, claimedAt, response);
  }

  /**
   * Sends an event again now, to one endpoint or to every enabled endpoint that wants it: a new
   * delivery where there was none, else the existing one reset to PENDING with a fresh schedule.
   */
  async replay(
    caller: AuthUser,
    eventId: string,
    endpointId?: string,
  ): Promise<DeliveryWithAttempts[]> {
    const event = await this.outbox.findVisibleOrThrow(caller, eventId);
    let targets: WebhookEndpointEntity[];
    if (endpointId) {
      const endpoint = await this.endpoints.findOfMerchantOrThrow(event.merchantId, endpointId);
      if (!endpoint.enabled) {
        throw new MerchantWebhookError(
          MerchantWebhookErrorCode.WEBHOOK_ENDPOINT_DISABLED,
          `Webhook endpoint ${endpointId} is disabled; enable it to replay events to it`,
        );
      }
      targets = [endpoint];
    } else {
      targets = (await this.endpoints.findEnabledOfMerchant(event.merchantId)).filter((endpoint) =>
        matchesEventType(endpoint.eventTypes, event.type),
      );
    }
    const ids: string[] = [];
    for (const endpoint of targets) ids.push(await this.resetOrCreate(event, endpoint));
    this.dispatcher.kick();
    const rows = await this.deliveries.findBy({ id: In(ids) });
    return this.withAttempts(rows);
  }

  /** Newest first, each with its attempt log. */
  async list(
    caller: AuthUser,
    filter: DeliveryFilter,
    first: number,
    after?: string,
  ): Promise<Connection<DeliveryWithAttempts>> {
    const merchantId = visibleMerchantId(caller, filter.merchantId);
    const where: FindOptionsWhere<WebhookDeliveryEntity> = {
      ...(merchantId ? { merchantId } : {}),
      ...(filter.eventId ? { eventId: filter.eventId } : {}),
      ...(filter.endpointId ? { endpointId: filter.endpointId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    };
    const page = await findKeysetPage(this.deliveries, where, first, after);
    const withAttempts = await this.withAttempts(page.edges.map((edge) => edge.node));
    return {
      ...page,
      edges: page.edges.map((edge, index) => ({ cursor: edge.cursor, node: withAttempts[index]! })),
    };
  }

  private async claim(deliveryId: string, attempt: number, now: Date): Promise<boolean> {
    const result = await this.deliveries
      .createQueryBuilder()
      .update(WebhookDeliveryEntity)
      .set({
        attemptCount: () => 'attempt_count + 1',
        lockedUntil: new Date(now.getTime() + this.config.timeoutMs + LEASE_MARGIN_MS),
      })
      .where('id = :id', { id: deliveryId })
      .andWhere('status = :pending', { pending: WebhookDeliveryStatus.PENDING })
      .andWhere('attempt_count = :previous', { previous: attempt - 1 })
      .andWhere('next_attempt_at <= :now', { now })
      .andWhere('(locked_until IS NULL OR locked_until <= :now)', { now })
      .execute();
    return result.affected === 1;
  }

  private async send(
    event: OutboxEventEntity,
    endpoint: WebhookEndpointEntity,
    attempt: number,
  ): Promise<WebhookResponse> {
    const started = Date.now();
    let secret: string;
    try {
      secret = this.endpoints.signingSecretOf(endpoint);
    } catch (error) {
      // An encryption key was removed too early: count a failed attempt rather than crash.
      return {
        statusCode: null,
        body: null,
        error: `Signing secret unavailable: ${(error as Error).message}`.slice(0, 500),
        durationMs: Date.now() - started,
      };
    }
    const body = webhookBody(event);
    return postWebhook({
      url: endpoint.url,
      body,
      timeoutMs: this.config.timeoutMs,
      allowPrivate: this.config.allowPrivateUrls,
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        [SIGNATURE_HEADER]: signatureHeader(secret, Math.floor(Date.now() / 1000), body),
        [EVENT_ID_HEADER]: event.id,
        [EVENT_TYPE_HEADER]: event.type,
        [DELIVERY_ATTEMPT_HEADER]: String(attempt),
      },
    });
  }

  /** Logs the attempt and moves the delivery on: delivered, retry scheduled, or given up. */
  private async settle(
    delivery: WebhookDeliveryEntity,
    attempt: number,
    startedAt: Date,
    response: WebhookResponse,
  ): Promise<DeliveryOutcome> {
    const now = new Date();
    const delivered = isDelivered(response);
    const lastError = delivered
      ? null
      : (response.error ?? `HTTP ${response.statusCode ?? 'no status'}`);
    let outcome: DeliveryOutcome = 'delivered';
    let patch: Partial<Pick<WebhookDeliveryEntity, 'status' | 'deliveredAt' | 'nextAttemptAt'>>;
    if (delivered) {
      patch = { status: WebhookDeliveryStatus.SUCCEEDED, deliveredAt: now, nextAttemptAt: null };
    } else {
      const delay = retryDelayMs(
        Math.max(1, attempt - delivery.replayedAtAttempt),
        this.config.retryScheduleSeconds,
      );
      outcome = delay === null ? 'failed' : 'retry_scheduled';
      patch =
        delay === null
          ? { status: WebhookDeliveryStatus.FAILED, nextAttemptAt: null }
          : { nextAttemptAt: new Date(now.getTime() + delay) };
    }
    await withTransaction(this.dataSource, async (manager) => {
      await manager.getRepository(WebhookDeliveryAttemptEntity).insert({
        id: randomUUID(),
        deliveryId: delivery.id,
        attemptNumber: attempt,
        startedAt,
        durationMs: response.durationMs,
        statusCode: response.statusCode,
        responseBody: response.body,
        error: response.error,
      });
      await manager.getRepository(WebhookDeliveryEntity).update(
        // Still ours: nobody else claims a delivery while its lease runs.
        { id: delivery.id, attemptCount: attempt },
        { ...patch, lastStatusCode: response.statusCode, lastError, lockedUntil: null },
      );
    });
    if (outcome !== 'delivered') {
      this.logger.warn(
        `Webhook delivery ${delivery.id} attempt ${attempt} failed (${lastError}); ${outcome}`,
      );
    }
    return outcome;
  }

  private async resetOrCreate(
    event: OutboxEventEntity,
    endpoint: WebhookEndpointEntity,
  ): Promise<string> {
    return withTransaction(this.dataSource, async (manager) => {
      const repository = manager.getRepository(WebhookDeliveryEntity);
      const now = new Date();
      const existing = await repository.findOne({
        where: { eventId: event.id, endpointId: endpoint.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!existing) {
        const id = randomUUID();
        await repository.insert({
          id,
          eventId: event.id,
          endpointId: endpoint.id,
          merchantId: event.merchantId,
          status: WebhookDeliveryStatus.PENDING,
          nextAttemptAt: now,
        });
        return id;
      }
      // Being sent right now: that send is the replay.
      const inFlight = existing.lockedUntil !== null && existing.lockedUntil > now;
      if (!inFlight) {
        await repository.update(
          { id: existing.id },
          {
            status: WebhookDeliveryStatus.PENDING,
            nextAttemptAt: now,
            replayedAtAttempt: existing.attemptCount,
          },
        );
      }
      return existing.id;
    });
  }

  private async withAttempts(rows: WebhookDeliveryEntity[]): Promise<DeliveryWithAttempts[]> {
    if (rows.length === 0) return [];
    const attempts = await this.attempts.find({
      where: { deliveryId: In(rows.map((row) => row.id)) },
      order: { attemptNumber: 'ASC' },
    });
    return rows.map((delivery) => ({
      delivery,
      attempts: attempts.filter((attempt) => attempt.deliveryId === delivery.id),
    }));
  }
}
