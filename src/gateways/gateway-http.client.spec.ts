import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayHttpClient } from './gateway-http.client';
import { GatewayError } from './gateway.error';

type Behaviour = 'hang' | number;

/** A local server answering each request by the next behaviour: hang (never answer) or a status. */
async function startServer(
  behaviours: Behaviour[],
): Promise<{ server: Server; url: string; arrived: Promise<void> }> {
  const hanging: ServerResponse[] = [];
  let markArrived!: () => void;
  const arrived = new Promise<void>((resolve) => (markArrived = resolve));
  const server = createServer((_request: IncomingMessage, response: ServerResponse) => {
    markArrived();
    const next = behaviours.shift() ?? 200;
    if (next === 'hang') {
      hanging.push(response);
      return;
    }
    response.writeHead(next, { 'content-type': 'application/json' }).end('{}');
  });
  server.on('close', () => hanging.forEach((response) => response.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, arrived };
}

const clientFor = (url: string) =>
  new GatewayHttpClient({
    gatewayCode: 'mpesa',
    baseUrl: url,
    timeoutMs: 150,
    maxRetries: 1,
    retryBaseDelayMs: 1,
  });

async function failureOf(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('GatewayHttpClient retries', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
    );
  });

  it('reports a refused connection with no earlier try as unavailable (never sent)', async () => {
    const { server, url } = await startServer([]);
    await new Promise((resolve) => server.close(resolve));
    const error = await failureOf(
      clientFor(url).request({ method: 'POST', path: '/b2c', body: '{}', idempotent: true }),
    );
    expect(error.kind).toBe('unavailable');
  });

  it('reports a refusal after a timed-out try as unknown, not unavailable', async () => {
    const { server, url, arrived } = await startServer(['hang']);
    const client = clientFor(url);
    const sending = client.request({ method: 'POST', path: '/b2c', body: '{}', idempotent: true });
    // Stop listening once the first try has reached the server and hangs: the retry is refused.
    await arrived;
    server.close();
    const error = await failureOf(sending);
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('earlier try that may have reached it');
  });

  it('reports a 503 after a timed-out try as unknown', async () => {
    const { server, url } = await startServer(['hang', 503]);
    servers.push(server);
    const error = await failureOf(
      clientFor(url).request({ method: 'POST', path: '/payouts', body: '{}', idempotent: true }),
    );
    expect(error).toMatchObject({ kind: 'timeout', httpStatus: 503 });
  });

  it('returns a 503 answered on every try to the caller (the gateway said it did not act)', async () => {
    const { server, url } = await startServer([503, 503]);
    servers.push(server);
    const response = await clientFor(url).request({
      method: 'POST',
      path: '/payouts',
      body: '{}',
      idempotent: true,
    });
    expect(response.status).toBe(503);
  });

  it('answers normally when the retry after a timeout succeeds', async () => {
    const { server, url } = await startServer(['hang', 200]);
    servers.push(server);
    const response = await clientFor(url).request({ method: 'GET', path: '/x', idempotent: true });
    expect(response.status).toBe(200);
  });
});
