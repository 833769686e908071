import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import {
  Repository,
  type EntityManager,
  type FindOptionsWhere,
  type QueryDeepPartialEntity,
} from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { decodeCursor, toConnection, type Connection } from '../../common/graphql/pagination';
import { isDuplicateKeyError } from '../../database/transaction';
import { OutboxEventEntity } from './entities/outbox-event.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { matchesEventType } from './event-type-filter';
import { canSeeMerchant, visibleMerchantId } from './merchant-scope';
import { MerchantWebhookError, MerchantWebhookErrorCode } from './merchant-webhooks.errors';
import type { OutboxEventInput, OutboxObjectType, OutboxRecording } from './outbox.types';
import { WebhookDeliveryStatus } from './webhook-delivery-status';
import { WebhookDispatcher } from './webhook-dispatcher';

export const OUTBOX_OBJECT_TYPES: readonly OutboxObjectType[] = ['payment', 'refund', 'order'];
const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
// Inserts racing for the same sequence (a caller that skipped its row lock) try again this often.
const SEQUENCE_TRIES = 5;

export interface EventFilter {
  readonly objectType?: OutboxObjectType;
  readonly objectId?: string;
  readonly type?: string;
  readonly createdAfter?: Date;
  /** Staff only: one merchant's events. */
  readonly merchantId?: string;
}

/**
 * The transactional outbox: events are written with the change they describe, in the caller's
 * transaction, so a rolled-back change never announces anything and a committed one always does.
 */
@Injectable()
export class OutboxService implements OutboxRecording {
  constructor(
    @InjectRepository(OutboxEventEntity) private readonly events: Repository<OutboxEventEntity>,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async record(manager: EntityManager, event: OutboxEventInput): Promise<void> {
    assertValidEvent(event);
    const saved = await this.insertWithNextSequence(manager, event);
    const endpoints = await manager.getRepository(WebhookEndpointEntity).findBy({
      merchantId: event.merchantId,
      enabled: true,
    });
    const wanted = endpoints.filter((endpoint) =>
      matchesEventType(endpoint.eventTypes, event.type),
    );
    if (wanted.length === 0) return;
    await manager.getRepository(WebhookDeliveryEntity).insert(
      wanted.map((endpoint) => ({
        id: randomUUID(),
        eventId: saved.id,
        endpointId: endpoint.id,
        merchantId: event.merchantId,
        status: WebhookDeliveryStatus.PENDING,
        nextAttemptAt: saved.createdAt,
      })),
    );
  }

  kick(): void {
    this.dispatcher.kick();
  }

  /** The merchant's events, oldest first, so a merchant can catch up from where it stopped. */
  async list(
    caller: AuthUser,
    filter: EventFilter,
    first: number,
    after?: string,
  ): Promise<Connection<OutboxEventEntity>> {
    const merchantId = visibleMerchantId(caller, filter.merchantId);
    const where: FindOptionsWhere<OutboxEventEntity> = {
      ...(merchantId ? { merchantId } : {}),
      ...(filter.objectType ? { objectType: filter.objectType } : {}),
      ...(filter.objectId ? { objectId: filter.objectId } : {}),
      ...(filter.type ? { type: filter.type } : {}),
    };
    const query = this.events
      .createQueryBuilder('event')
      .where(where)
      .orderBy('event.createdAt', 'ASC')
      .addOrderBy('event.id', 'ASC')
      .take(first + 1);
    if (filter.createdAfter)
      query.andWhere('event.createdAt > :createdAfter', { createdAfter: filter.createdAfter });
    if (after) {
      query.andWhere(
        '(event.createdAt > :afterAt OR (event.createdAt = :afterAt AND event.id > :afterId))',
        (({ createdAt, id }) => ({ afterAt: createdAt, afterId: id }))(decodeCursor(after)),
      );
    }
    return toConnection(await query.getMany(), first, Boolean(after), (row) => row);
  }

  /** One event the caller may see; another merchant's answers like a missing one. */
  async findVisibleOrThrow(caller: AuthUser, id: string): Promise<OutboxEventEntity> {
    const event = await this.events.findOneBy({ id });
    if (!event || !canSeeMerchant(caller, event.merchantId)) {
      throw new MerchantWebhookError(
        MerchantWebhookErrorCode.WEBHOOK_EVENT_NOT_FOUND,
        `No event ${id}`,
      );
    }
    return event;
  }

  findById(id: string): Promise<OutboxEventEntity | null> {
    return this.events.findOneBy({ id });
  }

  // Callers serialise changes per object with a row lock; the unique key is the backstop, and a
  // lost race re-reads the latest sequence (a failed statement does not end a MySQL transaction).
  private async insertWithNextSequence(
    manager: EntityManager,
    event: OutboxEventInput,
  ): Promise<OutboxEventEntity> {
    const repository = manager.getRepository(OutboxEventEntity);
    for (let attempt = 1; ; attempt++) {
      const last = await repository
        .createQueryBuilder('event')
        .select(['event.id', 'event.sequence', 'event.createdAt'])
        .where('event.objectType = :objectType AND event.objectId = :objectId', {
          objectType: event.objectType,
          objectId: event.objectId,
        })
        .orderBy('event.sequence', 'DESC')
        .limit(1)
        .setLock('pessimistic_write')
        .getOne();
      const now = new Date();
      // Strictly later than the object's previous event, so time order agrees with sequence.
      const createdAt =
        last && last.createdAt.getTime() >= now.getTime()
          ? new Date(last.createdAt.getTime() + 1)
          : now;
      const row: OutboxEventEntity = {
        id: randomUUID(),
        merchantId: event.merchantId,
        objectType: event.objectType,
        objectId: event.objectId,
        sequence: (last?.sequence ?? 0) + 1,
        type: event.type,
        payload: { ...event.data },
        createdAt,
      };
      try {
        // The JSON payload is opaque to TypeORM's deep-partial typing.
        await repository.insert(row as QueryDeepPartialEntity<OutboxEventEntity>);
        return row;
      } catch (error) {
        if (attempt >= SEQUENCE_TRIES || !isDuplicateKeyError(error)) throw error;
      }
    }
  }
}

function assertValidEvent(event: OutboxEventInput): void {
  const problems: string[] = [];
  if (!event.merchantId) problems.push('merchantId is required');
  if (!OUTBOX_OBJECT_TYPES.includes(event.objectType))
    problems.push(`objectType must be one of ${OUTBOX_OBJECT_TYPES.join(', ')}`);
  if (!event.objectId || event.objectId.length > 64) problems.push('objectId must be 1-64 chars');
  if (!EVENT_TYPE_PATTERN.test(event.type) || event.type.length > 100)
    problems.push('type must look like "payment.captured"');
  // A programming error in the caller, not a merchant's mistake: fail its transaction loudly.
  if (problems.length > 0) throw new Error(`Invalid outbox event: ${problems.join('; ')}`);
}
