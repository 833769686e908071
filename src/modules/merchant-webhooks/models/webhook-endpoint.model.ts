import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import type { WebhookEndpointEntity } from '../entities/webhook-endpoint.entity';

@ObjectType('WebhookEndpoint', {
  description: 'A URL a merchant receives its events at (the signing secret is never shown again).',
})
export class WebhookEndpoint {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field(() => ID, { description: 'The merchant that owns the endpoint.' })
  merchantId: string;

  @Field({ description: 'Where events are POSTed.' })
  url: string;

  @Field(() => [String], {
    description:
      'Event types sent to this endpoint (`payment.captured`, `payment.*`); empty means every type.',
  })
  eventTypes: string[];

  @Field({ description: 'False while the endpoint is paused: its deliveries wait.' })
  enabled: boolean;

  @Field(() => String, { nullable: true, description: 'A note chosen by the merchant.' })
  description: string | null;

  @Field({ description: 'When the endpoint was created.' })
  createdAt: Date;

  @Field({ description: 'When the endpoint last changed.' })
  updatedAt: Date;
}

@ObjectType('WebhookEndpointConnection', { description: 'A page of webhook endpoints.' })
export class WebhookEndpointConnection extends Paginated(WebhookEndpoint, 'WebhookEndpoint') {}

@ObjectType('WebhookEndpointWithSecret', {
  description: 'An endpoint with its signing secret, shown this once.',
})
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint, { description: 'The endpoint.' })
  endpoint: WebhookEndpoint;

  @Field({
    description:
      'The signing secret for verifying `Payrail-Signature`. Store it now: it is not shown again.',
  })
  secret: string;
}

export const toWebhookEndpointModel = (entity: WebhookEndpointEntity): WebhookEndpoint => ({
  id: entity.id,
  merchantId: entity.merchantId,
  url: entity.url,
  eventTypes: entity.eventTypes,
  enabled: entity.enabled,
  description: entity.description,
  createdAt: entity.createdAt,
  updatedAt: entity.updatedAt,
});
