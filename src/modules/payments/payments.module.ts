import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatewaysModule } from '../../gateways/gateways.module';
import { AuditModule } from '../audit/audit.module';
import { LedgerModule } from '../ledger/ledger.module';
import { MerchantWebhooksModule } from '../merchant-webhooks/merchant-webhooks.module';
import { ordersConfig } from '../orders/orders.config';
import { OrdersModule } from '../orders/orders.module';
import { RiskModule } from '../risk/risk.module';
import { walletsConfig } from '../wallets/wallets.config';
import { IdempotencyService } from './idempotency/idempotency.service';
import { GatewayEventsProcessor } from './jobs/gateway-events.processor';
import { GATEWAY_EVENTS_QUEUE, PAYMENTS_MAINTENANCE_QUEUE } from './jobs/payment-queues';
import { PaymentsMaintenanceProcessor } from './jobs/payments-maintenance.processor';
import { OrderPaymentsResolver } from './order-payments.resolver';
import { PaymentStateService } from './payment-state.service';
import { PaymentUpdatesPublisher } from './payment-updates.publisher';
import { PaymentUpdatesResolver } from './payment-updates.resolver';
import { PaymentUpdatesSubscriber } from './payment-updates.subscriber';
import { PaymentsAdminResolver } from './payments-admin.resolver';
import { paymentsConfig } from './payments.config';
import { PAYMENT_ENTITIES } from './payments.entities';
import { PaymentsResolver } from './payments.resolver';
import { PaymentsService } from './payments.service';
import { ReconciliationService } from './reconciliation/reconciliation.service';
import { RoutingResolver } from './routing/routing.resolver';
import { RoutingService } from './routing/routing.service';
import { GatewayWebhooksController } from './webhooks/gateway-webhooks.controller';
import { GatewayEventHandlers } from './webhooks/gateway-event-handlers';
import { GatewayWebhooksService } from './webhooks/gateway-webhooks.service';

/**
 * Payments: intents and attempts, routing and failover, idempotency, the gateway callback inbox
 * and its processor, reconciliation. Depends on orders, gateways, ledger, outbox, risk and audit.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(PAYMENT_ENTITIES),
    ConfigModule.forFeature(paymentsConfig),
    ConfigModule.forFeature(ordersConfig),
    // Which merchant owns wallet top-up orders: those are paid as top-ups only.
    ConfigModule.forFeature(walletsConfig),
    BullModule.registerQueue({ name: GATEWAY_EVENTS_QUEUE }, { name: PAYMENTS_MAINTENANCE_QUEUE }),
    GatewaysModule,
    OrdersModule,
    LedgerModule,
    MerchantWebhooksModule,
    RiskModule,
    AuditModule,
  ],
  controllers: [GatewayWebhooksController],
  providers: [
    PaymentsService,
    PaymentStateService,
    PaymentUpdatesPublisher,
    PaymentUpdatesSubscriber,
    PaymentUpdatesResolver,
    IdempotencyService,
    RoutingService,
    GatewayWebhooksService,
    GatewayEventHandlers,
    ReconciliationService,
    GatewayEventsProcessor,
    PaymentsMaintenanceProcessor,
    PaymentsResolver,
    PaymentsAdminResolver,
    RoutingResolver,
    OrderPaymentsResolver,
  ],
  exports: [PaymentsService, PaymentStateService, GatewayEventHandlers],
})
export class PaymentsModule {}
