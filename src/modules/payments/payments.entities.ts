import { IdempotencyKeyEntity } from './entities/idempotency-key.entity';
import { MerchantGatewayEntity } from './entities/merchant-gateway.entity';
import { PaymentAttemptEntity } from './entities/payment-attempt.entity';
import { PaymentEventEntity } from './entities/payment-event.entity';
import { PaymentEntity } from './entities/payment.entity';
import { RefundEntity } from './entities/refund.entity';
import { RoutingRuleEntity } from './entities/routing-rule.entity';
import { WebhookEventEntity } from './entities/webhook-event.entity';

/** The payments module's entities, registered in src/database/entities.ts. */
export const PAYMENT_ENTITIES = [
  PaymentEntity,
  PaymentAttemptEntity,
  PaymentEventEntity,
  RefundEntity,
  IdempotencyKeyEntity,
  WebhookEventEntity,
  MerchantGatewayEntity,
  RoutingRuleEntity,
];
