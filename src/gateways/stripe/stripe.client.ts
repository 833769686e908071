import { GatewayError } from '../gateway.error';
import { GatewayHttpClient, parseJsonBody, type GatewayHttpResponse } from '../gateway-http.client';
import type { StripeConfig } from './stripe.config';
import { encodeStripeForm, readStripeError, toGatewayError } from './stripe.mapper';
import type {
  StripeError,
  StripeFormParams,
  StripePaymentIntent,
  StripeRefund,
} from './stripe.types';

/** A 2xx body, or the card decline Stripe answers with HTTP 402 (an outcome, not an error). */
export type StripeResult<T> =
  | { readonly kind: 'ok'; readonly body: T }
  | { readonly kind: 'card_error'; readonly error: StripeError };

/**
 * Stripe's REST API over the shared GatewayHttpClient: secret key auth, form bodies,
 * Idempotency-Key on every POST, error envelopes turned into GatewayErrors.
 */
export class StripeClient {
  private readonly http: GatewayHttpClient;
  private readonly authorization: string;

  constructor(private readonly config: StripeConfig) {
    this.http = new GatewayHttpClient({
      gatewayCode: 'stripe',
      baseUrl: config.baseUrl,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
      retryBaseDelayMs: config.retryBaseDelayMs,
    });
    this.authorization = `Bearer ${config.secretKey}`;
  }

  createPaymentIntent(
    params: StripeFormParams,
    idempotencyKey: string,
  ): Promise<StripeResult<StripePaymentIntent>> {
    return this.post('/v1/payment_intents', params, idempotencyKey, 'create payment intent');
  }

  confirmPaymentIntent(
    id: string,
    params: StripeFormParams,
    idempotencyKey: string,
  ): Promise<StripeResult<StripePaymentIntent>> {
    return this.post(
      `/v1/payment_intents/${encodeURIComponent(id)}/confirm`,
      params,
      idempotencyKey,
      'confirm payment intent',
    );
  }

  capturePaymentIntent(
    id: string,
    params: StripeFormParams,
    idempotencyKey: string,
  ): Promise<StripeResult<StripePaymentIntent>> {
    return this.post(
      `/v1/payment_intents/${encodeURIComponent(id)}/capture`,
      params,
      idempotencyKey,
      'capture payment intent',
    );
  }

  cancelPaymentIntent(
    id: string,
    params: StripeFormParams,
    idempotencyKey: string,
  ): Promise<StripeResult<StripePaymentIntent>> {
    return this.post(
      `/v1/payment_intents/${encodeURIComponent(id)}/cancel`,
      params,
      idempotencyKey,
      'cancel payment intent',
    );
  }

  async retrievePaymentIntent(id: string): Promise<StripePaymentIntent> {
    return this.get(`/v1/payment_intents/${encodeURIComponent(id)}`, 'retrieve payment intent');
  }

  createRefund(
    params: StripeFormParams,
    idempotencyKey: string,
  ): Promise<StripeResult<StripeRefund>> {
    return this.post('/v1/refunds', params, idempotencyKey, 'create refund');
  }

  retrieveRefund(id: string): Promise<StripeRefund> {
    return this.get(`/v1/refunds/${encodeURIComponent(id)}`, 'retrieve refund');
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      authorization: this.authorization,
      accept: 'application/json',
      ...(this.config.apiVersion ? { 'stripe-version': this.config.apiVersion } : {}),
      ...extra,
    };
  }

  private async get<T>(path: string, context: string): Promise<T> {
    const response = await this.http.request({
      method: 'GET',
      path,
      headers: this.headers(),
      idempotent: true,
    });
    const result = this.read<T>(response, context);
    if (result.kind === 'card_error') throw toGatewayError(response.status, result.error, context);
    return result.body;
  }

  private async post<T>(
    path: string,
    params: StripeFormParams,
    idempotencyKey: string,
    context: string,
  ): Promise<StripeResult<T>> {
    const response = await this.http.request({
      method: 'POST',
      path,
      headers: this.headers({
        'content-type': 'application/x-www-form-urlencoded',
        'idempotency-key': idempotencyKey,
      }),
      body: encodeStripeForm(params),
      // The key makes a repeat safe, so 409/429/5xx are retried; a timeout is reported at once as
      // outcome unknown, and the caller's repeat with the same key replays Stripe's stored answer.
      idempotent: true,
      retryOnTimeout: false,
    });
    return this.read<T>(response, context);
  }

  private read<T>(response: GatewayHttpResponse, context: string): StripeResult<T> {
    if (response.status >= 200 && response.status < 300) {
      return { kind: 'ok', body: parseJsonBody<T>('stripe', response) };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.text);
    } catch {
      parsed = undefined;
    }
    const error = readStripeError(parsed);
    if (response.status === 402 && error?.type === 'card_error')
      return { kind: 'card_error', error };
    if (
      !error &&
      response.status < 500 &&
      response.status !== 429 &&
      response.status !== 401 &&
      response.status !== 403
    ) {
      throw new GatewayError(
        'bad_response',
        `Stripe ${context}: HTTP ${response.status} without an error envelope`,
        {
          gatewayCode: 'stripe',
          httpStatus: response.status,
        },
      );
    }
    throw toGatewayError(response.status, error, context);
  }
}
