import { AccessTokenCache, type IssuedToken } from '../access-token-cache';
import { GatewayError } from '../gateway.error';
import { GatewayHttpClient, parseJsonBody, type GatewayHttpResponse } from '../gateway-http.client';
import type { MpesaConfig } from './mpesa.config';
import { errorFromEnvelope, INVALID_TOKEN_CODES, isStillProcessing } from './mpesa.mapper';
import type {
  MpesaAsyncAcknowledgement,
  MpesaB2cRequest,
  MpesaErrorEnvelope,
  MpesaReversalRequest,
  MpesaStkPushRequest,
  MpesaStkPushResponse,
  MpesaStkQueryRequest,
  MpesaStkQueryResponse,
  MpesaTokenResponse,
  MpesaTransactionStatusRequest,
} from './mpesa.types';

export const MPESA_PATHS = {
  token: '/oauth/v1/generate?grant_type=client_credentials',
  stkPush: '/mpesa/stkpush/v1/processrequest',
  stkQuery: '/mpesa/stkpushquery/v1/query',
  reversal: '/mpesa/reversal/v1/request',
  b2c: '/mpesa/b2c/v3/paymentrequest',
  transactionStatus: '/mpesa/transactionstatus/v1/query',
} as const;

const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

export type StkQueryAnswer =
  | { readonly pending: true }
  | { readonly pending: false; readonly response: MpesaStkQueryResponse };

function envelopeOf(response: GatewayHttpResponse): MpesaErrorEnvelope | undefined {
  try {
    const body = JSON.parse(response.text) as unknown;
    return typeof body === 'object' && body !== null ? (body as MpesaErrorEnvelope) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Daraja over GatewayHttpClient: OAuth token cache, bearer calls, error envelopes. One instance
 * per credential set; the token is the only thing it keeps (never per-request state).
 */
export class MpesaClient {
  private readonly http: GatewayHttpClient;
  private readonly tokens: AccessTokenCache;

  constructor(
    private readonly config: MpesaConfig,
    now: () => number = Date.now,
  ) {
    this.http = new GatewayHttpClient({
      gatewayCode: 'mpesa',
      baseUrl: config.baseUrl,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
      retryBaseDelayMs: config.retryBaseDelayMs,
    });
    this.tokens = new AccessTokenCache(
      () => this.fetchToken(),
      config.tokenRefreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS,
      now,
    );
  }

  stkPush(body: MpesaStkPushRequest): Promise<MpesaStkPushResponse> {
    // Not idempotent: a repeated push prompts the customer twice.
    return this.post<MpesaStkPushResponse>(MPESA_PATHS.stkPush, body, false);
  }

  async stkQuery(body: MpesaStkQueryRequest): Promise<StkQueryAnswer> {
    try {
      return {
        pending: false,
        response: await this.post<MpesaStkQueryResponse>(MPESA_PATHS.stkQuery, body, true),
      };
    } catch (error) {
      if (
        error instanceof GatewayError &&
        error.gatewayErrorCode === '500.001.1001' &&
        /being processed/i.test(error.message)
      ) {
        return { pending: true };
      }
      throw error;
    }
  }

  reversal(body: MpesaReversalRequest): Promise<MpesaAsyncAcknowledgement> {
    // No originator id on reversals: a blind repeat could reverse twice, so never retried.
    return this.post<MpesaAsyncAcknowledgement>(MPESA_PATHS.reversal, body, false);
  }

  b2c(body: MpesaB2cRequest): Promise<MpesaAsyncAcknowledgement> {
    // OriginatorConversationID makes a repeat a "duplicate", so retrying is safe.
    return this.post<MpesaAsyncAcknowledgement>(MPESA_PATHS.b2c, body, true);
  }

  transactionStatus(body: MpesaTransactionStatusRequest): Promise<MpesaAsyncAcknowledgement> {
    return this.post<MpesaAsyncAcknowledgement>(MPESA_PATHS.transactionStatus, body, true);
  }

  /** A valid access token, fetched once and refreshed ahead of expiry. */
  accessToken(): Promise<string> {
    return this.tokens.get();
  }

  private async fetchToken(): Promise<IssuedToken> {
    const basic = Buffer.from(
      `${this.config.consumerKey}:${this.config.consumerSecret}`,
      'utf8',
    ).toString('base64');
    const response = await this.http.request({
      method: 'GET',
      path: MPESA_PATHS.token,
      headers: { authorization: `Basic ${basic}` },
      idempotent: true,
    });
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      const envelope = envelopeOf(response);
      throw new GatewayError(
        'misconfigured',
        `M-Pesa refused the consumer key/secret (HTTP ${response.status}${envelope?.errorCode ? ` ${envelope.errorCode}` : ''}); check MPESA_CONSUMER_KEY, MPESA_CONSUMER_SECRET and MPESA_BASE_URL`,
        {
          gatewayCode: 'mpesa',
          gatewayErrorCode: envelope?.errorCode,
          httpStatus: response.status,
        },
      );
    }
    if (response.status !== 200)
      throw errorFromEnvelope(response.status, envelopeOf(response), response.text);
    const body = parseJsonBody<MpesaTokenResponse>('mpesa', response);
    const expiresInSeconds = Number(body.expires_in);
    if (!body.access_token || !Number.isFinite(expiresInSeconds) || expiresInSeconds <= 0) {
      throw new GatewayError(
        'bad_response',
        'M-Pesa token response lacks access_token or expires_in',
        {
          gatewayCode: 'mpesa',
          httpStatus: response.status,
        },
      );
    }
    return { value: body.access_token, expiresInSeconds };
  }

  private async post<T extends object>(
    path: string,
    body: object,
    idempotent: boolean,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.accessToken();
      const response = await this.http.request({
        method: 'POST',
        path,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        idempotent,
      });
      if (response.status === 200) {
        const parsed = parseJsonBody<T & { ResponseCode?: string; ResponseDescription?: string }>(
          'mpesa',
          response,
        );
        if (parsed.ResponseCode !== undefined && String(parsed.ResponseCode) !== '0') {
          throw new GatewayError(
            'rejected',
            `M-Pesa refused the request: ${parsed.ResponseDescription ?? parsed.ResponseCode}`,
            {
              gatewayCode: 'mpesa',
              gatewayErrorCode: String(parsed.ResponseCode),
              httpStatus: 200,
            },
          );
        }
        return parsed;
      }
      const envelope = envelopeOf(response);
      // An expired or revoked token: drop it and repeat once with a fresh one.
      if (attempt === 1 && envelope?.errorCode && INVALID_TOKEN_CODES.has(envelope.errorCode)) {
        this.tokens.invalidate();
        continue;
      }
      if (isStillProcessing(envelope)) {
        throw new GatewayError('unavailable', `M-Pesa 500.001.1001: ${envelope?.errorMessage}`, {
          gatewayCode: 'mpesa',
          gatewayErrorCode: '500.001.1001',
          httpStatus: response.status,
        });
      }
      throw errorFromEnvelope(response.status, envelope, response.text);
    }
  }
}
