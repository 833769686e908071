import { GatewayHttpClient, parseJsonBody, type GatewayHttpResponse } from '../gateway-http.client';
import { AccessTokenCache, type IssuedToken } from '../access-token-cache';
import { GatewayError } from '../gateway.error';
import type { PaypalConfig } from './paypal.config';
import { classifyPaypalError, type ClassifiedPaypalError } from './paypal.mapper';
import type {
  PaypalAuthorization,
  PaypalAuthorizationCaptureRequest,
  PaypalCapture,
  PaypalErrorResponse,
  PaypalOAuthError,
  PaypalOrder,
  PaypalOrderRequest,
  PaypalPayoutBatch,
  PaypalPayoutRequest,
  PaypalRefund,
  PaypalRefundRequest,
  PaypalTokenResponse,
  PaypalVerifyWebhookSignatureRequest,
  PaypalVerifyWebhookSignatureResponse,
} from './paypal.types';

/** A PayPal error envelope, classified: the gateway turns decline meanings into decline outcomes. */
export class PaypalRequestError extends GatewayError {
  constructor(
    readonly classified: ClassifiedPaypalError,
    httpStatus: number,
  ) {
    const kind = classified.meaning.outcome === 'decline' ? 'rejected' : classified.meaning.kind;
    super(
      kind,
      `paypal ${classified.code}: ${classified.message}${classified.debugId ? ` (debug_id ${classified.debugId})` : ''}`,
      {
        gatewayCode: 'paypal',
        gatewayErrorCode: classified.code,
        httpStatus,
        retryable: classified.meaning.retryable,
      },
    );
  }
}

export interface PaypalCallOptions {
  /** PayPal-Request-Id: the same id makes PayPal replay the original result instead of acting again. */
  readonly requestId?: string;
  /** Sandbox negative testing: the PayPal-Mock-Response header value. */
  readonly mockResponse?: string;
}

interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  /** Safe to resend on timeout/5xx at the transport level (reads, or acts that cannot move money). */
  readonly idempotent: boolean;
  readonly options?: PaypalCallOptions;
}

/** PayPal REST over the shared GatewayHttpClient: OAuth, idempotency headers, error envelope. */
export class PaypalClient {
  private readonly http: GatewayHttpClient;
  private readonly tokens: AccessTokenCache;

  constructor(
    private readonly config: PaypalConfig,
    clock: () => number = Date.now,
  ) {
    this.http = new GatewayHttpClient({
      gatewayCode: 'paypal',
      baseUrl: config.baseUrl,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
      retryBaseDelayMs: config.retryBaseDelayMs,
    });
    this.tokens = new AccessTokenCache(
      () => this.requestToken(),
      config.tokenRefreshMarginSeconds * 1000,
      clock,
    );
  }

  get baseUrl(): string {
    return this.http.base;
  }

  // ------------------------------------------------------------ OAuth

  /** A cached bearer token, refreshed shortly before PayPal's `expires_in` runs out. */
  accessToken(): Promise<string> {
    return this.tokens.get();
  }

  invalidateToken(): void {
    this.tokens.invalidate();
  }

  private async requestToken(): Promise<IssuedToken> {
    const basic = Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString(
      'base64',
    );
    const response = await this.http.request({
      method: 'POST',
      path: '/v1/oauth2/token',
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
      idempotent: true,
    });
    if (response.status >= 400) throw this.oauthError(response);
    const token = parseJsonBody<PaypalTokenResponse>('paypal', response);
    if (typeof token.access_token !== 'string' || typeof token.expires_in !== 'number') {
      throw new GatewayError(
        'bad_response',
        'paypal token response lacks access_token/expires_in',
        {
          gatewayCode: 'paypal',
          httpStatus: response.status,
        },
      );
    }
    return { value: token.access_token, expiresInSeconds: token.expires_in };
  }

  private oauthError(response: GatewayHttpResponse): GatewayError {
    let body: Partial<PaypalOAuthError> = {};
    try {
      body = JSON.parse(response.text) as PaypalOAuthError;
    } catch {
      // an HTML error page: the status says enough
    }
    const code = body.error ?? `HTTP_${response.status}`;
    if (response.status === 429 || response.status >= 500) {
      return new GatewayError(
        'unavailable',
        `paypal token endpoint answered HTTP ${response.status}`,
        {
          gatewayCode: 'paypal',
          gatewayErrorCode: code,
          httpStatus: response.status,
        },
      );
    }
    return new GatewayError(
      'misconfigured',
      `PayPal refused our credentials (${code}${body.error_description ? `: ${body.error_description}` : ''}); ` +
        'check PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET and that PAYPAL_BASE_URL is the environment they belong to',
      { gatewayCode: 'paypal', gatewayErrorCode: code, httpStatus: response.status },
    );
  }

  // ------------------------------------------------------------ REST

  private async call<T>(call: Call): Promise<T | undefined> {
    let response = await this.send(call, await this.accessToken());
    if (response.status === 401) {
      // A token revoked or expired early: one fresh token, then give up.
      this.invalidateToken();
      response = await this.send(call, await this.accessToken());
    }
    if (response.status >= 400) throw this.restError(response);
    if (response.status === 204 || response.text.trim() === '') return undefined;
    return parseJsonBody<T>('paypal', response);
  }

  private async callForBody<T>(call: Call): Promise<T> {
    const body = await this.call<T>(call);
    if (body === undefined) {
      throw new GatewayError(
        'bad_response',
        `paypal ${call.method} ${call.path.split('?')[0]} answered without a body`,
        {
          gatewayCode: 'paypal',
        },
      );
    }
    return body;
  }

  private send(call: Call, token: string): Promise<GatewayHttpResponse> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      Prefer: 'return=representation',
    };
    if (call.method === 'POST') headers['Content-Type'] = 'application/json';
    if (call.options?.requestId) headers['PayPal-Request-Id'] = call.options.requestId;
    if (call.options?.mockResponse) headers['PayPal-Mock-Response'] = call.options.mockResponse;
    return this.http.request({
      method: call.method,
      path: call.path,
      headers,
      body: call.method === 'POST' ? JSON.stringify(call.body ?? {}) : undefined,
      idempotent: call.idempotent,
    });
  }

  private restError(response: GatewayHttpResponse): GatewayError {
    let body: Partial<PaypalErrorResponse> | undefined;
    try {
      body = JSON.parse(response.text) as PaypalErrorResponse;
    } catch {
      body = undefined;
    }
    const classified = classifyPaypalError(response.status, body);
    if (response.status === 401) {
      return new GatewayError(
        'misconfigured',
        `PayPal rejected our access token (${classified.code}); check the credentials and base URL`,
        {
          gatewayCode: 'paypal',
          gatewayErrorCode: classified.code,
          httpStatus: 401,
        },
      );
    }
    return new PaypalRequestError(classified, response.status);
  }

  // Money-moving POSTs are not resent by the transport: a timeout must reach the caller as
  // "outcome unknown", who retries with the same PayPal-Request-Id.

  createOrder(body: PaypalOrderRequest, options: PaypalCallOptions): Promise<PaypalOrder> {
    // Creating an order moves no money, and the request id makes a resend harmless.
    return this.callForBody({
      method: 'POST',
      path: '/v2/checkout/orders',
      body,
      idempotent: true,
      options,
    });
  }

  getOrder(orderId: string): Promise<PaypalOrder> {
    return this.callForBody({
      method: 'GET',
      path: `/v2/checkout/orders/${encodeURIComponent(orderId)}`,
      idempotent: true,
    });
  }

  captureOrder(orderId: string, options: PaypalCallOptions): Promise<PaypalOrder> {
    return this.callForBody({
      method: 'POST',
      path: `/v2/checkout/orders/${encodeURIComponent(orderId)}/capture`,
      idempotent: false,
      options,
    });
  }

  authorizeOrder(orderId: string, options: PaypalCallOptions): Promise<PaypalOrder> {
    return this.callForBody({
      method: 'POST',
      path: `/v2/checkout/orders/${encodeURIComponent(orderId)}/authorize`,
      idempotent: false,
      options,
    });
  }

  captureAuthorization(
    authorizationId: string,
    body: PaypalAuthorizationCaptureRequest,
    options: PaypalCallOptions,
  ): Promise<PaypalCapture> {
    return this.callForBody({
      method: 'POST',
      path: `/v2/payments/authorizations/${encodeURIComponent(authorizationId)}/capture`,
      body,
      idempotent: false,
      options,
    });
  }

  /** 204 (minimal) or the voided authorization (representation). */
  voidAuthorization(
    authorizationId: string,
    options: PaypalCallOptions,
  ): Promise<PaypalAuthorization | undefined> {
    return this.call({
      method: 'POST',
      path: `/v2/payments/authorizations/${encodeURIComponent(authorizationId)}/void`,
      idempotent: false,
      options,
    });
  }

  getAuthorization(authorizationId: string): Promise<PaypalAuthorization> {
    return this.callForBody({
      method: 'GET',
      path: `/v2/payments/authorizations/${encodeURIComponent(authorizationId)}`,
      idempotent: true,
    });
  }

  getCapture(captureId: string): Promise<PaypalCapture> {
    return this.callForBody({
      method: 'GET',
      path: `/v2/payments/captures/${encodeURIComponent(captureId)}`,
      idempotent: true,
    });
  }

  refundCapture(
    captureId: string,
    body: PaypalRefundRequest,
    options: PaypalCallOptions,
  ): Promise<PaypalRefund> {
    return this.callForBody({
      method: 'POST',
      path: `/v2/payments/captures/${encodeURIComponent(captureId)}/refund`,
      body,
      idempotent: false,
      options,
    });
  }

  getRefund(refundId: string): Promise<PaypalRefund> {
    return this.callForBody({
      method: 'GET',
      path: `/v2/payments/refunds/${encodeURIComponent(refundId)}`,
      idempotent: true,
    });
  }

  createPayout(body: PaypalPayoutRequest, options: PaypalCallOptions): Promise<PaypalPayoutBatch> {
    return this.callForBody({
      method: 'POST',
      path: '/v1/payments/payouts',
      body,
      idempotent: false,
      options,
    });
  }

  getPayoutBatch(payoutBatchId: string): Promise<PaypalPayoutBatch> {
    return this.callForBody({
      method: 'GET',
      path: `/v1/payments/payouts/${encodeURIComponent(payoutBatchId)}`,
      idempotent: true,
    });
  }

  verifyWebhookSignature(
    body: PaypalVerifyWebhookSignatureRequest,
  ): Promise<PaypalVerifyWebhookSignatureResponse> {
    // A pure check: safe to resend.
    return this.callForBody({
      method: 'POST',
      path: '/v1/notifications/verify-webhook-signature',
      body,
      idempotent: true,
    });
  }
}
