import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import {
  ForbiddenAddressError,
  guardedLookup,
  isNonPublicAddress,
  resolveAllAddresses,
  type AddressResolver,
} from './webhook-url-guard';

/** How much of a merchant's answer we keep in the attempt log. */
export const MAX_LOGGED_RESPONSE_BYTES = 1_024;
const MAX_ERROR_LENGTH = 500;

export interface WebhookPost {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly allowPrivate: boolean;
}

export interface WebhookResponse {
  /** The HTTP status, or null when no response arrived. */
  readonly statusCode: number | null;
  /** The start of the response body, truncated. */
  readonly body: string | null;
  /** Why no usable response arrived (network error, timeout, refused address). */
  readonly error: string | null;
  readonly durationMs: number;
}

export const isDelivered = (response: WebhookResponse): boolean =>
  response.statusCode !== null && response.statusCode >= 200 && response.statusCode < 300;

const describe = (error: unknown): string => {
  const candidate = error as NodeJS.ErrnoException;
  const text = candidate?.code
    ? `${candidate.code}: ${candidate.message}`
    : String(candidate?.message ?? error);
  return text.slice(0, MAX_ERROR_LENGTH);
};

/**
 * POSTs one webhook and reports what happened; never throws. No redirects are followed, every
 * request gets its own connection (a pooled socket would skip the address check), and the whole
 * exchange, connect to last byte, is bounded by the timeout.
 */
export function postWebhook(
  post: WebhookPost,
  resolve: AddressResolver = resolveAllAddresses,
): Promise<WebhookResponse> {
  const started = Date.now();
  const finish = (partial: Omit<WebhookResponse, 'durationMs'>): WebhookResponse => ({
    ...partial,
    durationMs: Date.now() - started,
  });
  const failure = (error: unknown): WebhookResponse =>
    finish({ statusCode: null, body: null, error: describe(error) });
  let url: URL;
  try {
    url = new URL(post.url);
  } catch (error) {
    return Promise.resolve(failure(error));
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  // Node skips `lookup` for literal addresses, so those are checked here.
  if (!post.allowPrivate && isIP(host) && isNonPublicAddress(host)) {
    return Promise.resolve(failure(new ForbiddenAddressError(host)));
  }
  return new Promise((done) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'POST',
      agent: false,
      headers: { ...post.headers, 'content-length': Buffer.byteLength(post.body).toString() },
      ...(post.allowPrivate ? {} : { lookup: guardedLookup(resolve) }),
    });
    const timer = setTimeout(
      () => request.destroy(new Error(`timed out after ${post.timeoutMs} ms`)),
      post.timeoutMs,
    );
    let settled = false;
    const settle = (result: Omit<WebhookResponse, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(finish(result));
    };
    request.on('error', (error) =>
      settle({ statusCode: null, body: null, error: describe(error) }),
    );
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const answer = () =>
        settle({
          statusCode: response.statusCode ?? null,
          body: Buffer.concat(chunks).subarray(0, MAX_LOGGED_RESPONSE_BYTES).toString('utf8'),
          error: null,
        });
      response.on('data', (chunk: Buffer) => {
        if (size >= MAX_LOGGED_RESPONSE_BYTES) return;
        chunks.push(chunk);
        size += chunk.length;
        // Enough for the log: stop reading a large or endless body.
        if (size >= MAX_LOGGED_RESPONSE_BYTES) {
          answer();
          response.destroy();
        }
      });
      response.on('end', answer);
      // A body cut off after the status line still counts as that status.
      response.on('error', answer);
      response.on('close', answer);
    });
    request.end(post.body);
  });
}
