import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Prometheus metrics: one registry per app instance, so tests can boot several apps. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly httpDuration = new Histogram({
    name: 'payrail_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly appDuration = new Histogram({
    name: 'payrail_request_app_seconds',
    help: 'HTTP request time spent in the app itself (latency minus gateway waits), by method and route.',
    labelNames: ['method', 'route'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly graphqlDuration = new Histogram({
    name: 'payrail_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency by operation name.',
    labelNames: ['operation'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'payrail_errors_total',
    help: 'Errors returned to clients, by surface and code.',
    labelNames: ['surface', 'code'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'payrail_' });
  }

  observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
    if (status >= 400) this.errors.inc({ surface: 'http', code: String(status) });
  }

  /** The app's own share of a request: its latency minus the time it waited on gateways. */
  observeRequestAppTime(method: string, route: string, seconds: number): void {
    this.appDuration.observe({ method, route }, seconds);
  }

  observeGraphqlOperation(operation: string, seconds: number, errorCodes: readonly string[]): void {
    this.graphqlDuration.observe({ operation }, seconds);
    for (const code of errorCodes) this.errors.inc({ surface: 'graphql', code });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
