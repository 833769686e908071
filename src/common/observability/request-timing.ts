import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';

/** Where one request's time went, in milliseconds. `appMs` is everything but gateway waits. */
export interface TimingSnapshot {
  readonly totalMs: number;
  readonly gatewayMs: number;
  readonly appMs: number;
  readonly gatewayCalls: number;
}

type Clock = () => number;

/**
 * The clock of one request: when it started and how long it waited on gateways. Overlapping
 * gateway calls count once (the union of their intervals), so app time never goes negative.
 */
export class RequestTiming {
  private readonly startedAt: number;
  private waitedMs = 0;
  private inFlight = 0;
  private waitingSince = 0;
  private calls = 0;

  constructor(private readonly clock: Clock = () => performance.now()) {
    this.startedAt = clock();
  }

  /** Marks a gateway call as started; call the returned function (once) when it ends. */
  beginGatewayCall(): () => void {
    if (this.inFlight++ === 0) this.waitingSince = this.clock();
    this.calls++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.inFlight === 0) this.waitedMs += this.clock() - this.waitingSince;
    };
  }

  snapshot(): TimingSnapshot {
    const now = this.clock();
    const totalMs = Math.max(0, now - this.startedAt);
    const open = this.inFlight > 0 ? now - this.waitingSince : 0;
    const gatewayMs = Math.min(totalMs, this.waitedMs + open);
    return { totalMs, gatewayMs, appMs: totalMs - gatewayMs, gatewayCalls: this.calls };
  }
}

const storage = new AsyncLocalStorage<RequestTiming>();

/** Runs `fn` (and everything it awaits or schedules) with `timing` as the current request's clock. */
export function runWithRequestTiming<T>(timing: RequestTiming, fn: () => T): T {
  return storage.run(timing, fn);
}

/** The current request's clock, or undefined outside a request (queue jobs, schedulers). */
export function currentRequestTiming(): RequestTiming | undefined {
  return storage.getStore();
}

/** Starts timing a gateway call against the current request, if any; returns its end marker. */
export function beginGatewayCall(): () => void {
  return storage.getStore()?.beginGatewayCall() ?? noop;
}

function noop(): void {}

/** W3C Server-Timing: `app;dur=12.3, gateway;dur=40.0, total;dur=52.3`. */
export function formatServerTiming(snapshot: TimingSnapshot): string {
  const dur = (ms: number): string => Math.max(0, ms).toFixed(1);
  return `app;dur=${dur(snapshot.appMs)}, gateway;dur=${dur(snapshot.gatewayMs)}, total;dur=${dur(snapshot.totalMs)}`;
}

const TIMING = Symbol('payrail.requestTiming');

interface TimedRequest {
  [TIMING]?: RequestTiming;
}

/**
 * Gives every request its own timing context and answers with a Server-Timing header.
 * `onFinished` gets the app-only seconds (whole response minus gateway waits) for metrics.
 */
export function registerRequestTiming(
  fastify: FastifyInstance,
  onFinished: (request: FastifyRequest, reply: FastifyReply, appSeconds: number) => void,
): void {
  // Fastify parses bodies inside an AsyncResource of the request, so the handler (and everything
  // it awaits) stays in the context entered here; the chunked-body spec holds it to that.
  fastify.addHook('onRequest', (request, _reply, done) => {
    const timing = new RequestTiming();
    (request as TimedRequest)[TIMING] = timing;
    storage.run(timing, done);
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const timing = (request as TimedRequest)[TIMING];
    if (timing) void reply.header('server-timing', formatServerTiming(timing.snapshot()));
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const timing = (request as TimedRequest)[TIMING];
    if (timing) {
      const { gatewayMs } = timing.snapshot();
      onFinished(request, reply, Math.max(0, reply.elapsedTime - gatewayMs) / 1000);
    }
    done();
  });
}
