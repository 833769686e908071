import type { Params } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// Keys whose values never reach a log line, at any depth pino can address.
const SECRET_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'secret',
  'clientSecret',
  'passkey',
  'checksum',
  'cardNumber',
  'cvv',
  'cvc',
  'securityCredential',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["stripe-signature"]',
  'req.headers["paypal-transmission-sig"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [
    key,
    `*.${key}`,
    `*.*.${key}`,
    `variables.${key}`,
    `input.${key}`,
  ]),
];

// 13-19 digit runs, optionally grouped by spaces or dashes: anything shaped like a card number.
const CARD_LIKE = /\b(?:\d[ -]?){12,18}\d\b/g;

/** Masks card-like numbers in free text (error messages, URLs) that redaction by key cannot see. */
export function maskCardNumbers(text: string): string {
  return text.replace(CARD_LIKE, (match) => {
    const digits = match.replace(/\D/g, '');
    return digits.length >= 13 ? `[card ****${digits.slice(-4)}]` : match;
  });
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** Uses the caller's X-Request-Id when it is sane, otherwise makes one. */
export function requestIdFor(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}

export function loggerParams(level: string, pretty: boolean): Params {
  return {
    pinoHttp: {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Fastify assigns req.id (see genReqId in bootstrap); pino-http reuses it.
      genReqId: (req) => (req as IncomingMessage & { id?: string }).id ?? requestIdFor(req),
      customProps: (req) => ({ requestId: (req as IncomingMessage & { id?: string }).id }),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: maskCardNumbers(req.url.split('?')[0]),
        }),
        err: (err: Error & { code?: string }) => ({
          type: err.name,
          code: err.code,
          message: maskCardNumbers(err.message ?? ''),
          stack: err.stack ? maskCardNumbers(err.stack) : undefined,
        }),
      },
      formatters: {
        log: (object) => {
          if (typeof object.msg === 'string') object.msg = maskCardNumbers(object.msg);
          return object;
        },
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === 'string' ? maskCardNumbers(arg) : arg));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      transport: pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
    },
  };
}
