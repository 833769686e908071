import { GatewayError } from '../gateway.error';
import {
  GatewayHttpClient,
  kindForHttpStatus,
  parseJsonBody,
  type GatewayHttpResponse,
} from '../gateway-http.client';
import { dataChecksum } from './zaakpay.checksum';
import type { ZaakpayConfig } from './zaakpay.config';
import { CHECK_TXN_RESPONSE_CODES, updateCodeInfo } from './zaakpay.mapper';
import type {
  ZaakpayCheckTxnData,
  ZaakpayCheckTxnResponse,
  ZaakpayOrderStatus,
  ZaakpayUpdateTxnData,
  ZaakpayUpdateTxnResponse,
} from './zaakpay.types';

export const CHECK_TXN_PATH = '/checkTxn?v=5';
export const UPDATE_TXN_PATH = '/updateTxn';

export type UpdateTxnRequest = Omit<ZaakpayUpdateTxnData, 'merchantIdentifier' | 'mode'>;

/**
 * Zaakpay's JSON APIs: `data=<JSON>&checksum=<hmac(data)>` form posts. The JSON string is built
 * once, hashed and sent as is (key order and escaping are part of the checksum).
 */
export class ZaakpayClient {
  private readonly http: GatewayHttpClient;

  constructor(private readonly config: ZaakpayConfig) {
    this.http = new GatewayHttpClient({
      gatewayCode: 'zaakpay',
      baseUrl: config.apiBaseUrl,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
      retryBaseDelayMs: config.retryBaseDelayMs,
    });
  }

  /** Status of one order, or of one refund on it when merchantRefId is given. Idempotent. */
  async checkTxn(orderId: string, merchantRefId?: string): Promise<ZaakpayOrderStatus> {
    const data: ZaakpayCheckTxnData = {
      merchantIdentifier: this.config.merchantIdentifier,
      mode: '0',
      orderDetail: { orderId },
      ...(merchantRefId ? { refundDetail: { merchantRefId } } : {}),
    };
    const response = await this.post(CHECK_TXN_PATH, JSON.stringify(data), true);
    const body = parseJsonBody<ZaakpayCheckTxnResponse>('zaakpay', response);
    const order = Array.isArray(body.orders) ? body.orders[0] : undefined;
    const responseCode = order?.responseCode ?? body.responseCode;
    if (typeof responseCode !== 'string') {
      throw new GatewayError('bad_response', 'Zaakpay checkTxn answered without a responseCode', {
        gatewayCode: 'zaakpay',
        httpStatus: response.status,
      });
    }
    const state = CHECK_TXN_RESPONSE_CODES[responseCode]?.state;
    const description = order?.responseDescription ?? body.responseDescription ?? '';
    if (state === 'credentials') throw this.credentialsError(responseCode, description);
    if (state === 'request_error' || !order) {
      throw new GatewayError(
        'rejected',
        `Zaakpay checkTxn refused: ${responseCode} ${description}`.trim(),
        {
          gatewayCode: 'zaakpay',
          gatewayErrorCode: responseCode,
          httpStatus: response.status,
        },
      );
    }
    if (!order.orderDetail || typeof order.orderDetail.orderId !== 'string') {
      return { ...order, orderDetail: { ...order.orderDetail, orderId } };
    }
    return order;
  }

  /** Capture (7), cancel (8), full (14) or partial (22) refund. Not idempotent: never retried once sent. */
  async updateTxn(request: UpdateTxnRequest): Promise<ZaakpayUpdateTxnResponse> {
    const data: ZaakpayUpdateTxnData = {
      merchantIdentifier: this.config.merchantIdentifier,
      orderDetail: request.orderDetail,
      mode: '0',
      updateDesired: request.updateDesired,
      updateReason: request.updateReason,
      ...(request.merchantRefId ? { merchantRefId: request.merchantRefId } : {}),
    };
    const response = await this.post(UPDATE_TXN_PATH, JSON.stringify(data), false);
    const body = parseJsonBody<ZaakpayUpdateTxnResponse>('zaakpay', response);
    if (typeof body.responseCode !== 'string') {
      throw new GatewayError('bad_response', 'Zaakpay updateTxn answered without a responseCode', {
        gatewayCode: 'zaakpay',
        httpStatus: response.status,
      });
    }
    const info = updateCodeInfo(body.responseCode);
    const description = body.responseDescription ?? info.description;
    if (info.result === 'credentials') throw this.credentialsError(body.responseCode, description);
    if (info.result === 'request_error') {
      throw new GatewayError(
        'rejected',
        `Zaakpay updateTxn refused: ${body.responseCode} ${description}`,
        {
          gatewayCode: 'zaakpay',
          gatewayErrorCode: body.responseCode,
          httpStatus: response.status,
        },
      );
    }
    if (info.result === 'try_again') {
      // Zaakpay says it did not update anything: safe to send again.
      throw new GatewayError(
        'unavailable',
        `Zaakpay updateTxn: ${body.responseCode} ${description}`,
        {
          gatewayCode: 'zaakpay',
          gatewayErrorCode: body.responseCode,
          httpStatus: response.status,
        },
      );
    }
    return body;
  }

  private async post(
    path: string,
    data: string,
    idempotent: boolean,
  ): Promise<GatewayHttpResponse> {
    const body = new URLSearchParams({ data, checksum: dataChecksum(this.config.secretKey, data) });
    const response = await this.http.request({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
      idempotent,
    });
    if (response.status >= 200 && response.status < 300) return response;
    const kind = kindForHttpStatus(response.status);
    if (kind === 'misconfigured')
      throw this.credentialsError(String(response.status), 'HTTP authorisation refused');
    throw new GatewayError(kind, `Zaakpay ${path.split('?')[0]} answered HTTP ${response.status}`, {
      gatewayCode: 'zaakpay',
      httpStatus: response.status,
    });
  }

  private credentialsError(responseCode: string, description: string): GatewayError {
    return new GatewayError(
      'misconfigured',
      `Zaakpay refused our merchant credentials (${responseCode}: ${description.trim()}): check that ` +
        `ZAAKPAY_MERCHANT_IDENTIFIER and ZAAKPAY_SECRET_KEY are a pair from the environment at ${this.config.apiBaseUrl}`,
      { gatewayCode: 'zaakpay', gatewayErrorCode: responseCode },
    );
  }
}
