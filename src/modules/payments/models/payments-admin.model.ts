import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import type { MerchantGatewayEntity } from '../entities/merchant-gateway.entity';
import type { RoutingRuleEntity } from '../entities/routing-rule.entity';
import type { WebhookEventEntity } from '../entities/webhook-event.entity';

@ObjectType('GatewayWebhookEvent', {
  description: 'One verified gateway callback event in the inbox.',
})
export class GatewayWebhookEvent {
  @Field(() => ID, { description: 'Inbox row id (also its job id).' })
  id: string;

  @Field({ description: 'The gateway that sent it.' })
  gatewayCode: string;

  @Field({ description: 'The gateway’s event id (unique per gateway).' })
  gatewayEventId: string;

  @Field({ description: 'Our event type, e.g. payment.captured.' })
  type: string;

  @Field({ description: 'RECEIVED, PROCESSED, IGNORED or FAILED.' })
  status: string;

  @Field(() => Int, { description: 'Processing tries so far.' })
  attempts: number;

  @Field(() => String, { nullable: true, description: 'Last error or note.' })
  lastError: string | null;

  @Field(() => ID, { nullable: true, description: 'The payment it applied to.' })
  paymentId: string | null;

  @Field({ description: 'When it arrived.' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it was applied.' })
  processedAt: Date | null;
}

@ObjectType('GatewayWebhookEventConnection', { description: 'A page of gateway webhook events.' })
export class GatewayWebhookEventConnection extends Paginated(
  GatewayWebhookEvent,
  'GatewayWebhookEvent',
) {}

export const toGatewayWebhookEventModel = (row: WebhookEventEntity): GatewayWebhookEvent => ({
  id: row.id,
  gatewayCode: row.gatewayCode,
  gatewayEventId: row.gatewayEventId,
  type: row.type,
  status: row.status,
  attempts: row.attempts,
  lastError: row.lastError,
  paymentId: row.paymentId,
  createdAt: row.createdAt,
  processedAt: row.processedAt,
});

@ObjectType('MerchantGateway', { description: 'A merchant’s switch for one gateway.' })
export class MerchantGateway {
  @Field({ description: 'The gateway.' })
  gatewayCode: string;

  @Field({ description: 'Whether payments may use it.' })
  enabled: boolean;

  @Field(() => String, { nullable: true, description: 'Secret-store key of its credentials.' })
  credentialsRef: string | null;

  @Field({ description: 'When it last changed.' })
  updatedAt: Date;
}

export const toMerchantGatewayModel = (row: MerchantGatewayEntity): MerchantGateway => ({
  gatewayCode: row.gatewayCode,
  enabled: row.enabled,
  credentialsRef: row.credentialsRef,
  updatedAt: row.updatedAt,
});

@ObjectType('RoutingRule', { description: 'Sends matching payments to a gateway.' })
export class RoutingRule {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field({ description: 'A label.' })
  name: string;

  @Field(() => Int, { description: 'Lower runs first.' })
  priority: number;

  @Field({ description: 'The gateway.' })
  gatewayCode: string;

  @Field(() => String, { nullable: true, description: 'Currency condition.' })
  currency: string | null;

  @Field(() => String, { nullable: true, description: 'Payment method condition (lower case).' })
  paymentMethod: string | null;

  @Field(() => SafeIntScalar, { nullable: true, description: 'Minimum amount condition.' })
  minAmountMinor: number | null;

  @Field(() => SafeIntScalar, { nullable: true, description: 'Maximum amount condition.' })
  maxAmountMinor: number | null;

  @Field(() => String, { nullable: true, description: 'Country condition.' })
  country: string | null;

  @Field(() => Int, { description: 'Weight among equal priorities.' })
  weight: number;

  @Field({ description: 'When it was created.' })
  createdAt: Date;
}

export const toRoutingRuleModel = (row: RoutingRuleEntity): RoutingRule => ({
  id: row.id,
  name: row.name,
  priority: row.priority,
  gatewayCode: row.gatewayCode,
  currency: row.currency,
  paymentMethod: row.paymentMethod,
  minAmountMinor: row.minAmountMinor,
  maxAmountMinor: row.maxAmountMinor,
  country: row.country,
  weight: row.weight,
  createdAt: row.createdAt,
});
