import { GatewaysModule } from './gateways/gateways.module';
// Before anything loads the core module: they register their environment schemas.
import './modules/orders/orders.config';
import './modules/payments/payments.config';
import './modules/wallets/wallets.config';
import './modules/cards/cards.config';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ThrottlerModule } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { GlobalAuthGuard } from './common/auth/auth.guard';
import { buildGraphqlOptions } from './common/graphql/graphql-options.factory';
import { HealthController } from './common/health/health.controller';
import { MetricsModule } from './common/observability/metrics.module';
import { MetricsService } from './common/observability/metrics.service';
import { REDIS_CLIENT } from './common/redis/redis.module';
import { AppThrottlerGuard } from './common/throttling/app-throttler.guard';
import { RedisThrottlerStorage } from './common/throttling/redis-throttler.storage';
import { graphqlConfig } from './config/graphql.config';
import { rateLimitConfig } from './config/rate-limit.config';
import { redisConfig } from './config/redis.config';
import { CoreModule } from './core.module';
import { GraphiqlModule } from './graphiql/graphiql.module';
import { AuditModule } from './modules/audit/audit.module';
import { VirtualCardsModule } from './modules/cards/cards.module';
import { LedgerModule } from './modules/ledger/ledger.module';
import { MerchantWebhooksModule } from './modules/merchant-webhooks/merchant-webhooks.module';
import { OrdersModule } from './modules/orders/orders.module';
import { PaymentsModule } from './modules/payments/payments.module';
import { RiskModule } from './modules/risk/risk.module';
import { ApiKeysService } from './modules/users/api-keys.service';
import { UsersModule } from './modules/users/users.module';
import { WalletsModule } from './modules/wallets/wallets.module';

/** The HTTP API: the core plus GraphQL, auth, rate limits and the feature modules. */
@Module({
  imports: [
    CoreModule,
    ThrottlerModule.forRootAsync({
      inject: [rateLimitConfig.KEY, redisConfig.KEY, REDIS_CLIENT],
      useFactory: (
        limits: ConfigType<typeof rateLimitConfig>,
        redis: ConfigType<typeof redisConfig>,
        client: Redis,
      ) => ({
        throttlers: [
          { name: 'default', limit: limits.limit, ttl: limits.windowSeconds * 1000 },
          { name: 'auth', limit: limits.authLimit, ttl: limits.authWindowSeconds * 1000 },
        ],
        storage: new RedisThrottlerStorage(client, redis.keyPrefix),
      }),
    }),
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      // UsersModule: graphql-ws connections authenticate with its API keys and JwtStrategy.
      imports: [MetricsModule, UsersModule],
      inject: [graphqlConfig.KEY, MetricsService, ApiKeysService],
      useFactory: buildGraphqlOptions,
    }),
    GraphiqlModule,
    UsersModule,
    GatewaysModule,
    LedgerModule,
    MerchantWebhooksModule,
    RiskModule,
    AuditModule,
    OrdersModule,
    PaymentsModule,
    WalletsModule,
    VirtualCardsModule,
  ],
  controllers: [HealthController],
  providers: [
    // Order matters: authenticate first, so rate limits count per caller, not per IP.
    { provide: APP_GUARD, useClass: GlobalAuthGuard },
    { provide: APP_GUARD, useClass: AppThrottlerGuard },
  ],
})
export class AppModule {}
