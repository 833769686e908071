import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { EntityManager, QueryDeepPartialEntity, Repository } from 'typeorm';
import { decodeCursor, toConnection, type Connection } from '../../common/graphql/pagination';
import { sanitizeAuditDetails } from './audit-details';
import { AuditError, AuditErrorCode } from './audit.errors';
import type { AuditRecordInput, AuditRecording } from './audit.types';
import { AuditLogEntity } from './entities/audit-log.entity';

export interface AuditLogFilter {
  readonly action?: string;
  readonly objectType?: string;
  readonly objectId?: string;
  readonly actorId?: string;
  readonly merchantId?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly first: number;
  readonly after?: string;
}

// Column widths of audit_log: longer values are cut rather than failing the caller's transaction.
const clip = (value: string | null | undefined, max: number): string | null =>
  value ? value.slice(0, max) : null;

/** Appends to the audit log and reads it back. There is deliberately no update or delete. */
@Injectable()
export class AuditService implements AuditRecording {
  constructor(
    @InjectRepository(AuditLogEntity) private readonly auditLog: Repository<AuditLogEntity>,
  ) {}

  async record(manager: EntityManager | null, input: AuditRecordInput): Promise<void> {
    if (!input.action || !input.objectType || !input.objectId || !input.actor?.id) {
      // A programming error in the caller: refuse loudly rather than log an unfindable row.
      throw new Error('An audit record needs an actor, an action, an object type and an id');
    }
    const row: AuditLogEntity = {
      id: randomUUID(),
      occurredAt: new Date(),
      actorType: input.actor.type,
      actorId: clip(input.actor.id, 100)!,
      actorRole: clip(input.actor.role, 20),
      // An explicit null means "no merchant" (a platform-wide change), even for a merchant actor.
      merchantId:
        input.merchantId !== undefined ? input.merchantId : (input.actor.merchantId ?? null),
      ip: clip(input.actor.ip, 64),
      requestId: clip(input.actor.requestId, 100),
      action: clip(input.action, 100)!,
      objectType: clip(input.objectType, 50)!,
      objectId: clip(input.objectId, 100)!,
      details: sanitizeAuditDetails(input.details),
    };
    const repository = manager ? manager.getRepository(AuditLogEntity) : this.auditLog;
    // `details` is free-form JSON, which TypeORM's deep-partial insert type cannot express.
    await repository.insert(row as QueryDeepPartialEntity<AuditLogEntity>);
  }

  /** Newest first, keyset-paged on (occurred_at, id). */
  async list(filter: AuditLogFilter): Promise<Connection<AuditLogEntity>> {
    if (filter.from && filter.to && filter.from > filter.to) {
      throw new AuditError(AuditErrorCode.AUDIT_INVALID_RANGE, '`from` must not be after `to`', {
        fields: { from: ['must not be after `to`'] },
      });
    }
    const query = this.auditLog
      .createQueryBuilder('entry')
      .orderBy('entry.occurredAt', 'DESC')
      .addOrderBy('entry.id', 'DESC')
      .take(filter.first + 1);
    const equal = {
      action: filter.action,
      objectType: filter.objectType,
      objectId: filter.objectId,
      actorId: filter.actorId,
      merchantId: filter.merchantId,
    };
    for (const [column, value] of Object.entries(equal)) {
      if (value !== undefined) query.andWhere(`entry.${column} = :${column}`, { [column]: value });
    }
    if (filter.from) query.andWhere('entry.occurredAt >= :from', { from: filter.from });
    if (filter.to) query.andWhere('entry.occurredAt <= :to', { to: filter.to });
    if (filter.after) {
      const position = decodeCursor(filter.after);
      query.andWhere(
        '(entry.occurredAt < :cursorAt OR (entry.occurredAt = :cursorAt AND entry.id < :cursorId))',
        { cursorAt: position.createdAt, cursorId: position.id },
      );
    }
    const rows = await query.getMany();
    return toConnection(
      rows.map((row) => Object.assign(row, { createdAt: row.occurredAt })),
      filter.first,
      Boolean(filter.after),
      (row) => row,
    );
  }
}
