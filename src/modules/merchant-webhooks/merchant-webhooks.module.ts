import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxEventEntity } from './entities/outbox-event.entity';
import { WebhookDeliveryAttemptEntity } from './entities/webhook-delivery-attempt.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { DispatchScheduler } from './jobs/dispatch-scheduler';
import { MERCHANT_WEBHOOKS_QUEUE } from './jobs/merchant-webhooks.jobs';
import { MerchantWebhooksProcessor } from './jobs/merchant-webhooks.processor';
import { MerchantWebhooksResolver } from './merchant-webhooks.resolver';
import { OutboxService } from './outbox.service';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEndpointsService } from './webhook-endpoints.service';

/**
 * Outgoing merchant webhooks: a transactional outbox (OutboxService.record inside the writer's
 * transaction), signed deliveries with retries on the `merchant-webhooks` queue, and the GraphQL
 * API to manage endpoints, read events and deliveries, and replay. The resolver is inert in the
 * worker, which has no GraphQL.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      WebhookEndpointEntity,
      OutboxEventEntity,
      WebhookDeliveryEntity,
      WebhookDeliveryAttemptEntity,
    ]),
    BullModule.registerQueue({ name: MERCHANT_WEBHOOKS_QUEUE }),
  ],
  providers: [
    OutboxService,
    WebhookDispatcher,
    WebhookEndpointsService,
    WebhookDeliveriesService,
    MerchantWebhooksProcessor,
    DispatchScheduler,
    MerchantWebhooksResolver,
  ],
  exports: [OutboxService],
})
export class MerchantWebhooksModule {}
