import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  html,
  json,
  SimulatorServer,
  type SimRequest,
  type SimResponse,
} from '../../simulator-kit/simulator-server';
import type { Fault } from '../../simulator-kit/faults';
import {
  STRIPE_CANCEL_REASONS_ACCEPTED,
  type StripeCancellationReason,
  type StripeCaptureMethod,
  type StripeCharge,
  type StripeDispute,
  type StripeDisputeReason,
  type StripeDisputeStatus,
  type StripeError,
  type StripeEvent,
  type StripeEventObject,
  type StripePaymentIntent,
  type StripeRefund,
} from '../stripe.types';
import { stripeSignatureHeader } from '../stripe.webhook-verifier';
import {
  findTestCard,
  STRIPE_TEST_PAYMENT_METHODS,
  type StripeTestCard,
  type StripeTestDecline,
} from './stripe-test-cards';
import { STRIPE_SIMULATOR_DEFAULT_PORT } from './stripe-simulator.constants';
import { renderThreeDsDonePage, renderThreeDsPage } from './stripe-three-ds-page';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Intent = Mutable<StripePaymentIntent>;
type Charge = Mutable<StripeCharge>;
type Refund = Mutable<StripeRefund>;
type Dispute = Mutable<StripeDispute>;

export const STRIPE_SIMULATOR_API_VERSION = '2024-06-20';
const MAX_AMOUNT = 99_999_999;
const MIN_AMOUNT = 50;
const CANCELLABLE = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'requires_capture',
  'processing',
];
const OPEN_DISPUTE_STATUSES = [
  'warning_needs_response',
  'warning_under_review',
  'needs_response',
  'under_review',
];

export interface StripeSimulatorOptions {
  /** The only key accepted (Basic username or Bearer). */
  readonly secretKey: string;
  /** Signs every webhook like the endpoint's `whsec_...`. */
  readonly webhookSecret: string;
  /** The configured webhook endpoint; no URL means events are recorded but not sent. */
  readonly webhookUrl?: string;
  /** Delays between redeliveries when our endpoint does not answer 2xx. */
  readonly callbackRetryDelaysMs?: readonly number[];
  readonly callbackTimeoutMs?: number;
  /** How long an asynchronous refund stays in its first status before it settles. */
  readonly refundSettleDelayMs?: number;
}

export interface StripeSimulatorState {
  readonly paymentIntents: readonly StripePaymentIntent[];
  readonly charges: readonly StripeCharge[];
  readonly refunds: readonly StripeRefund[];
  readonly disputes: readonly StripeDispute[];
  readonly events: readonly StripeEvent[];
  readonly idempotencyKeys: readonly string[];
}

export interface CreateDisputeOptions {
  readonly reason?: StripeDisputeReason;
  readonly status?: StripeDisputeStatus;
  readonly amount?: number;
}

/** An error answered in Stripe's envelope. */
class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: StripeError,
  ) {
    super(error.message);
  }
}

interface StoredResponse {
  readonly fingerprint: string;
  inFlight: boolean;
  response?: SimResponse;
}

interface ScheduledJob {
  readonly timer: NodeJS.Timeout;
  readonly run: () => void;
}

const now = (): number => Math.floor(Date.now() / 1000);
const randomId = (prefix: string): string =>
  `${prefix}_${randomBytes(18).toString('base64url').replace(/[-_]/g, '').slice(0, 24)}`;
const clone = <T>(value: T): T => structuredClone(value);

function invalidRequest(
  message: string,
  code?: string,
  param?: string,
  status = 400,
): StripeApiError {
  return new StripeApiError(status, {
    type: 'invalid_request_error',
    ...(code
      ? { code, doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` }
      : {}),
    message,
    ...(param ? { param } : {}),
  });
}

function formOf(request: SimRequest): Record<string, string> {
  const body = request.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, string>) : {};
}

/** Flat `metadata[key]=value` fields -> `{key: value}`. */
function nestedOf(form: Record<string, string>, prefix: string): Record<string, string> {
  const result: Record<string, string> = {};
  const pattern = new RegExp(`^${prefix}\\[([^\\]]+)\\]$`);
  for (const [key, value] of Object.entries(form)) {
    const match = pattern.exec(key);
    if (match && value !== '') result[match[1]] = value;
  }
  return result;
}

function integerParam(form: Record<string, string>, name: string): number | undefined {
  const value = form[name];
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw invalidRequest(`Invalid integer: ${value}`, 'parameter_invalid_integer', name);
  }
  return Number(value);
}

/** Parameter fingerprint for idempotency: method, path and the sorted form fields. */
function fingerprintOf(request: SimRequest): string {
  const fields = [...new URLSearchParams(request.rawBody.toString('utf8')).entries()]
    .map(([key, value]) => `${key}=${value}`)
    .sort();
  return `${request.method} ${request.path}\n${fields.join('&')}`;
}

function apiKeyOf(request: SimRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme.toLowerCase() === 'bearer') return value.trim();
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.split(':')[0];
  }
  return undefined;
}

function maskKey(key: string): string {
  const prefix = /^[a-z]+_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}${'*'.repeat(Math.max(4, key.length - prefix.length - 4))}${key.slice(-4)}`;
}

/**
 * Stripe's API at the root of its own port: PaymentIntents, Refunds, Disputes, Events, the hosted
 * 3DS page and signed webhooks, with outcomes chosen by test card like Stripe's test mode.
 */
export class StripeSimulator {
  readonly server: SimulatorServer;
  private readonly intents = new Map<string, Intent>();
  private readonly charges = new Map<string, Charge>();
  private readonly refunds = new Map<string, Refund>();
  private readonly disputes = new Map<string, Dispute>();
  private readonly events: StripeEvent[] = [];
  private readonly idempotency = new Map<string, StoredResponse>();
  private readonly paymentMethods = new Map<string, string>();
  private readonly jobs = new Set<ScheduledJob>();
  private readonly returnUrls = new Map<string, string>();
  private webhookUrl?: string;

  constructor(private readonly options: StripeSimulatorOptions) {
    this.webhookUrl = options.webhookUrl;
    this.server = new SimulatorServer(
      'stripe',
      () => this.state(),
      () => this.clear(),
      {
        retryDelaysMs: options.callbackRetryDelaysMs,
        timeoutMs: options.callbackTimeoutMs,
      },
    );
    this.registerApi();
    this.registerThreeDs();
    this.registerControl();
  }

  get url(): string {
    return this.server.url;
  }

  listen(port: number = STRIPE_SIMULATOR_DEFAULT_PORT, host?: string): Promise<string> {
    return this.server.listen(port, host);
  }

  async close(): Promise<void> {
    this.cancelJobs();
    await this.server.close();
  }

  reset(): void {
    this.server.reset();
  }

  fault(fault: Fault): number {
    return this.server.faults.add(fault);
  }

  setWebhookUrl(url: string | undefined): void {
    this.webhookUrl = url;
  }

  /** Waits until every webhook delivery in flight (with its retries) is done. */
  drainCallbacks(): Promise<void> {
    return this.server.callbacks.drain();
  }

  state(): StripeSimulatorState {
    return clone({
      paymentIntents: [...this.intents.values()],
      charges: [...this.charges.values()].map((charge) => this.chargeView(charge)),
      refunds: [...this.refunds.values()],
      disputes: [...this.disputes.values()],
      events: this.events,
      idempotencyKeys: [...this.idempotency.keys()],
    });
  }

  paymentIntent(id: string): StripePaymentIntent | undefined {
    const intent = this.intents.get(id);
    return intent ? clone(intent) : undefined;
  }

  /** Refunds counted against the payment: succeeded and still pending ones. */
  refundedTotalMinor(paymentIntentId: string): number {
    let total = 0;
    for (const refund of this.refunds.values()) {
      if (
        refund.payment_intent === paymentIntentId &&
        ['pending', 'succeeded'].includes(refund.status)
      ) {
        total += refund.amount;
      }
    }
    return total;
  }

  /** Settles every asynchronous refund now instead of after refundSettleDelayMs. */
  settleRefunds(): void {
    for (const job of [...this.jobs]) {
      clearTimeout(job.timer);
      this.jobs.delete(job);
      job.run();
    }
  }

  /** Plays the customer on the hosted 3DS page. */
  completeThreeDs(paymentIntentId: string, outcome: 'complete' | 'fail'): StripePaymentIntent {
    const intent = this.findIntent(paymentIntentId);
    if (intent.status !== 'requires_action') {
      throw invalidRequest(
        `PaymentIntent ${intent.id} is not awaiting authentication`,
        'payment_intent_unexpected_state',
      );
    }
    intent.next_action = null;
    if (outcome === 'fail') {
      this.declineIntent(
        intent,
        {
          code: 'payment_intent_authentication_failure',
          message:
            'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
        },
        'invalid_request_error',
      );
    } else {
      this.authorize(intent, this.cardOf(intent), true);
    }
    return clone(intent);
  }

  /** Opens a dispute on the payment's charge, as a cardholder's bank would. */
  createDispute(paymentIntentId: string, options: CreateDisputeOptions = {}): StripeDispute {
    const intent = this.findIntent(paymentIntentId);
    const charge = intent.latest_charge ? this.charges.get(intent.latest_charge) : undefined;
    if (!charge || !charge.captured) {
      throw invalidRequest(
        `PaymentIntent ${intent.id} has no captured charge to dispute`,
        'charge_not_refundable',
      );
    }
    const dispute: Dispute = {
      id: randomId('dp'),
      object: 'dispute',
      amount: options.amount ?? charge.amount_captured,
      charge: charge.id,
      created: now(),
      currency: charge.currency,
      evidence: {},
      is_charge_refundable: false,
      livemode: false,
      metadata: {},
      payment_intent: intent.id,
      reason: options.reason ?? 'fraudulent',
      status: options.status ?? 'needs_response',
    };
    this.disputes.set(dispute.id, dispute);
    charge.disputed = true;
    this.emit('charge.dispute.created', dispute);
    return clone(dispute);
  }

  closeDispute(disputeId: string, status: 'won' | 'lost' | 'warning_closed'): StripeDispute {
    const dispute = this.findDispute(disputeId);
    if (!OPEN_DISPUTE_STATUSES.includes(dispute.status)) {
      throw invalidRequest(
        `This dispute is already closed (${dispute.status}).`,
        'dispute_already_closed',
      );
    }
    dispute.status = status;
    this.emit('charge.dispute.closed', dispute);
    return clone(dispute);
  }

  // ---------- routing ----------

  private api(method: string, path: string, handler: (request: SimRequest) => SimResponse): void {
    this.server.route(method, path, async (request) => {
      const key = apiKeyOf(request);
      if (!key) {
        return this.errorResponse(
          invalidRequest(
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
            undefined,
            undefined,
            401,
          ),
        );
      }
      if (key !== this.options.secretKey) {
        return this.errorResponse(
          invalidRequest(`Invalid API Key provided: ${maskKey(key)}`, undefined, undefined, 401),
        );
      }
      if (method === 'POST') return this.withIdempotency(request, () => handler(request));
      return this.run(() => handler(request));
    });
  }

  private run(handler: () => SimResponse): SimResponse {
    try {
      return handler();
    } catch (error) {
      if (error instanceof StripeApiError) return this.errorResponse(error);
      throw error;
    }
  }

  private errorResponse(error: StripeApiError): SimResponse {
    const headers: Record<string, string> = { 'request-id': randomId('req') };
    if (error.status === 401) headers['www-authenticate'] = 'Basic realm="Stripe"';
    return json(error.status, { error: error.error }, headers);
  }

  /**
   * Stripe's idempotency: the first response (success or failure once execution began) is stored
   * and replayed; other parameters -> 400 idempotency_error; same key while in flight -> 409.
   */
  private async withIdempotency(
    request: SimRequest,
    handler: () => SimResponse,
  ): Promise<SimResponse> {
    const header = request.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) return this.run(handler);
    if (key.length > 255) {
      return this.errorResponse(
        invalidRequest(
          'Invalid idempotency key: must be at most 255 characters long.',
          undefined,
          undefined,
          400,
        ),
      );
    }
    const fingerprint = fingerprintOf(request);
    const stored = this.idempotency.get(key);
    if (stored) {
      if (stored.inFlight) {
        return this.errorResponse(
          new StripeApiError(409, {
            type: 'idempotency_error',
            code: 'idempotency_key_in_use',
            message:
              'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ' +
              `${key}. Please try again later.`,
          }),
        );
      }
      if (stored.fingerprint !== fingerprint) {
        return this.errorResponse(
          new StripeApiError(400, {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          }),
        );
      }
      const response = stored.response!;
      return { ...response, headers: { ...response.headers, 'idempotent-replayed': 'true' } };
    }
    const entry: StoredResponse = { fingerprint, inFlight: true };
    this.idempotency.set(key, entry);
    // Scripted slow execution, so a test can race two requests on one key.
    const slow = this.server.faults.takeAction('processing_delay');
    if (slow) await sleep(slow.ms ?? 200);
    const response = this.run(handler);
    // Validation failures and conflicts are not stored (Stripe: execution never began).
    if ([400, 401, 404, 409, 429].includes(response.status)) {
      this.idempotency.delete(key);
    } else {
      entry.inFlight = false;
      entry.response = { ...response, headers: { ...response.headers, 'idempotency-key': key } };
    }
    return entry.response ?? response;
  }

  private registerApi(): void {
    this.api('POST', '/v1/payment_intents', (request) => this.createIntent(formOf(request)));
    this.api('GET', '/v1/payment_intents/:id', (request) =>
      json(200, this.findIntent(request.params.id)),
    );
    this.api('POST', '/v1/payment_intents/:id/confirm', (request) => {
      const intent = this.findIntent(request.params.id);
      if (!['requires_payment_method', 'requires_confirmation'].includes(intent.status)) {
        throw this.unexpectedState(intent, 'confirm', [
          'requires_payment_method',
          'requires_confirmation',
        ]);
      }
      const form = formOf(request);
      if (form.return_url) this.returnUrls.set(intent.id, form.return_url);
      this.confirm(intent, form);
      return json(200, intent);
    });
    this.api('POST', '/v1/payment_intents/:id/capture', (request) =>
      this.capture(this.findIntent(request.params.id), formOf(request)),
    );
    this.api('POST', '/v1/payment_intents/:id/cancel', (request) =>
      this.cancel(this.findIntent(request.params.id), formOf(request)),
    );
    this.api('POST', '/v1/refunds', (request) => this.createRefund(formOf(request)));
    this.api('GET', '/v1/refunds/:id', (request) => json(200, this.findRefund(request.params.id)));
    this.api('GET', '/v1/charges/:id', (request) => {
      const charge = this.charges.get(request.params.id);
      if (!charge)
        throw invalidRequest(
          `No such charge: '${request.params.id}'`,
          'resource_missing',
          'id',
          404,
        );
      return json(200, this.chargeView(charge));
    });
    this.api('GET', '/v1/disputes/:id', (request) =>
      json(200, this.findDispute(request.params.id)),
    );
    this.api('POST', '/v1/disputes/:id', (request) =>
      this.updateDispute(this.findDispute(request.params.id), formOf(request)),
    );
    this.api('POST', '/v1/disputes/:id/close', (request) => {
      const dispute = this.findDispute(request.params.id);
      if (!OPEN_DISPUTE_STATUSES.includes(dispute.status)) {
        throw invalidRequest(
          `This dispute is already closed (${dispute.status}).`,
          'dispute_already_closed',
        );
      }
      return json(
        200,
        this.closeDispute(
          dispute.id,
          dispute.status.startsWith('warning_') ? 'warning_closed' : 'lost',
        ),
      );
    });
    this.api('GET', '/v1/events/:id', (request) => {
      const event = this.events.find((candidate) => candidate.id === request.params.id);
      if (!event)
        throw invalidRequest(
          `No such event: '${request.params.id}'`,
          'resource_missing',
          'id',
          404,
        );
      return json(200, event);
    });
  }

  private registerThreeDs(): void {
    this.server.route('GET', '/3d_secure_2/hosted/:id', (request) => {
      const intent = this.intents.get(request.params.id);
      if (!intent) return html(404, '<!doctype html><p>Unknown payment.</p>');
      if (intent.status !== 'requires_action') {
        return html(200, renderThreeDsDonePage(intent.id, `already ${intent.status}`));
      }
      return html(
        200,
        renderThreeDsPage({
          paymentIntentId: intent.id,
          amount: intent.amount,
          currency: intent.currency,
          last4: this.cardOf(intent).number.slice(-4),
          actionPath: `/3d_secure_2/hosted/${intent.id}`,
        }),
      );
    });
    this.server.route('POST', '/3d_secure_2/hosted/:id', (request) => {
      const intent = this.intents.get(request.params.id);
      if (!intent) return html(404, '<!doctype html><p>Unknown payment.</p>');
      if (intent.status !== 'requires_action') {
        return html(409, renderThreeDsDonePage(intent.id, `no longer pending (${intent.status})`));
      }
      const outcome = formOf(request).outcome === 'complete' ? 'complete' : 'fail';
      const after = this.completeThreeDs(intent.id, outcome);
      const returnUrl = this.returnUrls.get(intent.id);
      if (!returnUrl)
        return html(
          200,
          renderThreeDsDonePage(intent.id, outcome === 'complete' ? 'completed' : 'failed'),
        );
      const target = new URL(returnUrl);
      target.searchParams.set('payment_intent', intent.id);
      target.searchParams.set('payment_intent_client_secret', intent.client_secret ?? '');
      target.searchParams.set(
        'redirect_status',
        after.status === 'requires_payment_method' ? 'failed' : 'succeeded',
      );
      return {
        status: 302,
        headers: { location: target.toString(), 'content-type': 'text/html' },
        body: '',
      };
    });
  }

  private registerControl(): void {
    this.server.route('POST', '/__sim/disputes', (request) => {
      const body = (request.body ?? {}) as { payment_intent?: string } & CreateDisputeOptions;
      if (!body.payment_intent) return json(400, { error: 'payment_intent is required' });
      return this.run(() => json(201, this.createDispute(body.payment_intent!, body)));
    });
    this.server.route('POST', '/__sim/disputes/:id/close', (request) => {
      const status = (request.body as { status?: string } | undefined)?.status ?? 'lost';
      if (!['won', 'lost', 'warning_closed'].includes(status))
        return json(400, { error: 'status must be won|lost|warning_closed' });
      return this.run(() =>
        json(
          200,
          this.closeDispute(request.params.id, status as 'won' | 'lost' | 'warning_closed'),
        ),
      );
    });
    this.server.route('POST', '/__sim/three_ds/:id', (request) => {
      const outcome =
        (request.body as { outcome?: string } | undefined)?.outcome === 'fail'
          ? 'fail'
          : 'complete';
      return this.run(() => json(200, this.completeThreeDs(request.params.id, outcome)));
    });
    this.server.route('POST', '/__sim/refunds/settle', () => {
      this.settleRefunds();
      return json(200, { ok: true });
    });
    this.server.route('POST', '/__sim/webhook_endpoint', (request) => {
      const url = (request.body as { url?: string } | undefined)?.url;
      this.setWebhookUrl(url || undefined);
      return json(200, { url: this.webhookUrl ?? null });
    });
  }

  // ---------- payment intents ----------

  private createIntent(form: Record<string, string>): SimResponse {
    const amount = integerParam(form, 'amount');
    if (amount === undefined)
      throw invalidRequest('Missing required param: amount.', 'parameter_missing', 'amount');
    if (!form.currency)
      throw invalidRequest('Missing required param: currency.', 'parameter_missing', 'currency');
    if (!/^[a-z]{3}$/.test(form.currency)) {
      throw invalidRequest(
        `Invalid currency: ${form.currency}. Stripe currencies are lowercase ISO codes.`,
        'parameter_invalid',
        'currency',
      );
    }
    if (amount < MIN_AMOUNT) {
      throw invalidRequest(
        `Amount must be at least ${MIN_AMOUNT} ${form.currency} minor units`,
        'amount_too_small',
        'amount',
      );
    }
    if (amount > MAX_AMOUNT) {
      throw invalidRequest(
        'Amount must be no more than 99999999 minor units',
        'amount_too_large',
        'amount',
      );
    }
    const captureMethod = (form.capture_method ?? 'automatic') as StripeCaptureMethod;
    if (!['automatic', 'automatic_async', 'manual'].includes(captureMethod)) {
      throw invalidRequest(
        `Invalid capture_method: ${captureMethod}`,
        'parameter_invalid',
        'capture_method',
      );
    }
    const id = randomId('pi');
    const paymentMethod = this.resolvePaymentMethodParam(form);
    const intent: Intent = {
      id,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      currency: form.currency,
      status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
      capture_method: captureMethod,
      confirmation_method: form.confirmation_method === 'manual' ? 'manual' : 'automatic',
      cancellation_reason: null,
      canceled_at: null,
      client_secret: `${id}_secret_${randomBytes(12).toString('hex')}`,
      created: now(),
      description: form.description ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: nestedOf(form, 'metadata'),
      next_action: null,
      payment_method: paymentMethod ?? null,
      payment_method_types: form['payment_method_types[]']
        ? [form['payment_method_types[]']]
        : ['card'],
      receipt_email: form.receipt_email ?? null,
    };
    this.intents.set(id, intent);
    if (form.return_url) this.returnUrls.set(id, form.return_url);
    this.emit('payment_intent.created', intent);
    if (form.confirm === 'true') this.confirm(intent, form);
    return json(200, intent);
  }

  /** `payment_method=pm_...` or, test mode only, raw `payment_method_data[card][number]`. */
  private resolvePaymentMethodParam(form: Record<string, string>): string | undefined {
    const number = form['payment_method_data[card][number]'];
    if (form['payment_method_data[type]'] === 'card' && number) {
      const id = randomId('pm');
      this.paymentMethods.set(id, number.replace(/\s/g, ''));
      return id;
    }
    const id = form.payment_method;
    if (!id) return undefined;
    if (!STRIPE_TEST_PAYMENT_METHODS[id] && !this.paymentMethods.has(id)) {
      throw invalidRequest(`No such PaymentMethod: '${id}'`, 'resource_missing', 'payment_method');
    }
    return id;
  }

  private cardOf(intent: Intent): StripeTestCard {
    return findTestCard(this.cardNumberOf(intent.payment_method));
  }

  private cardNumberOf(paymentMethod: string | null): string {
    const id = paymentMethod ?? '';
    return STRIPE_TEST_PAYMENT_METHODS[id] ?? this.paymentMethods.get(id) ?? '';
  }

  private confirm(intent: Intent, form: Record<string, string>): void {
    const newMethod = this.resolvePaymentMethodParam(form);
    if (newMethod) intent.payment_method = newMethod;
    if (!intent.payment_method) {
      throw invalidRequest(
        "You cannot confirm this PaymentIntent because it's missing a payment method.",
        'payment_intent_unexpected_state',
      );
    }
    intent.last_payment_error = null;
    const card = this.cardOf(intent);
    if (card.decline) {
      throw this.cardError(intent, this.declineIntent(intent, card.decline));
    }
    if (card.threeDs) {
      intent.status = 'requires_action';
      intent.next_action = {
        type: 'redirect_to_url',
        redirect_to_url: {
          url: `${this.server.url}/3d_secure_2/hosted/${intent.id}`,
          return_url: this.returnUrls.get(intent.id) ?? null,
        },
      };
      this.emit('payment_intent.requires_action', intent);
      return;
    }
    const error = this.authorize(intent, card, false);
    if (error) throw this.cardError(intent, error);
  }

  /** Authorizes (and for automatic capture, captures); returns the decline if the issuer refuses. */
  private authorize(
    intent: Intent,
    card: StripeTestCard,
    authenticated: boolean,
  ): StripeError | undefined {
    if (authenticated && card.declineAfterAuthentication) {
      return this.declineIntent(intent, card.declineAfterAuthentication);
    }
    const manual = intent.capture_method === 'manual';
    const charge = this.newCharge(intent, 'succeeded');
    charge.captured = !manual;
    charge.amount_captured = manual ? 0 : intent.amount;
    intent.latest_charge = charge.id;
    intent.next_action = null;
    if (manual) {
      intent.status = 'requires_capture';
      intent.amount_capturable = intent.amount;
      this.emit('charge.succeeded', this.chargeView(charge));
      this.emit('payment_intent.amount_capturable_updated', intent);
      return undefined;
    }
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    this.emit('charge.succeeded', this.chargeView(charge));
    this.emit('payment_intent.succeeded', intent);
    if (card.dispute) this.createDispute(intent.id, card.dispute);
    return undefined;
  }

  private newCharge(intent: Intent, status: StripeCharge['status']): Charge {
    const charge: Charge = {
      id: randomId('ch'),
      object: 'charge',
      amount: intent.amount,
      amount_captured: 0,
      amount_refunded: 0,
      captured: false,
      currency: intent.currency,
      created: now(),
      disputed: false,
      failure_code: null,
      failure_message: null,
      livemode: false,
      metadata: { ...intent.metadata },
      paid: status === 'succeeded',
      payment_intent: intent.id,
      payment_method: intent.payment_method,
      refunded: false,
      status,
    };
    this.charges.set(charge.id, charge);
    return charge;
  }

  private declineIntent(
    intent: Intent,
    decline: StripeTestDecline,
    type = 'card_error',
  ): StripeError {
    const charge = this.newCharge(intent, 'failed');
    charge.failure_code = decline.code;
    charge.failure_message = decline.message;
    const error: StripeError = {
      type,
      code: decline.code,
      ...(decline.declineCode ? { decline_code: decline.declineCode } : {}),
      message: decline.message,
      charge: charge.id,
      doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, '-')}`,
      payment_method: { id: intent.payment_method ?? '', type: 'card' },
    };
    intent.status = 'requires_payment_method';
    intent.latest_charge = charge.id;
    intent.last_payment_error = error;
    intent.next_action = null;
    this.emit('charge.failed', this.chargeView(charge));
    this.emit('payment_intent.payment_failed', intent);
    return error;
  }

  private cardError(intent: Intent, error: StripeError): StripeApiError {
    return new StripeApiError(402, { ...error, payment_intent: clone(intent) });
  }

  private capture(intent: Intent, form: Record<string, string>): SimResponse {
    if (intent.status !== 'requires_capture') {
      throw this.unexpectedState(intent, 'captured', ['requires_capture']);
    }
    const amount = integerParam(form, 'amount_to_capture') ?? intent.amount_capturable;
    if (amount <= 0)
      throw invalidRequest(
        'amount_to_capture must be positive',
        'parameter_invalid_integer',
        'amount_to_capture',
      );
    if (amount > intent.amount_capturable) {
      throw invalidRequest(
        `The amount to capture (${amount}) must be less than or equal to the amount capturable (${intent.amount_capturable}).`,
        'amount_too_large',
        'amount_to_capture',
      );
    }
    const charge = this.charges.get(intent.latest_charge ?? '')!;
    charge.captured = true;
    charge.amount_captured = amount;
    intent.amount_received = amount;
    intent.amount_capturable = 0;
    intent.status = 'succeeded';
    this.emit('charge.captured', this.chargeView(charge));
    this.emit('payment_intent.succeeded', intent);
    const dispute = this.cardOf(intent).dispute;
    if (dispute) this.createDispute(intent.id, dispute);
    return json(200, intent);
  }

  private cancel(intent: Intent, form: Record<string, string>): SimResponse {
    if (!CANCELLABLE.includes(intent.status)) {
      throw this.unexpectedState(intent, 'canceled', CANCELLABLE);
    }
    const reason = form.cancellation_reason;
    if (reason && !(STRIPE_CANCEL_REASONS_ACCEPTED as readonly string[]).includes(reason)) {
      throw invalidRequest(
        `Invalid cancellation_reason: ${reason}`,
        'parameter_invalid',
        'cancellation_reason',
      );
    }
    intent.status = 'canceled';
    intent.cancellation_reason = (reason as StripeCancellationReason | undefined) ?? null;
    intent.canceled_at = now();
    intent.amount_capturable = 0;
    intent.next_action = null;
    this.emit('payment_intent.canceled', intent);
    return json(200, intent);
  }

  private unexpectedState(
    intent: Intent,
    verb: string,
    allowed: readonly string[],
  ): StripeApiError {
    return invalidRequest(
      `This PaymentIntent could not be ${verb} because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be ${verb}: ${allowed.join(', ')}.`,
      'payment_intent_unexpected_state',
    );
  }

  // ---------- refunds ----------

  private createRefund(form: Record<string, string>): SimResponse {
    if (!form.payment_intent && !form.charge) {
      throw invalidRequest(
        'One of the following params should be provided for this request: payment_intent or charge.',
        'parameter_missing',
      );
    }
    let charge: Charge | undefined;
    if (form.charge) {
      charge = this.charges.get(form.charge);
      if (!charge)
        throw invalidRequest(`No such charge: '${form.charge}'`, 'resource_missing', 'charge');
    } else {
      const intent = this.intents.get(form.payment_intent);
      if (!intent)
        throw invalidRequest(
          `No such payment_intent: '${form.payment_intent}'`,
          'resource_missing',
          'payment_intent',
        );
      charge = intent.latest_charge ? this.charges.get(intent.latest_charge) : undefined;
    }
    if (!charge || charge.status !== 'succeeded' || !charge.captured) {
      throw invalidRequest(
        'This PaymentIntent does not have a successful charge to refund.',
        'charge_not_refundable',
      );
    }
    const remaining = charge.amount_captured - charge.amount_refunded;
    if (remaining <= 0)
      throw invalidRequest(
        `Charge ${charge.id} has already been refunded.`,
        'charge_already_refunded',
      );
    const amount = integerParam(form, 'amount') ?? remaining;
    if (amount <= 0)
      throw invalidRequest(
        'Refund amount must be positive.',
        'parameter_invalid_integer',
        'amount',
      );
    if (amount > remaining) {
      throw invalidRequest(
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
        'amount_too_large',
        'amount',
      );
    }
    if (
      form.reason &&
      !['duplicate', 'fraudulent', 'requested_by_customer'].includes(form.reason)
    ) {
      throw invalidRequest(`Invalid reason: ${form.reason}`, 'parameter_invalid', 'reason');
    }
    const fault = this.server.faults.takeAction(
      'refund_fails_later',
      'refund_pending_then_succeeds',
    );
    const card = findTestCard(this.cardNumberOf(charge.payment_method));
    const behaviour =
      fault?.action === 'refund_fails_later'
        ? 'succeeds_then_fails'
        : fault?.action === 'refund_pending_then_succeeds'
          ? 'pending_then_succeeds'
          : card.refund;
    const refund: Refund = {
      id: randomId('re'),
      object: 'refund',
      amount,
      charge: charge.id,
      created: now(),
      currency: charge.currency,
      failure_reason: null,
      metadata: nestedOf(form, 'metadata'),
      payment_intent: charge.payment_intent,
      reason: (form.reason as Refund['reason']) ?? null,
      status: behaviour === 'pending_then_succeeds' ? 'pending' : 'succeeded',
    };
    this.refunds.set(refund.id, refund);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded >= charge.amount_captured;
    const settleMs = fault?.ms ?? this.options.refundSettleDelayMs ?? 100;
    if (refund.status === 'succeeded') {
      this.emit('charge.refunded', this.chargeView(charge));
    } else {
      this.emit('refund.created', refund);
    }
    if (behaviour === 'pending_then_succeeds') {
      this.schedule(settleMs, () => {
        refund.status = 'succeeded';
        this.emit('charge.refund.updated', refund);
        this.emit('charge.refunded', this.chargeView(charge));
      });
    }
    if (behaviour === 'succeeds_then_fails') {
      this.schedule(settleMs, () => {
        refund.status = 'failed';
        refund.failure_reason = 'expired_or_canceled_card';
        charge.amount_refunded -= refund.amount;
        charge.refunded = false;
        this.emit('charge.refund.updated', refund);
      });
    }
    return json(200, refund);
  }

  private schedule(ms: number, run: () => void): void {
    const job: ScheduledJob = {
      timer: setTimeout(() => {
        this.jobs.delete(job);
        run();
      }, ms),
      run,
    };
    this.jobs.add(job);
  }

  private cancelJobs(): void {
    for (const job of this.jobs) clearTimeout(job.timer);
    this.jobs.clear();
  }

  // ---------- disputes ----------

  private updateDispute(dispute: Dispute, form: Record<string, string>): SimResponse {
    if (!OPEN_DISPUTE_STATUSES.includes(dispute.status)) {
      throw invalidRequest(
        `This dispute is already closed (${dispute.status}).`,
        'dispute_already_closed',
      );
    }
    const evidence = nestedOf(form, 'evidence');
    dispute.evidence = { ...dispute.evidence, ...evidence };
    dispute.metadata = { ...dispute.metadata, ...nestedOf(form, 'metadata') };
    if (form.submit === 'false') return json(200, dispute);
    const text = dispute.evidence.uncategorized_text;
    dispute.status = dispute.status.startsWith('warning_')
      ? 'warning_under_review'
      : 'under_review';
    this.emit('charge.dispute.updated', dispute);
    // Stripe test mode decides on these magic evidence strings.
    if (text === 'winning_evidence')
      this.closeDispute(
        dispute.id,
        dispute.status === 'warning_under_review' ? 'warning_closed' : 'won',
      );
    if (text === 'losing_evidence')
      this.closeDispute(
        dispute.id,
        dispute.status === 'warning_under_review' ? 'warning_closed' : 'lost',
      );
    return json(200, dispute);
  }

  // ---------- lookups ----------

  private findIntent(id: string): Intent {
    const intent = this.intents.get(id);
    if (!intent)
      throw invalidRequest(`No such payment_intent: '${id}'`, 'resource_missing', 'intent', 404);
    return intent;
  }

  private findRefund(id: string): Refund {
    const refund = this.refunds.get(id);
    if (!refund) throw invalidRequest(`No such refund: '${id}'`, 'resource_missing', 'id', 404);
    return refund;
  }

  private findDispute(id: string): Dispute {
    const dispute = this.disputes.get(id);
    if (!dispute)
      throw invalidRequest(`No such dispute: '${id}'`, 'resource_missing', 'dispute', 404);
    return dispute;
  }

  /** A charge with its refunds listed newest first, as Stripe expands it in charge events. */
  private chargeView(charge: Charge): StripeCharge {
    const refunds = [...this.refunds.values()]
      .filter((refund) => refund.charge === charge.id)
      .reverse();
    return {
      ...charge,
      refunds: {
        object: 'list',
        data: refunds,
        has_more: false,
        url: `/v1/charges/${charge.id}/refunds`,
      },
    };
  }

  // ---------- webhooks ----------

  private emit(type: string, object: StripeEventObject): void {
    const event: StripeEvent = {
      id: randomId('evt'),
      object: 'event',
      api_version: STRIPE_SIMULATOR_API_VERSION,
      created: now(),
      data: { object: clone(object) },
      livemode: false,
      pending_webhooks: this.webhookUrl ? 1 : 0,
      request: { id: null, idempotency_key: null },
      type,
    };
    this.events.push(event);
    if (!this.webhookUrl) return;
    // Stripe sends pretty-printed JSON; the signature covers exactly these bytes.
    const body = JSON.stringify(event, null, 2);
    this.server.callbacks.send({
      url: this.webhookUrl,
      label: type,
      body,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature': stripeSignatureHeader(this.options.webhookSecret, now(), body),
      },
    });
  }

  private clear(): void {
    this.cancelJobs();
    this.intents.clear();
    this.charges.clear();
    this.refunds.clear();
    this.disputes.clear();
    this.events.length = 0;
    this.idempotency.clear();
    this.paymentMethods.clear();
    this.returnUrls.clear();
  }
}

export function createStripeSimulator(options: StripeSimulatorOptions): StripeSimulator {
  return new StripeSimulator(options);
}
