import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import type { AuditLogEntity } from '../entities/audit-log.entity';

@ObjectType('AuditEntry', { description: 'One recorded action: who did what to which object.' })
export class AuditEntry {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field({ description: 'When it happened (UTC, millisecond precision).' })
  occurredAt: Date;

  @Field({ description: 'Kind of actor: user, api_key, system, gateway or anonymous.' })
  actorType: string;

  @Field({ description: 'User id, API key id, job name or gateway code.' })
  actorId: string;

  @Field(() => String, { nullable: true, description: 'The actor’s role at the time, if any.' })
  actorRole: string | null;

  @Field(() => ID, { nullable: true, description: 'The merchant the action concerns, if any.' })
  merchantId: string | null;

  @Field(() => String, { nullable: true, description: 'The IP address the request came from.' })
  ip: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The request id (X-Request-Id), to find the matching log lines.',
  })
  requestId: string | null;

  @Field({ description: 'What was done, e.g. `payment.capture` or `risk.rule.update`.' })
  action: string;

  @Field({ description: 'The kind of object acted on, e.g. `payment` or `risk_rule`.' })
  objectType: string;

  @Field({ description: 'The id of the object acted on.' })
  objectId: string;

  @Field(() => String, {
    nullable: true,
    description: 'Further facts (amounts, reasons, before/after) as a JSON object text.',
  })
  details: string | null;
}

@ObjectType('AuditEntryConnection', { description: 'A page of audit entries, newest first.' })
export class AuditEntryConnection extends Paginated(AuditEntry, 'AuditEntry') {}

export const toAuditEntryModel = (entity: AuditLogEntity): AuditEntry => ({
  id: entity.id,
  occurredAt: entity.occurredAt,
  actorType: entity.actorType,
  actorId: entity.actorId,
  actorRole: entity.actorRole,
  merchantId: entity.merchantId,
  ip: entity.ip,
  requestId: entity.requestId,
  action: entity.action,
  objectType: entity.objectType,
  objectId: entity.objectId,
  details: entity.details === null ? null : JSON.stringify(entity.details),
});
