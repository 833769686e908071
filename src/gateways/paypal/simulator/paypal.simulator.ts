import { randomBytes, randomUUID, sign } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { currencyExponent, fromDecimalString, type Money } from '../../../common/money/money';
import {
  html,
  json,
  SimulatorServer,
  type SimRequest,
  type SimResponse,
} from '../../simulator-kit/simulator-server';
import { SIMULATOR_PORTS } from '../../simulator-ports';
import { PAYPAL_DEMO_CREDENTIALS } from '../paypal.config';
import { PAYPAL_CURRENCIES, toPaypalMoney, toPaypalPayoutMoney } from '../paypal.mapper';
import type {
  PaypalAuthorization,
  PaypalCapture,
  PaypalDispute,
  PaypalLink,
  PaypalOrder,
  PaypalPayoutBatch,
  PaypalPayoutItem,
  PaypalRefund,
  PaypalVerifyWebhookSignatureRequest,
} from '../paypal.types';
import { approvalPage, messagePage } from './approval-page';
import {
  emptyState,
  type BuyerChoice,
  type PaypalSimulatorState,
  type SimAuthorization,
  type SimCapture,
  type SimDispute,
  type SimOrder,
  type SimPayout,
  type SimRefund,
} from './paypal-simulator.state';
import { createSelfSignedCertificate } from '../../simulator-kit/self-signed-certificate';

export const PAYPAL_SIMULATOR_DEFAULT_PORT = SIMULATOR_PORTS.paypal;

export interface PaypalSimulatorOptions {
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** The webhook subscription id events are signed for. */
  readonly webhookId?: string;
  /** Our webhook listener; without it no events are delivered. */
  readonly webhookUrl?: string;
  readonly callbackRetryDelaysMs?: readonly number[];
  /** `expires_in` of issued tokens (PayPal: ~9 h). */
  readonly tokenTtlSeconds?: number;
  /** How long a payout stays PENDING before it settles. */
  readonly payoutDelayMs?: number;
  readonly clock?: () => number;
}

const CERT_NAME = 'CERT-360caa42-fca2a594-a5cafa77';
const NO_DECIMALS = new Set(['JPY', 'HUF', 'TWD']);
const VALUE_PATTERN = /^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$/;

// HTTP status of each issue a PayPal-Mock-Response can force (422 unless listed).
const MOCK_STATUS: Record<string, number> = {
  INVALID_PARAMETER_SYNTAX: 400,
  INVALID_PARAMETER_VALUE: 400,
  INVALID_STRING_LENGTH: 400,
  MALFORMED_REQUEST_JSON: 400,
  MISSING_REQUIRED_PARAMETER: 400,
  PERMISSION_DENIED: 403,
  CONSENT_NEEDED: 403,
  INVALID_RESOURCE_ID: 404,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  RATE_LIMIT_REACHED: 429,
};

const ERROR_NAMES: Record<number, string> = {
  400: 'INVALID_REQUEST',
  401: 'AUTHENTICATION_FAILURE',
  403: 'NOT_AUTHORIZED',
  404: 'RESOURCE_NOT_FOUND',
  409: 'RESOURCE_CONFLICT',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'RATE_LIMIT_REACHED',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

const ERROR_MESSAGES: Record<number, string> = {
  400: 'Request is not well-formed, syntactically incorrect, or violates schema.',
  401: 'Authentication failed due to invalid authentication credentials or a missing Authorization header.',
  403: 'Authorization failed due to insufficient permissions.',
  404: 'The specified resource does not exist.',
  422: 'The requested action could not be performed, semantically incorrect, or failed business validation.',
  500: 'An internal server error has occurred.',
  503: 'Service Unavailable.',
};

// 17-character upper-case ids like PayPal's.
const paypalId = (): string => {
  const alphabet = '0123456789ABCDEFGHJKLMNPRSTUVWXY';
  return [...randomBytes(17)].map((byte) => alphabet[byte % alphabet.length]).join('');
};

class SimError extends Error {
  constructor(
    readonly status: number,
    readonly issue: string,
    readonly description: string,
    readonly field?: string,
  ) {
    super(issue);
  }
}

function errorResponse(
  status: number,
  issue?: string,
  description?: string,
  field?: string,
): SimResponse {
  const debugId = randomBytes(7).toString('hex').slice(0, 13);
  const name = ERROR_NAMES[status] ?? 'UNPROCESSABLE_ENTITY';
  return json(
    status,
    {
      name,
      message: ERROR_MESSAGES[status] ?? ERROR_MESSAGES[422],
      debug_id: debugId,
      ...(issue
        ? { details: [{ field, location: 'body', issue, description: description ?? issue }] }
        : {}),
      links: [
        {
          href: `https://developer.paypal.com/api/rest/reference/orders/v2/errors/#${issue ?? name}`,
          rel: 'information_link',
          method: 'GET',
        },
      ],
    },
    { 'paypal-debug-id': debugId },
  );
}

const header = (request: SimRequest, name: string): string | undefined => {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

type Body = Record<string, unknown>;
const bodyOf = (request: SimRequest): Body =>
  request.body && typeof request.body === 'object' ? (request.body as Body) : {};

/**
 * PayPal REST at the root of its own port: OAuth, Orders v2, Payments v2, Payouts, webhook
 * verification and certs, a hosted approval page, signed webhooks. Outcomes come from the buyer's
 * choice on the approval page and from PayPal-Mock-Response headers, like the sandbox.
 */
export class PaypalSimulator {
  readonly server: SimulatorServer;
  webhookUrl?: string;
  private state: PaypalSimulatorState = emptyState();
  private readonly tokens = new Map<string, number>();
  private readonly replays = new Map<string, () => SimResponse>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly certificate = createSelfSignedCertificate('api.sandbox.paypal.simulator', {
    organization: 'Payrail PayPal simulator',
  });
  private readonly clientId: string;
  private readonly clientSecret: string;
  readonly webhookId: string;
  private readonly tokenTtlSeconds: number;
  private readonly payoutDelayMs: number;
  private readonly clock: () => number;

  constructor(options: PaypalSimulatorOptions = {}) {
    this.clientId = options.clientId ?? PAYPAL_DEMO_CREDENTIALS.clientId;
    this.clientSecret = options.clientSecret ?? PAYPAL_DEMO_CREDENTIALS.clientSecret;
    this.webhookId = options.webhookId ?? PAYPAL_DEMO_CREDENTIALS.webhookId;
    this.webhookUrl = options.webhookUrl;
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 32_400;
    this.payoutDelayMs = options.payoutDelayMs ?? 50;
    this.clock = options.clock ?? Date.now;
    this.server = new SimulatorServer(
      'paypal',
      () => this.state,
      () => this.clear(),
      {
        retryDelaysMs: options.callbackRetryDelaysMs ?? [1_000, 5_000, 30_000],
      },
    );
    this.registerRoutes();
  }

  get url(): string {
    return this.server.url;
  }

  get certUrl(): string {
    return `${this.url}/v1/notifications/certs/${CERT_NAME}`;
  }

  get certificatePem(): string {
    return this.certificate.certificatePem;
  }

  /** The record of truth (live object: read, do not mutate). */
  get records(): Readonly<PaypalSimulatorState> {
    return this.state;
  }

  listen(port = 0, host = '127.0.0.1'): Promise<string> {
    return this.server.listen(port, host);
  }

  async close(): Promise<void> {
    this.clearTimers();
    await this.server.close();
  }

  reset(): void {
    this.server.reset();
  }

  /** Money refunded (COMPLETED refunds and reversals) on one capture. */
  refundedTotalMinor(captureId: string): number {
    return Object.values(this.state.refunds)
      .filter((refund) => refund.captureId === captureId && refund.status === 'COMPLETED')
      .reduce((sum, refund) => sum + refund.amount.amountMinor, 0);
  }

  /** Plays the buyer without a browser (the approval page does the same). */
  buyerChooses(orderId: string, choice: BuyerChoice): SimOrder {
    const order = this.state.orders[orderId];
    if (!order) throw new SimError(404, 'INVALID_RESOURCE_ID', `order ${orderId} not found`);
    if (choice === 'cancel') return order;
    if (order.status === 'APPROVED' && order.buyerChoice === choice) return order;
    if (order.status !== 'CREATED' && order.status !== 'PAYER_ACTION_REQUIRED') {
      throw new SimError(422, 'ORDER_ALREADY_APPROVED', `order ${orderId} is ${order.status}`);
    }
    order.status = 'APPROVED';
    order.buyerChoice = choice;
    order.payerId = paypalId().slice(0, 13);
    order.updateTime = this.now();
    this.emit(
      'CHECKOUT.ORDER.APPROVED',
      'checkout-order',
      this.renderOrder(order),
      'An order has been approved by buyer',
    );
    return order;
  }

  /** Opens a dispute on a capture, as a buyer would; sends CUSTOMER.DISPUTE.CREATED. */
  openDispute(
    captureId: string,
    reason = 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
    amount?: Money,
  ): SimDispute {
    const capture = this.state.captures[captureId];
    if (!capture) throw new SimError(404, 'INVALID_RESOURCE_ID', `capture ${captureId} not found`);
    const now = this.now();
    const dispute: SimDispute = {
      id: `PP-D-${Math.floor(10_000 + Math.random() * 89_999)}`,
      captureId,
      reason,
      status: 'OPEN',
      stage: 'INQUIRY',
      amount: amount ?? capture.amount,
      createTime: now,
      updateTime: now,
    };
    this.state.disputes[dispute.id] = dispute;
    this.emit(
      'CUSTOMER.DISPUTE.CREATED',
      'dispute',
      this.renderDispute(dispute),
      'A new dispute opened',
    );
    return dispute;
  }

  updateDispute(disputeId: string, status: string, stage?: string): SimDispute {
    const dispute = this.findDispute(disputeId);
    dispute.status = status;
    if (stage) dispute.stage = stage;
    dispute.updateTime = this.now();
    this.emit(
      'CUSTOMER.DISPUTE.UPDATED',
      'dispute',
      this.renderDispute(dispute),
      'A dispute was updated',
    );
    return dispute;
  }

  /** Resolves a dispute; a buyer win reverses the money (PAYMENT.CAPTURE.REVERSED). */
  resolveDispute(disputeId: string, outcomeCode = 'RESOLVED_BUYER_FAVOUR'): SimDispute {
    const dispute = this.findDispute(disputeId);
    dispute.status = 'RESOLVED';
    dispute.outcomeCode = outcomeCode;
    dispute.updateTime = this.now();
    this.emit(
      'CUSTOMER.DISPUTE.RESOLVED',
      'dispute',
      this.renderDispute(dispute),
      'A dispute was resolved',
    );
    if (outcomeCode === 'RESOLVED_BUYER_FAVOUR') {
      const capture = this.state.captures[dispute.captureId];
      const reversal = this.addRefund(capture, dispute.amount, 'COMPLETED', { reversal: true });
      this.emit(
        'PAYMENT.CAPTURE.REVERSED',
        'refund',
        this.renderRefund(reversal),
        'A payment was reversed',
      );
    }
    return dispute;
  }

  /** Settles a PENDING capture (eCheck cleared or bounced). */
  settleCapture(captureId: string, status: 'COMPLETED' | 'DECLINED'): SimCapture {
    const capture = this.state.captures[captureId];
    if (!capture) throw new SimError(404, 'INVALID_RESOURCE_ID', `capture ${captureId} not found`);
    capture.status = status;
    capture.statusReason = undefined;
    capture.updateTime = this.now();
    const type = status === 'COMPLETED' ? 'PAYMENT.CAPTURE.COMPLETED' : 'PAYMENT.CAPTURE.DENIED';
    this.emit(type, 'capture', this.renderCapture(capture), `Payment ${status.toLowerCase()}`);
    return capture;
  }

  // ------------------------------------------------------------ plumbing

  private now(): string {
    return new Date(this.clock()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private clear(): void {
    this.clearTimers();
    const tokensIssued = this.state.tokensIssued;
    this.state = { ...emptyState(), tokensIssued };
    this.replays.clear();
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private findDispute(disputeId: string): SimDispute {
    const dispute = this.state.disputes[disputeId];
    if (!dispute) throw new SimError(404, 'INVALID_RESOURCE_ID', `dispute ${disputeId} not found`);
    return dispute;
  }

  /** Wraps a REST handler: bearer token, mock responses, PayPal-Request-Id replay, PayPal errors. */
  private rest(
    handler: (request: SimRequest) => SimResponse,
  ): (request: SimRequest) => SimResponse {
    return (request) => {
      const authorization = header(request, 'authorization') ?? '';
      const token = /^Bearer (.+)$/.exec(authorization)?.[1];
      const expiresAt = token ? this.tokens.get(token) : undefined;
      if (expiresAt === undefined || expiresAt <= this.clock()) return errorResponse(401);
      const mock = header(request, 'paypal-mock-response');
      if (mock) {
        let code: string | undefined;
        try {
          code = (JSON.parse(mock) as { mock_application_codes?: string }).mock_application_codes;
        } catch {
          return errorResponse(400, 'INVALID_PARAMETER_SYNTAX', 'PayPal-Mock-Response is not JSON');
        }
        if (code) return errorResponse(MOCK_STATUS[code] ?? 422, code, `Mock response for ${code}`);
      }
      const requestId =
        request.method === 'POST' ? header(request, 'paypal-request-id') : undefined;
      const replayKey = requestId ? `${request.path} ${requestId}` : undefined;
      const replay = replayKey ? this.replays.get(replayKey) : undefined;
      if (replay) return replay();
      try {
        const response = handler(request);
        if (replayKey && response.status < 300) {
          // Same id again: the latest state of the original result, HTTP 200.
          this.replays.set(replayKey, () => ({
            ...handler.call(this, { ...request, replay: true } as SimRequest),
            status: 200,
          }));
        }
        return response;
      } catch (error) {
        if (error instanceof SimError)
          return errorResponse(error.status, error.issue, error.description, error.field);
        throw error;
      }
    };
  }

  private representation(
    request: SimRequest,
    full: unknown,
    minimal: unknown,
    status: number,
  ): SimResponse {
    const prefer = header(request, 'prefer') ?? 'return=minimal';
    return json(status, prefer.includes('return=representation') ? full : minimal);
  }

  private parseAmount(value: unknown, field: string, currencyField = 'currency_code'): Money {
    const amount = value as Record<string, unknown> | undefined;
    const currency = amount?.[currencyField];
    const decimal = amount?.value;
    if (typeof currency !== 'string' || typeof decimal !== 'string') {
      throw new SimError(
        400,
        'MISSING_REQUIRED_PARAMETER',
        'amount currency and value are required',
        field,
      );
    }
    if (!(PAYPAL_CURRENCIES as readonly string[]).includes(currency)) {
      throw new SimError(
        422,
        'CURRENCY_NOT_SUPPORTED',
        `${currency} is not supported`,
        `${field}/${currencyField}`,
      );
    }
    if (!VALUE_PATTERN.test(decimal) || decimal.length > 32) {
      throw new SimError(
        400,
        'INVALID_PARAMETER_SYNTAX',
        'amount value is not a decimal',
        `${field}/value`,
      );
    }
    const fraction = decimal.split('.')[1] ?? '';
    if (NO_DECIMALS.has(currency) && fraction.length > 0) {
      throw new SimError(
        422,
        'DECIMALS_NOT_SUPPORTED',
        `${currency} does not support decimals`,
        `${field}/value`,
      );
    }
    if (fraction.length > currencyExponent(currency)) {
      throw new SimError(422, 'DECIMAL_PRECISION', 'too many decimals', `${field}/value`);
    }
    const amountMinor = fromDecimalString(decimal, currency);
    if (amountMinor <= 0)
      throw new SimError(
        422,
        'CANNOT_BE_ZERO_OR_NEGATIVE',
        'amount must be positive',
        `${field}/value`,
      );
    return { amountMinor, currency };
  }

  // ------------------------------------------------------------ webhooks

  /** Builds, signs (PayPal's scheme) and queues one event to the listener. */
  private emit(eventType: string, resourceType: string, resource: unknown, summary: string): void {
    const eventId = `WH-${paypalId()}-${paypalId().slice(0, 8)}`;
    const event = {
      id: eventId,
      event_version: '1.0',
      create_time: this.now(),
      resource_type: resourceType,
      resource_version: '2.0',
      event_type: eventType,
      summary,
      resource,
      links: [
        {
          href: `${this.server.url}/v1/notifications/webhooks-events/${eventId}`,
          rel: 'self',
          method: 'GET',
        },
        {
          href: `${this.server.url}/v1/notifications/webhooks-events/${eventId}/resend`,
          rel: 'resend',
          method: 'POST',
        },
      ],
    };
    const rawBody = JSON.stringify(event);
    const transmissionId = randomUUID();
    this.state.events.push({ eventId, eventType, transmissionId, rawBody });
    if (!this.webhookUrl) return;
    const transmissionTime = this.now();
    const message = `${transmissionId}|${transmissionTime}|${this.webhookId}|${crc32(Buffer.from(rawBody)) >>> 0}`;
    const signature = sign(
      'sha256',
      Buffer.from(message, 'utf8'),
      this.certificate.privateKey,
    ).toString('base64');
    this.server.callbacks.send({
      url: this.webhookUrl,
      label: eventType,
      body: rawBody,
      headers: {
        'content-type': 'application/json',
        'paypal-transmission-id': transmissionId,
        'paypal-transmission-time': transmissionTime,
        'paypal-transmission-sig': signature,
        'paypal-cert-url': this.certUrl,
        'paypal-auth-algo': 'SHA256withRSA',
      },
    });
  }

  // ------------------------------------------------------------ renderers

  private link(path: string, rel: string, method = 'GET'): PaypalLink {
    return { href: `${this.server.url}${path}`, rel, method };
  }

  private renderCapture(capture: SimCapture): PaypalCapture {
    return {
      id: capture.id,
      status: capture.status,
      ...(capture.statusReason ? { status_details: { reason: capture.statusReason } } : {}),
      amount: toPaypalMoney(capture.amount),
      final_capture: capture.finalCapture,
      seller_protection: {
        status: 'ELIGIBLE',
        dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'],
      },
      seller_receivable_breakdown: { gross_amount: toPaypalMoney(capture.amount) },
      invoice_id: capture.invoiceId,
      custom_id: capture.customId,
      supplementary_data: {
        related_ids: {
          order_id: capture.orderId,
          ...(capture.authorizationId ? { authorization_id: capture.authorizationId } : {}),
        },
      },
      create_time: capture.createTime,
      update_time: capture.updateTime,
      links: [
        this.link(`/v2/payments/captures/${capture.id}`, 'self'),
        this.link(`/v2/payments/captures/${capture.id}/refund`, 'refund', 'POST'),
        capture.authorizationId
          ? this.link(`/v2/payments/authorizations/${capture.authorizationId}`, 'up')
          : this.link(`/v2/checkout/orders/${capture.orderId}`, 'up'),
      ],
    };
  }

  private renderAuthorization(authorization: SimAuthorization): PaypalAuthorization {
    const id = authorization.id;
    return {
      id,
      status: authorization.status,
      ...(authorization.statusReason
        ? { status_details: { reason: authorization.statusReason } }
        : {}),
      amount: toPaypalMoney(authorization.amount),
      invoice_id: authorization.invoiceId,
      custom_id: authorization.customId,
      expiration_time: authorization.expirationTime,
      supplementary_data: { related_ids: { order_id: authorization.orderId } },
      create_time: authorization.createTime,
      update_time: authorization.updateTime,
      links: [
        this.link(`/v2/payments/authorizations/${id}`, 'self'),
        this.link(`/v2/payments/authorizations/${id}/capture`, 'capture', 'POST'),
        this.link(`/v2/payments/authorizations/${id}/void`, 'void', 'POST'),
        this.link(`/v2/checkout/orders/${authorization.orderId}`, 'up'),
      ],
    };
  }

  private renderRefund(refund: SimRefund): PaypalRefund {
    return {
      id: refund.id,
      status: refund.status,
      ...(refund.statusReason ? { status_details: { reason: refund.statusReason } } : {}),
      amount: toPaypalMoney(refund.amount),
      custom_id: refund.customId,
      note_to_payer: refund.noteToPayer,
      seller_payable_breakdown: {
        gross_amount: toPaypalMoney(refund.amount),
        total_refunded_amount: toPaypalMoney({
          amountMinor: this.refundedTotalMinor(refund.captureId),
          currency: refund.amount.currency,
        }),
      },
      create_time: refund.createTime,
      update_time: refund.updateTime,
      links: [
        this.link(`/v2/payments/refunds/${refund.id}`, 'self'),
        this.link(`/v2/payments/captures/${refund.captureId}`, 'up'),
      ],
    };
  }

  private renderOrder(order: SimOrder): PaypalOrder {
    const captures = order.captureIds.map((id) => this.renderCapture(this.state.captures[id]));
    const authorizations = order.authorizationIds.map((id) =>
      this.renderAuthorization(this.state.authorizations[id]),
    );
    const awaitingBuyer = order.status === 'CREATED' || order.status === 'PAYER_ACTION_REQUIRED';
    const approve = `${this.server.url}/checkoutnow?token=${order.id}`;
    return {
      id: order.id,
      intent: order.intent,
      status: order.status,
      purchase_units: [
        {
          reference_id: order.referenceId,
          description: order.description,
          custom_id: order.customId,
          invoice_id: order.invoiceId,
          amount: toPaypalMoney(order.amount),
          ...(captures.length > 0 || authorizations.length > 0
            ? {
                payments: {
                  ...(authorizations.length > 0 ? { authorizations } : {}),
                  ...(captures.length > 0 ? { captures } : {}),
                },
              }
            : {}),
        },
      ],
      ...(order.payerId
        ? { payer: { payer_id: order.payerId, email_address: 'sb-buyer@personal.example.com' } }
        : {}),
      create_time: order.createTime,
      update_time: order.updateTime,
      links: [
        this.link(`/v2/checkout/orders/${order.id}`, 'self'),
        ...(awaitingBuyer
          ? [{ href: approve, rel: order.payerAction ? 'payer-action' : 'approve', method: 'GET' }]
          : []),
        ...(awaitingBuyer ? [this.link(`/v2/checkout/orders/${order.id}`, 'update', 'PATCH')] : []),
        ...(order.status === 'APPROVED'
          ? [
              this.link(
                `/v2/checkout/orders/${order.id}/${order.intent === 'CAPTURE' ? 'capture' : 'authorize'}`,
                order.intent.toLowerCase(),
                'POST',
              ),
            ]
          : []),
      ],
    };
  }

  private minimalOrder(order: SimOrder): Pick<PaypalOrder, 'id' | 'status' | 'links'> {
    const { id, status, links } = this.renderOrder(order);
    return { id, status, links };
  }

  private renderPayoutItem(payout: SimPayout, index: number): PaypalPayoutItem {
    const item = payout.items[index];
    return {
      payout_item_id: item.itemId,
      transaction_id: item.transactionId,
      transaction_status: item.status,
      payout_batch_id: payout.batchId,
      payout_item: {
        recipient_type: item.recipientType as 'EMAIL',
        amount: toPaypalPayoutMoney(item.amount),
        receiver: item.receiver,
        note: item.note,
        sender_item_id: item.senderItemId,
      },
      ...(item.timeProcessed ? { time_processed: item.timeProcessed } : {}),
      ...(item.error ? { errors: item.error } : {}),
      links: [this.link(`/v1/payments/payouts-item/${item.itemId}`, 'item')],
    };
  }

  private renderPayout(payout: SimPayout, withItems: boolean): PaypalPayoutBatch {
    const total = payout.items.reduce((sum, item) => sum + item.amount.amountMinor, 0);
    return {
      batch_header: {
        payout_batch_id: payout.batchId,
        batch_status: payout.status,
        time_created: payout.createTime,
        sender_batch_header: {
          sender_batch_id: payout.senderBatchId,
          email_subject: payout.emailSubject,
        },
        amount: toPaypalPayoutMoney({
          amountMinor: total,
          currency: payout.items[0].amount.currency,
        }),
      },
      ...(withItems
        ? { items: payout.items.map((_, index) => this.renderPayoutItem(payout, index)) }
        : {}),
      links: [this.link(`/v1/payments/payouts/${payout.batchId}`, 'self')],
    };
  }

  private renderDispute(dispute: SimDispute): PaypalDispute {
    const capture = this.state.captures[dispute.captureId];
    return {
      dispute_id: dispute.id,
      create_time: dispute.createTime,
      update_time: dispute.updateTime,
      disputed_transactions: [
        {
          seller_transaction_id: dispute.captureId,
          buyer_transaction_id: `B${dispute.captureId.slice(1)}`,
          invoice_number: capture?.invoiceId,
          custom: capture?.customId,
          gross_amount: capture ? toPaypalMoney(capture.amount) : undefined,
        },
      ],
      reason: dispute.reason,
      status: dispute.status,
      dispute_amount: toPaypalMoney(dispute.amount),
      ...(dispute.outcomeCode ? { dispute_outcome: { outcome_code: dispute.outcomeCode } } : {}),
      dispute_life_cycle_stage: dispute.stage,
      dispute_channel: 'INTERNAL',
      links: [this.link(`/v1/customer/disputes/${dispute.id}`, 'self')],
    };
  }

  // ------------------------------------------------------------ state changes

  private addCapture(
    order: SimOrder,
    amount: Money,
    status: string,
    extra: Partial<SimCapture> = {},
  ): SimCapture {
    const now = this.now();
    const capture: SimCapture = {
      id: paypalId(),
      orderId: order.id,
      status,
      amount,
      finalCapture: true,
      customId: order.customId,
      invoiceId: order.invoiceId,
      createTime: now,
      updateTime: now,
      ...extra,
    };
    this.state.captures[capture.id] = capture;
    order.captureIds.push(capture.id);
    return capture;
  }

  private addRefund(
    capture: SimCapture,
    amount: Money,
    status: string,
    extra: Partial<SimRefund> = {},
  ): SimRefund {
    const now = this.now();
    const refund: SimRefund = {
      id: paypalId(),
      captureId: capture.id,
      orderId: capture.orderId,
      status,
      amount,
      reversal: false,
      createTime: now,
      updateTime: now,
      ...extra,
    };
    this.state.refunds[refund.id] = refund;
    this.updateCaptureRefundStatus(capture);
    return refund;
  }

  private updateCaptureRefundStatus(capture: SimCapture): void {
    const refunded = this.refundedTotalMinor(capture.id);
    if (refunded === 0) return;
    capture.status = refunded >= capture.amount.amountMinor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    capture.updateTime = this.now();
  }

  private emitCapture(capture: SimCapture): void {
    const type = {
      COMPLETED: 'PAYMENT.CAPTURE.COMPLETED',
      PENDING: 'PAYMENT.CAPTURE.PENDING',
      DECLINED: 'PAYMENT.CAPTURE.DECLINED',
    }[capture.status];
    if (type)
      this.emit(
        type,
        'capture',
        this.renderCapture(capture),
        `Payment ${capture.status.toLowerCase()}`,
      );
  }

  private settlePayout(payout: SimPayout): void {
    payout.status = 'SUCCESS';
    payout.items.forEach((item, index) => {
      const receiver = item.receiver.toLowerCase();
      item.timeProcessed = this.now();
      if (receiver.includes('unclaimed')) item.status = 'UNCLAIMED';
      else if (receiver.includes('fail')) {
        item.status = 'FAILED';
        item.error = { name: 'RECEIVER_UNREGISTERED', message: 'Receiver is unregistered' };
      } else item.status = 'SUCCESS';
      const type = { SUCCESS: 'SUCCEEDED', UNCLAIMED: 'UNCLAIMED', FAILED: 'FAILED' }[item.status];
      this.emit(
        `PAYMENT.PAYOUTS-ITEM.${type}`,
        'payouts_item',
        this.renderPayoutItem(payout, index),
        `Payout item ${item.status.toLowerCase()}`,
      );
    });
    this.emit(
      'PAYMENT.PAYOUTSBATCH.SUCCESS',
      'payouts',
      this.renderPayout(payout, false),
      'Payouts batch completed',
    );
  }

  // ------------------------------------------------------------ routes

  private registerRoutes(): void {
    const server = this.server;

    server.route('POST', '/v1/oauth2/token', (request) => {
      const basic = /^Basic (.+)$/.exec(header(request, 'authorization') ?? '')?.[1];
      const [id, ...secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
      if (id !== this.clientId || secret.join(':') !== this.clientSecret) {
        return json(401, {
          error: 'invalid_client',
          error_description: 'Client Authentication failed',
        });
      }
      const grant = (request.body as Record<string, string> | undefined)?.grant_type;
      if (grant !== 'client_credentials') {
        return json(400, {
          error: 'unsupported_grant_type',
          error_description: 'Grant Type is NULL',
        });
      }
      const token = `A21AA${randomBytes(36).toString('base64url')}`;
      this.tokens.set(token, this.clock() + this.tokenTtlSeconds * 1000);
      this.state.tokensIssued += 1;
      return json(200, {
        scope:
          'https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/payments/refund openid',
        access_token: token,
        token_type: 'Bearer',
        app_id: 'APP-80W284485P519543T',
        expires_in: this.tokenTtlSeconds,
        nonce: `${this.now()}${randomBytes(8).toString('hex')}`,
      });
    });

    server.route(
      'POST',
      '/v2/checkout/orders',
      this.rest((request) => {
        const replayOf = (request as SimRequest & { replay?: boolean }).replay;
        const body = bodyOf(request);
        if (replayOf) {
          const order =
            this.state.orders[(request as SimRequest & { orderId?: string }).orderId ?? ''];
          if (order)
            return this.representation(
              request,
              this.renderOrder(order),
              this.minimalOrder(order),
              200,
            );
        }
        const intent = body.intent;
        if (intent !== 'CAPTURE' && intent !== 'AUTHORIZE') {
          throw new SimError(
            400,
            'INVALID_PARAMETER_VALUE',
            'intent must be CAPTURE or AUTHORIZE',
            '/intent',
          );
        }
        const units = body.purchase_units as Array<Record<string, unknown>> | undefined;
        if (!Array.isArray(units) || units.length === 0) {
          throw new SimError(
            400,
            'MISSING_REQUIRED_PARAMETER',
            'purchase_units is required',
            '/purchase_units',
          );
        }
        if (units.length > 10)
          throw new SimError(
            400,
            'INVALID_ARRAY_MAX_ITEMS',
            'at most 10 purchase units',
            '/purchase_units',
          );
        const unit = units[0];
        const amount = this.parseAmount(
          unit.amount,
          '/purchase_units/@reference_id==default/amount',
        );
        const invoiceId = typeof unit.invoice_id === 'string' ? unit.invoice_id : undefined;
        if (
          invoiceId &&
          Object.values(this.state.orders).some((order) => order.invoiceId === invoiceId)
        ) {
          throw new SimError(
            422,
            'DUPLICATE_INVOICE_ID',
            'Duplicate Invoice ID detected.',
            '/purchase_units/0/invoice_id',
          );
        }
        const paypalSource = (
          body.payment_source as Record<string, Record<string, unknown>> | undefined
        )?.paypal;
        const experience = paypalSource?.experience_context as Record<string, string> | undefined;
        const legacy = body.application_context as Record<string, string> | undefined;
        const context = experience ?? legacy;
        const now = this.now();
        const order: SimOrder = {
          id: paypalId(),
          intent,
          status: experience ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
          referenceId: typeof unit.reference_id === 'string' ? unit.reference_id : 'default',
          description: typeof unit.description === 'string' ? unit.description : undefined,
          customId: typeof unit.custom_id === 'string' ? unit.custom_id : undefined,
          invoiceId,
          amount,
          returnUrl: context?.return_url,
          cancelUrl: context?.cancel_url,
          brandName: context?.brand_name,
          payerAction: experience !== undefined,
          captureIds: [],
          authorizationIds: [],
          createTime: now,
          updateTime: now,
        };
        this.state.orders[order.id] = order;
        (request as SimRequest & { orderId?: string }).orderId = order.id;
        return this.representation(request, this.renderOrder(order), this.minimalOrder(order), 201);
      }),
    );

    server.route(
      'GET',
      '/v2/checkout/orders/:id',
      this.rest((request) => json(200, this.renderOrder(this.findOrder(request.params.id)))),
    );

    server.route(
      'POST',
      '/v2/checkout/orders/:id/capture',
      this.rest((request) => {
        const order = this.findOrder(request.params.id);
        if ((request as SimRequest & { replay?: boolean }).replay) {
          return this.representation(
            request,
            this.renderOrder(order),
            this.minimalOrder(order),
            200,
          );
        }
        if (order.intent !== 'CAPTURE') {
          throw new SimError(
            422,
            'ACTION_DOES_NOT_MATCH_INTENT',
            'Order was created with an intent to AUTHORIZE.',
          );
        }
        if (order.status === 'COMPLETED')
          throw new SimError(422, 'ORDER_ALREADY_CAPTURED', 'Order already captured.');
        if (order.status !== 'APPROVED') {
          throw new SimError(
            422,
            'ORDER_NOT_APPROVED',
            'Payer has not yet approved the Order for payment.',
          );
        }
        const status =
          { decline: 'DECLINED', pending: 'PENDING' }[order.buyerChoice as string] ?? 'COMPLETED';
        const capture = this.addCapture(
          order,
          order.amount,
          status,
          status === 'PENDING' ? { statusReason: 'ECHECK' } : {},
        );
        order.status = 'COMPLETED';
        order.updateTime = this.now();
        this.emitCapture(capture);
        return this.representation(request, this.renderOrder(order), this.renderOrder(order), 201);
      }),
    );

    server.route(
      'POST',
      '/v2/checkout/orders/:id/authorize',
      this.rest((request) => {
        const order = this.findOrder(request.params.id);
        if ((request as SimRequest & { replay?: boolean }).replay) {
          return this.representation(
            request,
            this.renderOrder(order),
            this.minimalOrder(order),
            200,
          );
        }
        if (order.intent !== 'AUTHORIZE') {
          throw new SimError(
            422,
            'ACTION_DOES_NOT_MATCH_INTENT',
            'Order was created with an intent to CAPTURE.',
          );
        }
        if (order.status === 'COMPLETED')
          throw new SimError(422, 'ORDER_ALREADY_AUTHORIZED', 'Order already authorized.');
        if (order.status !== 'APPROVED') {
          throw new SimError(
            422,
            'ORDER_NOT_APPROVED',
            'Payer has not yet approved the Order for payment.',
          );
        }
        const status =
          { decline: 'DENIED', pending: 'PENDING' }[order.buyerChoice as string] ?? 'CREATED';
        const now = this.now();
        const authorization: SimAuthorization = {
          id: paypalId(),
          orderId: order.id,
          status,
          amount: order.amount,
          capturedMinor: 0,
          customId: order.customId,
          invoiceId: order.invoiceId,
          createTime: now,
          updateTime: now,
          expirationTime: new Date(this.clock() + 29 * 86_400_000)
            .toISOString()
            .replace(/\.\d{3}Z$/, 'Z'),
        };
        this.state.authorizations[authorization.id] = authorization;
        order.authorizationIds.push(authorization.id);
        order.status = 'COMPLETED';
        order.updateTime = now;
        if (status === 'CREATED') {
          this.emit(
            'PAYMENT.AUTHORIZATION.CREATED',
            'authorization',
            this.renderAuthorization(authorization),
            'A payment authorization was created',
          );
        }
        return this.representation(request, this.renderOrder(order), this.renderOrder(order), 201);
      }),
    );

    server.route(
      'GET',
      '/v2/payments/authorizations/:id',
      this.rest((request) =>
        json(200, this.renderAuthorization(this.findAuthorization(request.params.id))),
      ),
    );

    server.route(
      'POST',
      '/v2/payments/authorizations/:id/capture',
      this.rest((request) => {
        const authorization = this.findAuthorization(request.params.id);
        const replay = request as SimRequest & { replay?: boolean; captureId?: string };
        if (replay.replay && replay.captureId) {
          const capture = this.state.captures[replay.captureId];
          return this.representation(
            request,
            this.renderCapture(capture),
            this.renderCapture(capture),
            200,
          );
        }
        const refusal: Record<string, string> = {
          VOIDED: 'AUTHORIZATION_VOIDED',
          CAPTURED: 'AUTHORIZATION_ALREADY_CAPTURED',
          DENIED: 'PAYER_CANNOT_PAY',
          PENDING: 'PENDING_CAPTURE',
        };
        if (refusal[authorization.status]) {
          throw new SimError(
            422,
            refusal[authorization.status],
            `Authorization is ${authorization.status}.`,
          );
        }
        const body = bodyOf(request);
        const remaining = authorization.amount.amountMinor - authorization.capturedMinor;
        const amount = body.amount
          ? this.parseAmount(body.amount, '/amount')
          : { amountMinor: remaining, currency: authorization.amount.currency };
        if (amount.currency !== authorization.amount.currency) {
          throw new SimError(
            422,
            'CURRENCY_MISMATCH',
            'Currency of capture must match the authorization.',
            '/amount/currency_code',
          );
        }
        if (amount.amountMinor > remaining) {
          throw new SimError(
            422,
            'MAX_CAPTURE_AMOUNT_EXCEEDED',
            'Capture amount exceeds the allowable limit.',
            '/amount/value',
          );
        }
        const order = this.state.orders[authorization.orderId];
        const finalCapture = body.final_capture === true;
        const capture = this.addCapture(order, amount, 'COMPLETED', {
          authorizationId: authorization.id,
          finalCapture,
        });
        authorization.capturedMinor += amount.amountMinor;
        authorization.status =
          finalCapture || authorization.capturedMinor >= authorization.amount.amountMinor
            ? 'CAPTURED'
            : 'PARTIALLY_CAPTURED';
        authorization.updateTime = this.now();
        replay.captureId = capture.id;
        this.emitCapture(capture);
        const rendered = this.renderCapture(capture);
        return this.representation(
          request,
          rendered,
          { id: rendered.id, status: rendered.status, links: rendered.links },
          201,
        );
      }),
    );

    server.route(
      'POST',
      '/v2/payments/authorizations/:id/void',
      this.rest((request) => {
        const authorization = this.findAuthorization(request.params.id);
        const respond = (status: number): SimResponse => {
          const prefer = header(request, 'prefer') ?? '';
          return prefer.includes('return=representation')
            ? json(status, this.renderAuthorization(authorization))
            : { status: 204 };
        };
        if ((request as SimRequest & { replay?: boolean }).replay) return respond(200);
        if (authorization.status === 'VOIDED')
          throw new SimError(422, 'PREVIOUSLY_VOIDED', 'Authorization has been previously voided.');
        if (authorization.status === 'CAPTURED') {
          throw new SimError(
            422,
            'PREVIOUSLY_CAPTURED',
            'Authorization has been previously captured.',
          );
        }
        if (authorization.status !== 'CREATED' && authorization.status !== 'PARTIALLY_CAPTURED') {
          throw new SimError(
            422,
            'CANNOT_BE_VOIDED',
            `An authorization in status ${authorization.status} cannot be voided.`,
          );
        }
        authorization.status = 'VOIDED';
        authorization.updateTime = this.now();
        const order = this.state.orders[authorization.orderId];
        if (order.captureIds.length === 0) {
          order.status = 'VOIDED';
          order.updateTime = authorization.updateTime;
        }
        this.emit(
          'PAYMENT.AUTHORIZATION.VOIDED',
          'authorization',
          this.renderAuthorization(authorization),
          'A payment authorization was voided',
        );
        return respond(200);
      }),
    );

    server.route(
      'GET',
      '/v2/payments/captures/:id',
      this.rest((request) => json(200, this.renderCapture(this.findCapture(request.params.id)))),
    );

    server.route(
      'POST',
      '/v2/payments/captures/:id/refund',
      this.rest((request) => {
        const capture = this.findCapture(request.params.id);
        const replay = request as SimRequest & { replay?: boolean; refundId?: string };
        if (replay.replay && replay.refundId) {
          const refund = this.renderRefund(this.state.refunds[replay.refundId]);
          return this.representation(
            request,
            refund,
            { id: refund.id, status: refund.status, links: refund.links },
            200,
          );
        }
        const refusal: Record<string, [string, string]> = {
          REFUNDED: ['CAPTURE_FULLY_REFUNDED', 'The capture has already been fully refunded.'],
          PENDING: ['PENDING_CAPTURE', 'Cannot initiate refund as the capture is pending.'],
          DECLINED: ['REFUND_NOT_ALLOWED', 'Refund cannot be issued for a declined capture.'],
          FAILED: ['REFUND_NOT_ALLOWED', 'Refund cannot be issued for a failed capture.'],
        };
        if (refusal[capture.status]) throw new SimError(422, ...refusal[capture.status]);
        const disputed = Object.values(this.state.disputes).some(
          (dispute) => dispute.captureId === capture.id && dispute.status !== 'RESOLVED',
        );
        if (disputed)
          throw new SimError(
            422,
            'TRANSACTION_DISPUTED',
            'Partial refunds cannot be offered for disputed transactions.',
          );
        const committed = Object.values(this.state.refunds)
          .filter(
            (refund) =>
              refund.captureId === capture.id &&
              (refund.status === 'COMPLETED' || refund.status === 'PENDING'),
          )
          .reduce((sum, refund) => sum + refund.amount.amountMinor, 0);
        const remaining = capture.amount.amountMinor - committed;
        const body = bodyOf(request);
        if (
          body.amount &&
          typeof (body.amount as Body).currency_code === 'string' &&
          (body.amount as Body).currency_code !== capture.amount.currency
        ) {
          throw new SimError(
            422,
            'CURRENCY_MISMATCH',
            'Refund must be in the same currency as the capture.',
            '/amount/currency_code',
          );
        }
        const amount = body.amount
          ? this.parseAmount(body.amount, '/amount')
          : { amountMinor: remaining, currency: capture.amount.currency };
        if (amount.amountMinor > remaining) {
          throw new SimError(
            422,
            'REFUND_AMOUNT_EXCEEDED',
            'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
            '/amount/value',
          );
        }
        const failsLater = this.server.faults.takeAction('refund_fails_later');
        const refund = this.addRefund(capture, amount, failsLater ? 'PENDING' : 'COMPLETED', {
          customId: typeof body.custom_id === 'string' ? body.custom_id : undefined,
          noteToPayer: typeof body.note_to_payer === 'string' ? body.note_to_payer : undefined,
          ...(failsLater ? { statusReason: 'ECHECK' } : {}),
        });
        replay.refundId = refund.id;
        if (failsLater) {
          this.later(failsLater.ms ?? 50, () => {
            refund.status = 'FAILED';
            refund.statusReason = undefined;
            refund.updateTime = this.now();
          });
        } else {
          this.emit(
            'PAYMENT.CAPTURE.REFUNDED',
            'refund',
            this.renderRefund(refund),
            'A payment was refunded',
          );
        }
        const rendered = this.renderRefund(refund);
        return this.representation(
          request,
          rendered,
          { id: rendered.id, status: rendered.status, links: rendered.links },
          201,
        );
      }),
    );

    server.route(
      'GET',
      '/v2/payments/refunds/:id',
      this.rest((request) => {
        const refund = this.state.refunds[request.params.id];
        if (!refund)
          throw new SimError(404, 'INVALID_RESOURCE_ID', 'Specified resource ID does not exist.');
        return json(200, this.renderRefund(refund));
      }),
    );

    server.route(
      'POST',
      '/v1/payments/payouts',
      this.rest((request) => {
        const replay = request as SimRequest & { replay?: boolean; batchId?: string };
        if (replay.replay && replay.batchId)
          return json(200, this.renderPayout(this.state.payouts[replay.batchId], false));
        const body = bodyOf(request);
        const header = body.sender_batch_header as Record<string, string> | undefined;
        const items = body.items as Array<Record<string, unknown>> | undefined;
        if (!header?.sender_batch_id) {
          throw new SimError(
            400,
            'MISSING_REQUIRED_PARAMETER',
            'sender_batch_id is required',
            '/sender_batch_header/sender_batch_id',
          );
        }
        if (!Array.isArray(items) || items.length === 0)
          throw new SimError(400, 'MISSING_REQUIRED_PARAMETER', 'items are required', '/items');
        if (
          Object.values(this.state.payouts).some(
            (payout) => payout.senderBatchId === header.sender_batch_id,
          )
        ) {
          throw new SimError(
            400,
            'DUPLICATE_REQUEST_ID',
            'Batch with given sender_batch_id already exists',
            '/sender_batch_header/sender_batch_id',
          );
        }
        const payout: SimPayout = {
          batchId: paypalId().slice(0, 13),
          senderBatchId: header.sender_batch_id,
          emailSubject: header.email_subject,
          status: 'PENDING',
          createTime: this.now(),
          items: items.map((item, index) => {
            const receiver = item.receiver;
            if (typeof receiver !== 'string' || receiver === '') {
              throw new SimError(
                400,
                'MISSING_REQUIRED_PARAMETER',
                'receiver is required',
                `/items/${index}/receiver`,
              );
            }
            return {
              itemId: paypalId().slice(0, 13),
              transactionId: paypalId(),
              status: 'PENDING',
              recipientType:
                typeof item.recipient_type === 'string' ? item.recipient_type : 'EMAIL',
              receiver,
              amount: this.parseAmount(item.amount, `/items/${index}/amount`, 'currency'),
              note: typeof item.note === 'string' ? item.note : undefined,
              senderItemId:
                typeof item.sender_item_id === 'string' ? item.sender_item_id : undefined,
            };
          }),
        };
        this.state.payouts[payout.batchId] = payout;
        replay.batchId = payout.batchId;
        this.later(this.payoutDelayMs, () => this.settlePayout(payout));
        return json(201, this.renderPayout(payout, false));
      }),
    );

    server.route(
      'GET',
      '/v1/payments/payouts/:id',
      this.rest((request) => {
        const payout = this.state.payouts[request.params.id];
        if (!payout)
          throw new SimError(404, 'INVALID_RESOURCE_ID', 'Requested resource ID was not found.');
        return json(200, this.renderPayout(payout, true));
      }),
    );

    server.route(
      'GET',
      '/v1/payments/payouts-item/:id',
      this.rest((request) => {
        for (const payout of Object.values(this.state.payouts)) {
          const index = payout.items.findIndex((item) => item.itemId === request.params.id);
          if (index >= 0) return json(200, this.renderPayoutItem(payout, index));
        }
        throw new SimError(404, 'INVALID_RESOURCE_ID', 'Requested resource ID was not found.');
      }),
    );

    server.route(
      'GET',
      '/v1/customer/disputes/:id',
      this.rest((request) => json(200, this.renderDispute(this.findDispute(request.params.id)))),
    );

    server.route(
      'POST',
      '/v1/notifications/verify-webhook-signature',
      this.rest((request) =>
        json(200, { verification_status: this.verifyTransmission(bodyOf(request)) }),
      ),
    );

    server.route('GET', '/v1/notifications/certs/:name', (request) =>
      request.params.name === CERT_NAME
        ? {
            status: 200,
            headers: { 'content-type': 'application/x-pem-file' },
            body: this.certificate.certificatePem,
          }
        : json(404, {
            name: 'RESOURCE_NOT_FOUND',
            message: 'The specified resource does not exist.',
          }),
    );

    // Hosted approval page (www.sandbox.paypal.com/checkoutnow in real life).
    server.route('GET', '/checkoutnow', (request) => {
      const order = this.state.orders[request.query.get('token') ?? ''];
      if (!order)
        return html(404, messagePage('Unknown order', 'This checkout link is not valid.'));
      if (order.status !== 'CREATED' && order.status !== 'PAYER_ACTION_REQUIRED') {
        return html(409, messagePage('Already handled', `This order is ${order.status}.`));
      }
      return html(200, approvalPage(order));
    });

    server.route('POST', '/checkoutnow/:token', (request) => {
      const order = this.state.orders[request.params.token];
      if (!order)
        return html(404, messagePage('Unknown order', 'This checkout link is not valid.'));
      const choice = (request.body as Record<string, string> | undefined)?.choice as
        BuyerChoice | undefined;
      if (!choice || !['approve', 'decline', 'pending', 'cancel'].includes(choice)) {
        return html(
          400,
          messagePage('Choose an option', 'Approve, Decline, Pay by eCheck or Cancel.'),
        );
      }
      try {
        this.buyerChooses(order.id, choice);
      } catch (error) {
        if (error instanceof SimError)
          return html(409, messagePage('Already handled', error.description));
        throw error;
      }
      const target = choice === 'cancel' ? order.cancelUrl : order.returnUrl;
      if (!target) return html(200, messagePage('Done', `You can close this page (${choice}).`));
      const url = new URL(target);
      url.searchParams.set('token', order.id);
      if (choice !== 'cancel') url.searchParams.set('PayerID', order.payerId ?? '');
      return {
        status: 302,
        headers: { location: url.toString(), 'content-type': 'text/html; charset=utf-8' },
        body: '',
      };
    });

    // Control routes (simulator only).
    const control = (action: (request: SimRequest) => unknown) => (request: SimRequest) => {
      try {
        return json(200, action(request));
      } catch (error) {
        if (error instanceof SimError)
          return json(error.status, { error: error.issue, message: error.description });
        throw error;
      }
    };
    server.route(
      'POST',
      '/__sim/disputes',
      control((request) => {
        const body = bodyOf(request);
        const amount = body.amount ? this.parseAmount(body.amount, '/amount') : undefined;
        return this.renderDispute(
          this.openDispute(
            String(body.capture_id ?? ''),
            body.reason as string | undefined,
            amount,
          ),
        );
      }),
    );
    server.route(
      'POST',
      '/__sim/disputes/:id/update',
      control((request) => {
        const body = bodyOf(request);
        return this.renderDispute(
          this.updateDispute(
            request.params.id,
            String(body.status ?? 'UNDER_REVIEW'),
            body.stage as string | undefined,
          ),
        );
      }),
    );
    server.route(
      'POST',
      '/__sim/disputes/:id/resolve',
      control((request) =>
        this.renderDispute(
          this.resolveDispute(
            request.params.id,
            bodyOf(request).outcome_code as string | undefined,
          ),
        ),
      ),
    );
    server.route(
      'POST',
      '/__sim/captures/:id/settle',
      control((request) =>
        this.renderCapture(
          this.settleCapture(
            request.params.id,
            bodyOf(request).status === 'DECLINED' ? 'DECLINED' : 'COMPLETED',
          ),
        ),
      ),
    );
    server.route(
      'POST',
      '/__sim/orders/:id/buyer',
      control((request) =>
        this.renderOrder(
          this.buyerChooses(request.params.id, bodyOf(request).choice as BuyerChoice),
        ),
      ),
    );
  }

  /** The postback check: the event must be one we sent, unchanged, signed for this webhook id. */
  private verifyTransmission(
    body: Partial<PaypalVerifyWebhookSignatureRequest>,
  ): 'SUCCESS' | 'FAILURE' {
    const fields = [
      'auth_algo',
      'cert_url',
      'transmission_id',
      'transmission_sig',
      'transmission_time',
      'webhook_id',
    ] as const;
    if (fields.some((field) => typeof body[field] !== 'string') || !body.webhook_event) {
      throw new SimError(400, 'MISSING_REQUIRED_PARAMETER', 'all seven fields are required');
    }
    const sent = this.state.events.find((event) => event.transmissionId === body.transmission_id);
    if (
      !sent ||
      body.webhook_id !== this.webhookId ||
      body.cert_url !== this.certUrl ||
      body.auth_algo !== 'SHA256withRSA'
    ) {
      return 'FAILURE';
    }
    if (JSON.stringify(body.webhook_event) !== JSON.stringify(JSON.parse(sent.rawBody)))
      return 'FAILURE';
    const message = `${body.transmission_id}|${body.transmission_time}|${body.webhook_id}|${crc32(Buffer.from(sent.rawBody)) >>> 0}`;
    const expected = sign(
      'sha256',
      Buffer.from(message, 'utf8'),
      this.certificate.privateKey,
    ).toString('base64');
    return expected === body.transmission_sig ? 'SUCCESS' : 'FAILURE';
  }

  private findOrder(id: string): SimOrder {
    const order = this.state.orders[id];
    if (!order)
      throw new SimError(404, 'INVALID_RESOURCE_ID', 'Specified resource ID does not exist.');
    return order;
  }

  private findAuthorization(id: string): SimAuthorization {
    const authorization = this.state.authorizations[id];
    if (!authorization)
      throw new SimError(404, 'INVALID_RESOURCE_ID', 'Specified resource ID does not exist.');
    return authorization;
  }

  private findCapture(id: string): SimCapture {
    const capture = this.state.captures[id];
    if (!capture)
      throw new SimError(404, 'INVALID_RESOURCE_ID', 'Specified resource ID does not exist.');
    return capture;
  }
}

export function createPaypalSimulator(options: PaypalSimulatorOptions = {}): PaypalSimulator {
  return new PaypalSimulator(options);
}
