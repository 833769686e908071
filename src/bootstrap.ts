import 'reflect-metadata';
import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { readFileSync } from 'node:fs';
import { AppModule } from './app.module';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { requestIdFor } from './common/observability/logging';
import { MetricsService } from './common/observability/metrics.service';
import { registerRequestTiming } from './common/observability/request-timing';
import { createValidationPipe } from './common/validation';
import { appConfig } from './config/app.config';
import { graphqlConfig } from './config/graphql.config';

/** Builds the HTTP app exactly as production runs it; tests call this too. */
export async function createApp(): Promise<NestFastifyApplication> {
  const config = appConfig();
  const tls =
    config.tlsCertPath && config.tlsKeyPath
      ? { cert: readFileSync(config.tlsCertPath), key: readFileSync(config.tlsKeyPath) }
      : undefined;
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: requestIdFor,
    requestIdHeader: false,
    return503OnClosing: true,
    ...(tls ? { https: tls } : {}),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    bufferLogs: true,
    rawBody: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();

  await app.register(helmet, {
    // GraphiQL sets its own, stricter policy on its page; the API serves only JSON.
    contentSecurityPolicy: false,
    hsts: tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  app.enableCors({
    origin: (origin, callback) => callback(null, !origin || config.corsOrigins.includes(origin)),
    credentials: true,
    allowedHeaders: [
      'authorization',
      'content-type',
      'x-request-id',
      'idempotency-key',
      'apollo-require-preflight',
    ],
    exposedHeaders: ['x-request-id', 'retry-after', 'server-timing'],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsService);
  const maxBatch = graphqlConfig().maxBatch;
  // Registered before our other hooks so the Server-Timing clock covers them too.
  registerRequestTiming(fastify, (request, _reply, appSeconds) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.observeRequestAppTime(request.method, route, appSeconds);
  });
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    void reply.header('x-request-id', request.id);
  });
  fastify.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (
      request.url.startsWith('/graphql') &&
      Array.isArray(request.body) &&
      request.body.length > maxBatch
    ) {
      await reply.status(400).send({
        errors: [
          {
            message: `A batch may hold at most ${maxBatch} operations; got ${request.body.length}`,
            extensions: {
              code: 'BAD_USER_INPUT',
              reason: 'BATCH_TOO_LARGE',
              requestId: request.id,
            },
          },
        ],
      });
    }
  });
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.observeHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  return app;
}
