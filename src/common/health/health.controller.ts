import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator';
import { MetricsService } from '../observability/metrics.service';
import { REDIS_CLIENT } from '../redis/redis.module';

type CheckResult = { status: 'up' } | { status: 'down'; error: string };

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${ms}ms`)), ms).unref(),
    ),
  ]);

// Probes and scrapes must answer while Redis (the rate-limit store) is down.
@SkipThrottle()
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly metrics: MetricsService,
  ) {}

  /** Liveness: the process answers. Never touches dependencies, so a DB outage does not restart pods. */
  @Get('health')
  @Public()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: MySQL and Redis answer. 503 while either is down. */
  @Get('health/ready')
  @Public()
  async ready(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: 'ready' | 'not_ready'; checks: Record<string, CheckResult> }> {
    const [database, redis] = await Promise.all([
      this.check(() => this.dataSource.query('SELECT 1')),
      this.check(() => this.redis.ping()),
    ]);
    const ready = database.status === 'up' && redis.status === 'up';
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not_ready', checks: { database, redis } };
  }

  @Get('metrics')
  @Public()
  @Header('cache-control', 'no-store')
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const { contentType, body } = await this.metrics.render();
    void reply.header('content-type', contentType).send(body);
  }

  private async check(probe: () => Promise<unknown>): Promise<CheckResult> {
    try {
      await withTimeout(probe(), 2_000);
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', error: (error as Error).message };
    }
  }
}
