import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import type { WebhookDeliveryAttemptEntity } from '../entities/webhook-delivery-attempt.entity';
import type { DeliveryWithAttempts } from '../webhook-deliveries.service';
import { WebhookDeliveryStatus } from '../webhook-delivery-status';

@ObjectType('WebhookDeliveryAttempt', { description: 'One POST of an event to an endpoint.' })
export class WebhookDeliveryAttempt {
  @Field(() => Int, {
    description: 'Attempt number (1 for the first try); sent as `Payrail-Delivery-Attempt`.',
  })
  attemptNumber: number;

  @Field({ description: 'When the attempt started.' })
  startedAt: Date;

  @Field(() => Int, { description: 'How long the attempt took, in milliseconds.' })
  durationMs: number;

  @Field(() => Int, { nullable: true, description: 'The HTTP status answered; null if none came.' })
  statusCode: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'The start of the response body (truncated).',
  })
  responseBody: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why no response came (timeout, connection refused…); null when one did.',
  })
  error: string | null;
}

@ObjectType('WebhookDelivery', {
  description: 'One event owed to one endpoint, with its attempts.',
})
export class WebhookDelivery {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field(() => ID, { description: 'The event being delivered.' })
  eventId: string;

  @Field(() => ID, { description: 'The endpoint it is delivered to.' })
  endpointId: string;

  @Field(() => ID, { description: 'The merchant both belong to.' })
  merchantId: string;

  @Field(() => WebhookDeliveryStatus, { description: 'Where the delivery stands.' })
  status: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far, replays included.' })
  attemptCount: number;

  @Field(() => Date, {
    nullable: true,
    description: 'When the next try is due; null once settled.',
  })
  nextAttemptAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'The HTTP status of the latest attempt.' })
  lastStatusCode: number | null;

  @Field(() => String, { nullable: true, description: 'Why the latest attempt failed.' })
  lastError: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the endpoint last acknowledged it (2xx).',
  })
  deliveredAt: Date | null;

  @Field({ description: 'When the delivery was created.' })
  createdAt: Date;

  @Field({ description: 'When the delivery last changed.' })
  updatedAt: Date;

  @Field(() => [WebhookDeliveryAttempt], { description: 'The attempt log, oldest first.' })
  attempts: WebhookDeliveryAttempt[];
}

@ObjectType('WebhookDeliveryConnection', { description: 'A page of webhook deliveries.' })
export class WebhookDeliveryConnection extends Paginated(WebhookDelivery, 'WebhookDelivery') {}

const toAttemptModel = (entity: WebhookDeliveryAttemptEntity): WebhookDeliveryAttempt => ({
  attemptNumber: entity.attemptNumber,
  startedAt: entity.startedAt,
  durationMs: entity.durationMs,
  statusCode: entity.statusCode,
  responseBody: entity.responseBody,
  error: entity.error,
});

export const toWebhookDeliveryModel = ({
  delivery,
  attempts,
}: DeliveryWithAttempts): WebhookDelivery => ({
  id: delivery.id,
  eventId: delivery.eventId,
  endpointId: delivery.endpointId,
  merchantId: delivery.merchantId,
  status: delivery.status,
  attemptCount: delivery.attemptCount,
  nextAttemptAt: delivery.nextAttemptAt,
  lastStatusCode: delivery.lastStatusCode,
  lastError: delivery.lastError,
  deliveredAt: delivery.deliveredAt,
  createdAt: delivery.createdAt,
  updatedAt: delivery.updatedAt,
  attempts: attempts.map(toAttemptModel),
});
