import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RawWebhook } from '../../src/gateways/payment-gateway';

export interface ReceivedWebhook extends RawWebhook {
  readonly path: string;
}

/**
 * A stand-in for our webhook endpoint in gateway suites: records every callback a simulator
 * delivers, byte for byte, and answers as the test tells it (default 200 + `SUCCESS`).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  respondWith: { status: number; body: string } = { status: 200, body: 'SUCCESS' };
  private server?: Server;
  private baseUrl = '';
  private waiters: Array<{
    predicate: (w: ReceivedWebhook) => boolean;
    resolve: (w: ReceivedWebhook) => void;
  }> = [];

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://receiver');
        const webhook: ReceivedWebhook = {
          path: url.pathname,
          headers: req.headers,
          rawBody: Buffer.concat(chunks),
          query: Object.fromEntries(url.searchParams),
        };
        this.received.push(webhook);
        this.waiters = this.waiters.filter((waiter) => {
          if (!waiter.predicate(webhook)) return true;
          waiter.resolve(webhook);
          return false;
        });
        res
          .writeHead(this.respondWith.status, { 'content-type': 'text/plain' })
          .end(this.respondWith.body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  url(path = '/webhooks'): string {
    return `${this.baseUrl}${path}`;
  }

  /** Resolves with the first callback (already received or still to come) that matches. */
  waitFor(
    predicate: (webhook: ReceivedWebhook) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<ReceivedWebhook> {
    const found = this.received.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching webhook arrived')), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (webhook) => {
          clearTimeout(timer);
          resolve(webhook);
        },
      });
    });
  }

  clear(): void {
    this.received.length = 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
