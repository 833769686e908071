import { verify as verifySignature, X509Certificate, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { GatewayHttpClient } from '../gateway-http.client';
import { GatewayError } from '../gateway.error';
import type { RawWebhook } from '../payment-gateway';
import type { PaypalClient } from './paypal.client';
import type { PaypalConfig } from './paypal.config';
import { asWebhookEvent } from './paypal.mapper';
import type { PaypalTransmission, PaypalWebhookEvent } from './paypal.types';

export const PAYPAL_AUTH_ALGO = 'SHA256withRSA';

/** CRC-32 (IEEE, zlib) of the raw body as PayPal signs it: an unsigned decimal. */
export function paypalBodyCrc32(rawBody: Buffer): number {
  return crc32(rawBody) >>> 0;
}

/** `transmissionId|transmissionTime|webhookId|crc32(body)`: what PayPal signs (Java SDK validateReceivedEvent). */
export function paypalSignedMessage(
  transmission: Pick<PaypalTransmission, 'transmissionId' | 'transmissionTime'>,
  webhookId: string,
  rawBody: Buffer,
): string {
  return `${transmission.transmissionId}|${transmission.transmissionTime}|${webhookId}|${paypalBodyCrc32(rawBody)}`;
}

const invalid = (message: string, cause?: unknown): GatewayError =>
  new GatewayError('invalid_webhook', `paypal webhook ${message}`, {
    gatewayCode: 'paypal',
    cause,
  });

/** The five PAYPAL-* headers (case-insensitive), or invalid_webhook when any is missing. */
export function readTransmission(headers: RawWebhook['headers']): PaypalTransmission {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const single = Array.isArray(value) ? value[0] : value;
    if (typeof single === 'string') lower[name.toLowerCase()] = single;
  }
  const transmission = {
    transmissionId: lower['paypal-transmission-id'],
    transmissionTime: lower['paypal-transmission-time'],
    transmissionSig: lower['paypal-transmission-sig'],
    certUrl: lower['paypal-cert-url'],
    authAlgo: lower['paypal-auth-algo'],
  };
  const missing = Object.entries(transmission)
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0) throw invalid(`is unsigned (missing ${missing.join(', ')})`);
  return transmission as PaypalTransmission;
}

function parseEvent(rawBody: Buffer): PaypalWebhookEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    throw invalid('body is not JSON', error);
  }
  return asWebhookEvent(parsed);
}

/**
 * Checks a PayPal webhook one of two ways, then returns the parsed event:
 * - offline: RSA-SHA256 over `id|time|webhookId|crc32(rawBody)` with the cert at PAYPAL-CERT-URL
 *   (fetched only from PayPal hosts or our configured API host, cached per URL);
 * - api: POST /v1/notifications/verify-webhook-signature.
 */
export class PaypalWebhookVerifier {
  private readonly certificates = new Map<string, Promise<KeyObject>>();
  private readonly certClients = new Map<string, GatewayHttpClient>();
  private readonly trustedHosts: ReadonlySet<string>;

  constructor(
    private readonly config: PaypalConfig,
    private readonly client: PaypalClient,
    private readonly clock: () => number = Date.now,
  ) {
    const hosts = config.webhookCertHosts.map((host) => host.toLowerCase());
    // The API host we already trust with our credentials may serve certs too (the simulator does).
    hosts.push(new URL(config.baseUrl).host.toLowerCase());
    this.trustedHosts = new Set(hosts);
  }

  async verify(webhook: RawWebhook): Promise<PaypalWebhookEvent> {
    const transmission = readTransmission(webhook.headers);
    const event = parseEvent(webhook.rawBody);
    if (!this.config.webhookId)
      throw new GatewayError('misconfigured', 'PAYPAL_WEBHOOK_ID is not set', {
        gatewayCode: 'paypal',
      });
    if (this.config.webhookVerification === 'api') await this.verifyByApi(transmission, event);
    else await this.verifyOffline(transmission, webhook.rawBody);
    return event;
  }

  /** Whether a PAYPAL-CERT-URL may be fetched: https PayPal hosts, or a host we configured. */
  isTrustedCertUrl(certUrl: string): boolean {
    let url: URL;
    try {
      url = new URL(certUrl);
    } catch {
      return false;
    }
    const hostname = url.hostname.toLowerCase();
    if (
      url.protocol === 'https:' &&
      (hostname === 'paypal.com' || hostname.endsWith('.paypal.com'))
    )
      return true;
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      this.trustedHosts.has(url.host.toLowerCase())
    );
  }

  private async verifyOffline(transmission: PaypalTransmission, rawBody: Buffer): Promise<void> {
    if (transmission.authAlgo.toUpperCase() !== PAYPAL_AUTH_ALGO.toUpperCase()) {
      throw invalid(`uses an unsupported PAYPAL-AUTH-ALGO "${transmission.authAlgo}"`);
    }
    if (!this.isTrustedCertUrl(transmission.certUrl))
      throw invalid('names a certificate URL on an untrusted host');
    const publicKey = await this.certificate(transmission.certUrl);
    const message = paypalSignedMessage(transmission, this.config.webhookId, rawBody);
    const signature = Buffer.from(transmission.transmissionSig, 'base64');
    let valid: boolean;
    try {
      valid = verifySignature('sha256', Buffer.from(message, 'utf8'), publicKey, signature);
    } catch (error) {
      throw invalid('signature could not be checked', error);
    }
    if (!valid) throw invalid('signature does not match the body');
  }

  private async verifyByApi(
    transmission: PaypalTransmission,
    event: PaypalWebhookEvent,
  ): Promise<void> {
    const result = await this.client.verifyWebhookSignature({
      auth_algo: transmission.authAlgo,
      cert_url: transmission.certUrl,
      transmission_id: transmission.transmissionId,
      transmission_sig: transmission.transmissionSig,
      transmission_time: transmission.transmissionTime,
      webhook_id: this.config.webhookId,
      webhook_event: event,
    });
    if (result.verification_status !== 'SUCCESS') {
      throw invalid(`failed PayPal's check (verification_status ${result.verification_status})`);
    }
  }

  private certificate(certUrl: string): Promise<KeyObject> {
    let cached = this.certificates.get(certUrl);
    if (!cached) {
      cached = this.fetchCertificate(certUrl);
      this.certificates.set(certUrl, cached);
      // A failed fetch must not poison the cache.
      cached.catch(() => this.certificates.delete(certUrl));
    }
    return cached.then((key) => key);
  }

  private async fetchCertificate(certUrl: string): Promise<KeyObject> {
    const url = new URL(certUrl);
    let http = this.certClients.get(url.origin);
    if (!http) {
      http = new GatewayHttpClient({
        gatewayCode: 'paypal',
        baseUrl: url.origin,
        timeoutMs: this.config.timeoutMs,
        maxRetries: this.config.maxRetries,
        retryBaseDelayMs: this.config.retryBaseDelayMs,
      });
      this.certClients.set(url.origin, http);
    }
    const response = await http.request({
      method: 'GET',
      path: `${url.pathname}${url.search}`,
      idempotent: true,
    });
    if (response.status >= 500 || response.status === 429) {
      throw new GatewayError(
        'unavailable',
        `paypal certificate host answered HTTP ${response.status}`,
        {
          gatewayCode: 'paypal',
          httpStatus: response.status,
        },
      );
    }
    if (response.status !== 200) throw invalid(`certificate URL answered HTTP ${response.status}`);
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(response.text);
    } catch (error) {
      throw invalid('certificate URL did not serve an X.509 PEM certificate', error);
    }
    const now = this.clock();
    if (now < Date.parse(certificate.validFrom) || now > Date.parse(certificate.validTo)) {
      throw invalid('certificate is outside its validity period');
    }
    return certificate.publicKey;
  }
}
