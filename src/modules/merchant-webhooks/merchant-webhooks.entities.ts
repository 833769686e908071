import { OutboxEventEntity } from './entities/outbox-event.entity';
import { WebhookDeliveryAttemptEntity } from './entities/webhook-delivery-attempt.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';

/** The merchant webhooks' entities, registered in src/database/entities.ts. */
export const MERCHANT_WEBHOOK_ENTITIES = [
  WebhookEndpointEntity,
  OutboxEventEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
];
