import { GatewayError } from '../gateway.error';
import type { RawWebhook } from '../payment-gateway';
import { checksumsEqual, responseChecksum, webhookChecksum } from './zaakpay.checksum';
import type { ZaakpayConfig } from './zaakpay.config';
import type { ZaakpayTransactResponse, ZaakpayWebhookTxnData } from './zaakpay.types';

export interface VerifiedZaakpayWebhook {
  readonly txnData: ZaakpayWebhookTxnData;
  /** Exactly as received: the only string the checksum is valid for. */
  readonly rawTxnData: string;
  /** `?realtime=true` (payment result) or `false` (later reconciliation update). */
  readonly realtime: boolean;
}

function invalid(message: string, cause?: unknown): GatewayError {
  return new GatewayError('invalid_webhook', `Zaakpay: ${message}`, {
    gatewayCode: 'zaakpay',
    cause,
  });
}

function header(headers: RawWebhook['headers'], name: string): string {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Reads `txnData` and `checksum` as strings from a form body (the doc's curl) or a JSON body (its prose). */
function webhookFields(webhook: RawWebhook): { txnData?: unknown; checksum?: unknown } {
  const text = webhook.rawBody.toString('utf8');
  const isJson =
    header(webhook.headers, 'content-type').toLowerCase().includes('json') ||
    text.trimStart().startsWith('{');
  if (isJson) {
    try {
      const parsed = JSON.parse(text) as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch (error) {
      throw invalid('webhook body is neither a form nor JSON', error);
    }
  }
  const form = new URLSearchParams(text);
  return { txnData: form.get('txnData') ?? undefined, checksum: form.get('checksum') ?? undefined };
}

function formFields(
  body: Buffer | string | Readonly<Record<string, string>>,
): Record<string, string> {
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    return Object.fromEntries(new URLSearchParams(body.toString()));
  }
  return { ...body };
}

/**
 * Verifies what Zaakpay sends us: the server webhook (HMAC over the raw txnData) and the browser's
 * POST to returnUrl (HMAC over the fixed-order response string). Any failure is invalid_webhook.
 */
export class ZaakpayWebhookVerifier {
  constructor(private readonly config: Pick<ZaakpayConfig, 'merchantIdentifier' | 'secretKey'>) {}

  verifyWebhook(webhook: RawWebhook): VerifiedZaakpayWebhook {
    const { txnData, checksum } = webhookFields(webhook);
    if (typeof txnData !== 'string' || txnData === '')
      throw invalid('webhook carries no txnData string');
    if (typeof checksum !== 'string' || checksum === '')
      throw invalid('webhook carries no checksum');
    // Hash the string as received: re-serialising turns `\/` into `/` and changes the hash.
    if (!checksumsEqual(webhookChecksum(this.config.secretKey, txnData), checksum)) {
      throw invalid('webhook checksum does not match txnData');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(txnData);
    } catch (error) {
      throw invalid('txnData is not JSON', error);
    }
    if (!parsed || typeof parsed !== 'object') throw invalid('txnData is not an object');
    const data = parsed as ZaakpayWebhookTxnData;
    if (data.merchantIdentifier !== this.config.merchantIdentifier) {
      throw invalid('webhook is for another merchantIdentifier');
    }
    if (data.txns !== undefined && !Array.isArray(data.txns))
      throw invalid('txnData.txns is not a list');
    return { txnData: data, rawTxnData: txnData, realtime: webhook.query.realtime !== 'false' };
  }

  /** The browser's POST to returnUrl (form body or already-parsed fields), values untrimmed. */
  verifyReturn(body: Buffer | string | Readonly<Record<string, string>>): ZaakpayTransactResponse {
    const fields = formFields(body);
    if (!fields.checksum) throw invalid('returnUrl response carries no checksum');
    if (!fields.orderId || !fields.responseCode)
      throw invalid('returnUrl response lacks orderId or responseCode');
    if (!checksumsEqual(responseChecksum(this.config.secretKey, fields), fields.checksum)) {
      throw invalid('returnUrl response checksum does not match');
    }
    return fields as ZaakpayTransactResponse;
  }
}
