import { createHmac, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../gateway.error';
import type { ParsedWebhook, RawWebhook } from '../payment-gateway';
import { fromResult, fromStkCallback, isResult, isStkCallback } from './mpesa.mapper';
import type { MpesaResultBody, MpesaStkCallbackBody } from './mpesa.types';

// M-Pesa signs nothing. Each callback URL we hand to Daraja carries what it is about plus an
// HMAC token over that, so a forged callback without the token is refused; the events are still
// `unverified` and the payments module re-queries before moving money.

export type CallbackKind = 'payment' | 'refund' | 'payout';

export interface CallbackSubject {
  readonly kind: CallbackKind;
  /** attemptId (payment), refundId (refund) or payoutId (payout). */
  readonly id: string;
  /** The payment's CheckoutRequestID, for refunds. */
  readonly ref?: string;
  /**
   * The URL was given to a Transaction Status query: only a result on such a URL is taken as the
   * answer to our own query (`answersStatusQuery`). Covered by the token, so it cannot be added.
   */
  readonly statusQuery?: boolean;
}

/** Query parameter names appended to the caller's callback URL. */
export const CALLBACK_PARAMS = {
  kind: 'kind',
  id: 'id',
  ref: 'ref',
  purpose: 'purpose',
  token: 'token',
} as const;

/** The M-Pesa-style answer to every callback. */
export const MPESA_ACKNOWLEDGEMENT = {
  status: 200,
  contentType: 'application/json',
  body: JSON.stringify({ ResultCode: 0, ResultDesc: 'Accepted' }),
} as const;

export function callbackToken(secret: string, subject: CallbackSubject): string {
  return (
    createHmac('sha256', secret)
      // URLs issued before `statusQuery` existed keep their tokens: the suffix is only added for it.
      .update(
        `${subject.kind}:${subject.id}:${subject.ref ?? ''}${subject.statusQuery ? ':status' : ''}`,
      )
      .digest('base64url')
  );
}

/** The caller's URL plus our subject and token (existing query parameters are kept). */
export function withCallbackToken(url: string, secret: string, subject: CallbackSubject): string {
  const target = new URL(url);
  target.searchParams.set(CALLBACK_PARAMS.kind, subject.kind);
  target.searchParams.set(CALLBACK_PARAMS.id, subject.id);
  if (subject.ref) target.searchParams.set(CALLBACK_PARAMS.ref, subject.ref);
  else target.searchParams.delete(CALLBACK_PARAMS.ref);
  if (subject.statusQuery) target.searchParams.set(CALLBACK_PARAMS.purpose, 'status');
  else target.searchParams.delete(CALLBACK_PARAMS.purpose);
  target.searchParams.set(CALLBACK_PARAMS.token, callbackToken(secret, subject));
  return target.toString();
}

const reject = (message: string, cause?: unknown): GatewayError =>
  new GatewayError('invalid_webhook', `M-Pesa callback: ${message}`, {
    gatewayCode: 'mpesa',
    cause,
  });

function verifySubject(secret: string, query: RawWebhook['query']): CallbackSubject {
  const kind = query[CALLBACK_PARAMS.kind];
  const id = query[CALLBACK_PARAMS.id];
  const token = query[CALLBACK_PARAMS.token];
  if (kind !== 'payment' && kind !== 'refund' && kind !== 'payout')
    throw reject('unknown or missing kind');
  if (!id || !token) throw reject('missing id or token');
  const subject: CallbackSubject = {
    kind,
    id,
    ref: query[CALLBACK_PARAMS.ref] || undefined,
    ...(query[CALLBACK_PARAMS.purpose] === 'status' ? { statusQuery: true } : {}),
  };
  const expected = Buffer.from(callbackToken(secret, subject));
  const given = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw reject('token does not match');
  return subject;
}

export class MpesaWebhookVerifier {
  constructor(private readonly callbackSecret: string) {}

  parse(webhook: RawWebhook): ParsedWebhook {
    const subject = verifySubject(this.callbackSecret, webhook.query);
    let body: unknown;
    try {
      body = JSON.parse(webhook.rawBody.toString('utf8'));
    } catch (error) {
      throw reject('body is not JSON', error);
    }
    if (subject.kind === 'payment') {
      const callback = (body as MpesaStkCallbackBody | undefined)?.Body?.stkCallback;
      if (!isStkCallback(callback)) throw reject('not an STK callback');
      return {
        events: [fromStkCallback(callback, subject.id)],
        acknowledgement: MPESA_ACKNOWLEDGEMENT,
      };
    }
    const result = (body as MpesaResultBody | undefined)?.Result;
    if (!isResult(result)) throw reject('not a Result callback');
    if (subject.kind === 'refund' && !subject.ref)
      throw reject('refund callback without its payment');
    return {
      events: fromResult(result, {
        kind: subject.kind,
        id: subject.id,
        paymentId: subject.ref,
        statusQuery: subject.statusQuery === true,
      }),
      acknowledgement: MPESA_ACKNOWLEDGEMENT,
    };
  }
}
