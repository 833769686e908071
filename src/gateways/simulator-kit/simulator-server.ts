import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { CallbackDispatcher, type CallbackOptions } from './callback-dispatcher';
import { FaultBook, type Fault } from './faults';

/** One request as a simulator route sees it. */
export interface SimRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Record<string, string>;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly rawBody: Buffer;
  /** The body parsed by content type: JSON object, form fields as a record, or undefined. */
  readonly body: unknown;
}

export interface SimResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

export type SimHandler = (request: SimRequest) => Promise<SimResponse> | SimResponse;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: string[];
  readonly handler: SimHandler;
}

export const MAX_SIM_BODY_BYTES = 1024 * 1024;

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export function html(status: number, body: string): SimResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}

export function text(status: number, body: string): SimResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function compile(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        names.push(segment.slice(1));
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), names };
}

function parseBody(contentType: string | undefined, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') {
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch {
      return undefined;
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  }
  return undefined;
}

/**
 * The HTTP core every gateway simulator shares: routing, body limits, scripted faults, a control
 * API under `/__sim/` (state, faults, reset) and signed-callback delivery with retries.
 * A gateway simulator registers the gateway's real paths and keeps its own record of truth.
 */
export class SimulatorServer {
  readonly faults = new FaultBook();
  readonly callbacks: CallbackDispatcher;
  private readonly routes: Route[] = [];
  // Hanging requests (hang_after_commit) are released on close so no timer outlives the server.
  private readonly hangs = new Set<AbortController>();
  private server?: Server;
  private baseUrl?: string;

  constructor(
    readonly name: string,
    private readonly stateSnapshot: () => unknown,
    private readonly onReset: () => void,
    callbackOptions: Partial<CallbackOptions> = {},
  ) {
    this.callbacks = new CallbackDispatcher(this.faults, callbackOptions);
    this.route('GET', '/__sim/state', () => json(200, this.stateSnapshot()));
    this.route('GET', '/__sim/callbacks', () => json(200, this.callbacks.log));
    this.route('POST', '/__sim/faults', (request) => {
      const fault = request.body as Fault | undefined;
      if (!fault || typeof fault !== 'object' || typeof fault.action !== 'string') {
        return json(400, { error: 'body must be a fault: {"action": "...", ...}' });
      }
      return json(201, { id: this.faults.add(fault) });
    });
    this.route('POST', '/__sim/reset', () => {
      this.reset();
      return json(200, { ok: true });
    });
    this.route('POST', '/__sim/callbacks/flush', async () => {
      await this.callbacks.releaseHeld();
      return json(200, { ok: true });
    });
  }

  /** Registers a route; `:name` segments become params. */
  route(method: string, path: string, handler: SimHandler): void {
    const { pattern, names } = compile(path);
    this.routes.push({ method: method.toUpperCase(), pattern, names, handler });
  }

  get url(): string {
    if (!this.baseUrl) throw new Error(`${this.name} simulator is not listening`);
    return this.baseUrl;
  }

  reset(): void {
    this.faults.clear();
    this.callbacks.reset();
    this.onReset();
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${address.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    await this.callbacks.drain();
    for (const hang of this.hangs) hang.abort();
    this.hangs.clear();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const raw = await this.readBody(req);
      if (raw === null) {
        res
          .writeHead(413, { 'content-type': 'application/json' })
          .end('{"error":"request body too large"}');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://simulator');
      const method = (req.method ?? 'GET').toUpperCase();
      const match = this.match(method, url.pathname);
      if (!match) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'not found', path: url.pathname }));
        return;
      }
      const request: SimRequest = {
        method,
        path: url.pathname,
        params: match.params,
        query: url.searchParams,
        headers: req.headers,
        rawBody: raw,
        body: parseBody(req.headers['content-type'], raw),
      };
      const control = url.pathname.startsWith('/__sim/');
      const fault = control ? undefined : this.faults.takeRequestFault(method, url.pathname);
      if (fault?.action === 'latency') await sleep(fault.ms ?? 100);
      if (fault?.action === 'error') {
        res
          .writeHead(fault.status ?? 503, { 'content-type': 'application/json' })
          .end(fault.body ?? '{"error":"simulated outage"}');
        return;
      }
      if (fault?.action === 'drop_before') {
        req.socket.destroy();
        return;
      }
      const response = await match.route.handler(request);
      if (fault?.action === 'hang_after_commit') {
        // The gateway acted; the caller never hears about it.
        const hang = new AbortController();
        this.hangs.add(hang);
        await sleep(fault.ms ?? 30_000, undefined, { signal: hang.signal }).catch(() => undefined);
        this.hangs.delete(hang);
        req.socket.destroy();
        return;
      }
      res.writeHead(response.status, response.headers ?? {}).end(response.body ?? '');
    } catch (error) {
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'simulator error', message: String(error) }));
    }
  }

  private match(
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => (params[name] = decodeURIComponent(found[index + 1])));
      return { route, params };
    }
    return undefined;
  }

  private readBody(req: IncomingMessage): Promise<Buffer | null> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_SIM_BODY_BYTES) tooLarge = true;
        else chunks.push(chunk);
      });
      req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }
}
