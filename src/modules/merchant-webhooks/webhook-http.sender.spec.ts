import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDelivered, MAX_LOGGED_RESPONSE_BYTES, postWebhook } from './webhook-http.sender';

describe('postWebhook (against a loopback server)', () => {
  let server: Server;
  let base: string;
  let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void;
  const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ headers: req.headers, body });
        handler(req, res, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    received.length = 0;
    handler = (_req, res) => res.writeHead(200).end('ok');
  });

  const post = (overrides: Partial<Parameters<typeof postWebhook>[0]> = {}) =>
    postWebhook({
      url: `${base}/hook`,
      body: '{"id":"evt"}',
      headers: { 'content-type': 'application/json', 'payrail-event-id': 'evt' },
      timeoutMs: 2_000,
      allowPrivate: true,
      ...overrides,
    });

  it('POSTs the exact body with our headers and reports a 2xx as delivered', async () => {
    const response = await post();
    expect(isDelivered(response)).toBe(true);
    expect(response).toMatchObject({ statusCode: 200, body: 'ok', error: null });
    expect(received[0]!.body).toBe('{"id":"evt"}');
    expect(received[0]!.headers['payrail-event-id']).toBe('evt');
    expect(received[0]!.headers['content-length']).toBe('12');
  });

  it('reports a 500 as not delivered, keeping the start of the body', async () => {
    handler = (_req, res) => res.writeHead(500).end('x'.repeat(10_000));
    const response = await post();
    expect(isDelivered(response)).toBe(false);
    expect(response.statusCode).toBe(500);
    expect(response.body!.length).toBe(MAX_LOGGED_RESPONSE_BYTES);
  });

  it('does not follow redirects', async () => {
    handler = (_req, res) => res.writeHead(302, { location: `${base}/elsewhere` }).end();
    const response = await post();
    expect(response.statusCode).toBe(302);
    expect(isDelivered(response)).toBe(false);
    expect(received).toHaveLength(1);
  });

  it('gives up after the timeout', async () => {
    handler = () => undefined; // never answers
    const response = await post({ timeoutMs: 200 });
    expect(response.statusCode).toBeNull();
    expect(response.error).toContain('timed out after 200 ms');
    expect(response.durationMs).toBeGreaterThanOrEqual(190);
  });

  it('reports a refused connection as an error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const response = await post({ url: `http://127.0.0.1:${port}/hook` });
    expect(response.statusCode).toBeNull();
    expect(response.error).toContain('ECONNREFUSED');
  });

  it('refuses loopback targets without connecting when private URLs are not allowed', async () => {
    const literal = await post({ allowPrivate: false });
    expect(literal.error).toContain('loopback, private or link-local');
    const named = await postWebhook(
      {
        url: `${base.replace('127.0.0.1', 'hooks.shop.test')}/hook`,
        body: '{}',
        headers: {},
        timeoutMs: 2_000,
        allowPrivate: false,
      },
      () => Promise.resolve(['127.0.0.1']),
    );
    expect(named.error).toContain('EWEBHOOKFORBIDDENADDRESS');
    expect(received).toHaveLength(0);
  });
});
