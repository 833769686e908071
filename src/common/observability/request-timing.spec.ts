import Fastify from 'fastify';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  beginGatewayCall,
  currentRequestTiming,
  formatServerTiming,
  registerRequestTiming,
  RequestTiming,
  runWithRequestTiming,
} from './request-timing';

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

/** A promise the test resolves when it chooses: lets two contexts interleave in a fixed order. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** What a gateway client does: marks the call in whatever request is current, awaits the wire. */
async function fakeGatewayCall(wire: Promise<void>): Promise<void> {
  const end = beginGatewayCall();
  try {
    await wire;
  } finally {
    end();
  }
}

describe('RequestTiming', () => {
  it('splits total time into gateway waits and the rest', () => {
    const clock = manualClock();
    const timing = new RequestTiming(clock.now);
    clock.advance(5);
    const end = timing.beginGatewayCall();
    clock.advance(30);
    end();
    end(); // a second end is ignored
    clock.advance(7);
    expect(timing.snapshot()).toEqual({ totalMs: 42, gatewayMs: 30, appMs: 12, gatewayCalls: 1 });
  });

  it('counts overlapping gateway calls once and includes a call still in flight', () => {
    const clock = manualClock();
    const timing = new RequestTiming(clock.now);
    const first = timing.beginGatewayCall();
    clock.advance(10);
    const second = timing.beginGatewayCall();
    clock.advance(10);
    first();
    clock.advance(10);
    second();
    clock.advance(4);
    expect(timing.snapshot()).toMatchObject({ totalMs: 34, gatewayMs: 30, appMs: 4 });
    const third = timing.beginGatewayCall();
    clock.advance(6);
    expect(timing.snapshot()).toMatchObject({ totalMs: 40, gatewayMs: 36, gatewayCalls: 3 });
    third();
  });

  it('formats a W3C Server-Timing value with one decimal', () => {
    expect(
      formatServerTiming({ totalMs: 52.345, gatewayMs: 40, appMs: 12.345, gatewayCalls: 1 }),
    ).toBe('app;dur=12.3, gateway;dur=40.0, total;dur=52.3');
  });

  it('does nothing for gateway calls outside a request', async () => {
    expect(currentRequestTiming()).toBeUndefined();
    await expect(fakeGatewayCall(Promise.resolve())).resolves.toBeUndefined();
  });

  it('keeps two interleaved requests apart', async () => {
    const clock = manualClock();
    const a = new RequestTiming(clock.now);
    const b = new RequestTiming(clock.now);
    const wireA = gate();
    const wireB = gate();
    const bStarted = gate();

    // A: one 20 ms gateway call. B: one 40 ms gateway call that starts while A's is in flight.
    const runA = runWithRequestTiming(a, async () => {
      await fakeGatewayCall(wireA.wait);
      expect(currentRequestTiming()).toBe(a);
    });
    clock.advance(10);
    const runB = runWithRequestTiming(b, async () => {
      const call = fakeGatewayCall(wireB.wait);
      bStarted.open();
      await call;
      expect(currentRequestTiming()).toBe(b);
      // More gateway work after the interleaving lands in B's context too.
      const end = beginGatewayCall();
      clock.advance(5);
      end();
    });
    await bStarted.wait;
    clock.advance(20);
    wireA.open();
    await runA;
    clock.advance(20);
    wireB.open();
    await runB;

    expect(a.snapshot()).toMatchObject({ gatewayMs: 30, gatewayCalls: 1 });
    expect(b.snapshot()).toMatchObject({ gatewayMs: 45, gatewayCalls: 2 });
    expect(currentRequestTiming()).toBeUndefined();
  });
});

/** Sends a JSON body in two writes 30 ms apart; resolves with the Server-Timing header. */
function postInTwoChunks(port: number, body: unknown): Promise<string | null> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/work',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve((response.headers['server-timing'] as string) ?? null));
      },
    );
    request.on('error', reject);
    request.write(text.slice(0, 5));
    setTimeout(() => request.end(text.slice(5)), 30);
  });
}

describe('registerRequestTiming', () => {
  it('answers with Server-Timing per request, each request timing only its own gateway calls', async () => {
    const fastify = Fastify();
    const appSeconds: number[] = [];
    registerRequestTiming(fastify, (_request, _reply, seconds) => appSeconds.push(seconds));
    fastify.post<{ Body: { gatewayMs: number } }>('/work', async (request) => {
      const end = beginGatewayCall();
      await sleep(request.body.gatewayMs);
      end();
      return { ok: true };
    });
    fastify.get('/plain', async () => ({ ok: true }));
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = fastify.server.address() as { port: number };
      const post = (gatewayMs: number) =>
        fetch(`http://127.0.0.1:${port}/work`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ gatewayMs }),
        });
      const [slow, fast, plain, chunked] = await Promise.all([
        post(200),
        post(0),
        fetch(`http://127.0.0.1:${port}/plain`),
        postInTwoChunks(port, { gatewayMs: 50 }),
      ]);
      const parse = (header: string | null) =>
        Object.fromEntries(
          (header ?? '').split(', ').map((part) => {
            const [name, dur] = part.split(';dur=');
            return [name, Number(dur)];
          }),
        );
      const slowTiming = parse(slow.headers.get('server-timing'));
      const fastTiming = parse(fast.headers.get('server-timing'));
      const plainTiming = parse(plain.headers.get('server-timing'));
      expect(slow.headers.get('server-timing')).toMatch(
        /^app;dur=\d+\.\d, gateway;dur=\d+\.\d, total;dur=\d+\.\d$/,
      );
      expect(slowTiming.gateway).toBeGreaterThanOrEqual(190);
      expect(slowTiming.total).toBeGreaterThanOrEqual(slowTiming.gateway);
      expect(fastTiming.gateway).toBeLessThan(100);
      expect(plainTiming.gateway).toBe(0);
      // A body that arrives in pieces is parsed in the socket's context: the handler must still
      // run in the request's.
      expect(parse(chunked).gateway).toBeGreaterThanOrEqual(45);
      expect(appSeconds).toHaveLength(4);
      for (const seconds of appSeconds) expect(seconds).toBeLessThan(0.19);
    } finally {
      await fastify.close();
    }
  });
});
