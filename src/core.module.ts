import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { EncryptionModule } from './common/crypto/encryption.module';
import { loggerParams } from './common/observability/logging';
import { MetricsModule } from './common/observability/metrics.module';
import { RedisModule } from './common/redis/redis.module';
import { appConfig } from './config/app.config';
import { authConfig } from './config/auth.config';
import { databaseConfig } from './config/database.config';
import { encryptionConfig } from './config/encryption.config';
import { validateEnvironment } from './config/env.validation';
import { graphqlConfig } from './config/graphql.config';
import { rateLimitConfig } from './config/rate-limit.config';
import { redisConfig } from './config/redis.config';
import { buildDataSourceOptions } from './database/data-source-options';
import { merchantWebhooksConfig } from './modules/merchant-webhooks/merchant-webhooks.config';

/** What both the API and the queue worker run on: config, logs, MySQL, Redis, Bull, metrics, encryption. */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      validate: validateEnvironment,
      load: [
        appConfig,
        databaseConfig,
        redisConfig,
        authConfig,
        graphqlConfig,
        rateLimitConfig,
        encryptionConfig,
        merchantWebhooksConfig,
      ],
    }),
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: ConfigType<typeof appConfig>) =>
        loggerParams(config.logLevel, config.profile === 'development' && process.stdout.isTTY),
    }),
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: ConfigType<typeof databaseConfig>) => ({
        ...buildDataSourceOptions(config),
        retryAttempts: 2,
        retryDelay: 1_000,
      }),
    }),
    RedisModule,
    BullModule.forRootAsync({
      inject: [redisConfig.KEY],
      useFactory: (config: ConfigType<typeof redisConfig>) => ({
        redis: { host: config.host, port: config.port, password: config.password, db: config.db },
        prefix: `${config.keyPrefix}:bull`,
      }),
    }),
    MetricsModule,
    EncryptionModule,
  ],
  exports: [RedisModule, MetricsModule, EncryptionModule],
})
export class CoreModule {}
