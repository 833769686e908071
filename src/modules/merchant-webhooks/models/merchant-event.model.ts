import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import type { OutboxEventEntity } from '../entities/outbox-event.entity';
import { EventObjectType } from '../event-object-type';

@ObjectType('MerchantEvent', {
  description: 'Something that happened to a merchant’s payment, refund or order.',
})
export class MerchantEvent {
  @Field(() => ID, { description: 'Event id; the same in every delivery and replay.' })
  id: string;

  @Field(() => ID, { description: 'The merchant the event belongs to.' })
  merchantId: string;

  @Field({ description: 'What happened, e.g. `payment.captured`.' })
  type: string;

  @Field(() => EventObjectType, { description: 'What the event is about.' })
  objectType: EventObjectType;

  @Field({ description: 'The id of the object the event is about.' })
  objectId: string;

  @Field(() => Int, {
    description:
      'Position among this object’s events (1, 2, 3…); apply an event only if it is higher than the last one applied.',
  })
  sequence: number;

  @Field({ description: 'The object as it was after the change, JSON-encoded.' })
  data: string;

  @Field({ description: 'When the change was committed.' })
  createdAt: Date;
}

@ObjectType('MerchantEventConnection', { description: 'A page of events, oldest first.' })
export class MerchantEventConnection extends Paginated(MerchantEvent, 'MerchantEvent') {}

export const toMerchantEventModel = (entity: OutboxEventEntity): MerchantEvent => ({
  id: entity.id,
  merchantId: entity.merchantId,
  type: entity.type,
  objectType: entity.objectType as EventObjectType,
  objectId: entity.objectId,
  sequence: entity.sequence,
  data: JSON.stringify(entity.payload),
  createdAt: entity.createdAt,
});
