import {
  SimulatorServer,
  html,
  json,
  type SimRequest,
  type SimResponse,
} from '../../simulator-kit/simulator-server';
import { SIMULATOR_PORTS } from '../../simulator-ports';
import {
  checkoutChecksum,
  checksumsEqual,
  dataChecksum,
  responseChecksum,
  webhookChecksum,
} from '../zaakpay.checksum';
import { TRANSACT_RESPONSE_CODES, UPDATE_TXN_RESPONSE_CODES } from '../zaakpay.mapper';
import type { ZaakpayOrderStatus, ZaakpayUpdateTxnResponse } from '../zaakpay.types';
import { autoPostPage, checkoutPage, errorPage } from './zaakpay-simulator.pages';

export const ZAAKPAY_SIMULATOR_DEFAULT_PORT = SIMULATOR_PORTS.zaakpay;
export const ZAAKPAY_SIM_MIN_PAISA = 100;
export const ZAAKPAY_SIM_MAX_PAISA = 10_000_000;
/** Gateway-specific fault: the next refund is accepted, then reported failed by checkTxn. */
export const REFUND_FAILS_LATER = 'refund_fails_later';
// Zaakpay's masked test card, as its samples print it (built so marker scanners do not flag the mask).
export const SIM_CARD_TOKEN = `4012 ${'X'.repeat(4)} ${'X'.repeat(4)} 1112`;

export interface ZaakpaySimulatorOptions {
  readonly merchantIdentifier: string;
  readonly secretKey: string;
  /** Where server webhooks go (Zaakpay: set on the dashboard). None: no webhooks are sent. */
  readonly webhookUrl?: string;
  readonly callbackRetryDelaysMs?: readonly number[];
  readonly callbackTimeoutMs?: number;
  /** The merchant account authorises only; capture with updateDesired=7. */
  readonly authorizeOnly?: boolean;
  /** How long an accepted refund stays "initiated" before completing (default 0). */
  readonly refundSettleMs?: number;
  /** Delay before the reconciliation flip of a late-success payment (paisa ending 05). */
  readonly lateResultDelayMs?: number;
}

export type BuyerChoice = 'pay' | 'fail' | 'abandon';
export type SimOrderStatus = 'initiated' | 'success' | 'failed' | 'authorized' | 'cancelled';
export type SimRefundState = 'initiated' | 'completed' | 'failed';

export interface SimRefund {
  readonly merchantRefId: string;
  readonly amountMinor: number;
  readonly full: boolean;
  readonly updateDesired: string;
  state: SimRefundState;
  readonly createdAt: number;
  readonly failsLater: boolean;
  readonly arn: string;
  readonly response: ZaakpayUpdateTxnResponse;
}

export interface SimOrder {
  readonly orderId: string;
  readonly amountMinor: number;
  readonly fields: Readonly<Record<string, string>>;
  status: SimOrderStatus;
  responseCode?: string;
  responseDescription?: string;
  pgTransId: string;
  pgTransTime?: string;
  txnDate?: string;
  readonly createDate: string;
  /** Paisa ending 05: failed in real time, flipped to success by a non-real-time push. */
  lateSuccess: boolean;
  readonly refunds: SimRefund[];
}

export interface SimRejection {
  readonly path: string;
  readonly orderId?: string;
  readonly responseCode: string;
}

export interface ZaakpaySimulatorState {
  readonly merchantIdentifier: string;
  readonly orders: readonly SimOrder[];
  readonly rejections: readonly SimRejection[];
}

// Zaakpay's clocks are IST; the wire formats carry no zone.
function ist(date: Date): Record<'y' | 'mo' | 'd' | 'h' | 'mi' | 's' | 'ms', string> {
  const shifted = new Date(date.getTime() + 330 * 60_000);
  const two = (value: number) => String(value).padStart(2, '0');
  return {
    y: String(shifted.getUTCFullYear()),
    mo: two(shifted.getUTCMonth() + 1),
    d: two(shifted.getUTCDate()),
    h: two(shifted.getUTCHours()),
    mi: two(shifted.getUTCMinutes()),
    s: two(shifted.getUTCSeconds()),
    ms: String(shifted.getUTCMilliseconds()).padStart(3, '0'),
  };
}
const pgTransTimeOf = (date: Date) => {
  const t = ist(date);
  return `${t.mo}/${t.d}/${t.y} ${t.h}:${t.mi}:${t.s}`;
};
const txnDateOf = (date: Date) => {
  const t = ist(date);
  return `${t.y}-${t.mo}-${t.d} ${t.h}:${t.mi}:${t.s}.${t.ms}`;
};
const createDateOf = (date: Date) => txnDateOf(date).slice(0, 19);

/** Java-style JSON: `/` escaped as `\/`, as in Zaakpay's webhook samples (so raw hashing matters). */
function javaJson(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/');
}

function transactDescription(code: string): string {
  if (code === '100') return 'The transaction was completed successfully. ';
  return TRANSACT_RESPONSE_CODES[code]?.description ?? 'Transaction failed';
}

function updateResponse(
  merchantIdentifier: string,
  orderId: string,
  responseCode: string,
  merchantRefId?: string,
  description?: string,
): ZaakpayUpdateTxnResponse {
  return {
    merchantIdentifier,
    orderDetail: { orderId },
    responseCode,
    responseDescription: description ?? UPDATE_TXN_RESPONSE_CODES[responseCode]?.description ?? '',
    ...(merchantRefId ? { merchantRefId } : {}),
  };
}

const CHOICES: Readonly<Record<string, BuyerChoice>> = {
  pay: 'pay',
  approve: 'pay',
  fail: 'fail',
  decline: 'fail',
  abandon: 'abandon',
  cancel: 'abandon',
};

/** Paying with an amount whose paisa part is 01–05 forces an outcome (see README). */
const FORCED_BY_PAISA: Readonly<Record<number, string>> = {
  1: '400',
  2: '401',
  3: '183',
  4: '103',
  5: '183',
};

/**
 * A local Zaakpay: hosted checkout (V8), checkTxn v5, updateTxn and checksummed webhooks at the
 * real paths, with a record of truth under /__sim/state.
 */
export class ZaakpaySimulator {
  readonly server: SimulatorServer;
  private readonly ordersById = new Map<string, SimOrder>();
  private readonly refundsByRefId = new Map<string, { orderId: string; refund: SimRefund }>();
  private readonly rejections: SimRejection[] = [];
  private readonly lateTimers = new Set<NodeJS.Timeout>();
  private sequence = 0;
  private webhookUrl?: string;

  constructor(private readonly options: ZaakpaySimulatorOptions) {
    this.webhookUrl = options.webhookUrl;
    this.server = new SimulatorServer(
      'zaakpay',
      () => this.state(),
      () => this.clear(),
      {
        retryDelaysMs: options.callbackRetryDelaysMs ?? [500, 2_000, 5_000],
        timeoutMs: options.callbackTimeoutMs ?? 5_000,
        // Zaakpay re-sends until the merchant answers 2xx with the body SUCCESS.
        isAcknowledged: (status, body) =>
          status >= 200 && status < 300 && body.trim() === 'SUCCESS',
      },
    );
    this.server.route('POST', '/api/paymentTransact/V8', (request) => this.transact(request));
    this.server.route('POST', '/checkTxn', (request) => this.checkTxn(request));
    this.server.route('POST', '/updateTxn', (request) => this.updateTxn(request));
    this.server.route('POST', '/__sim/checkout/:orderId/complete', (request) =>
      this.complete(request),
    );
    this.server.route('POST', '/__sim/webhooks/late', (request) => this.lateRoute(request));
  }

  get url(): string {
    return this.server.url;
  }

  async listen(port = ZAAKPAY_SIMULATOR_DEFAULT_PORT, host?: string): Promise<string> {
    return this.server.listen(port, host);
  }

  async close(): Promise<void> {
    this.clearTimers();
    await this.server.close();
  }

  reset(): void {
    this.server.reset();
  }

  /** Waits until every webhook in flight was delivered or gave up. */
  drainCallbacks(): Promise<void> {
    return this.server.callbacks.drain();
  }

  setWebhookUrl(url: string | undefined): void {
    this.webhookUrl = url;
  }

  state(): ZaakpaySimulatorState {
    this.settleRefunds();
    return {
      merchantIdentifier: this.options.merchantIdentifier,
      orders: [...this.ordersById.values()],
      rejections: [...this.rejections],
    };
  }

  order(orderId: string): SimOrder | undefined {
    this.settleRefunds();
    return this.ordersById.get(orderId);
  }

  /** Refunds accepted and not reversed (initiated or completed). */
  refundedTotalMinor(orderId: string): number {
    return (this.order(orderId)?.refunds ?? [])
      .filter((refund) => refund.state !== 'failed')
      .reduce((sum, refund) => sum + refund.amountMinor, 0);
  }

  /** Plays the buyer without HTML (the page's buttons post the same choice). */
  completeCheckout(orderId: string, choice: BuyerChoice): Record<string, string> | undefined {
    const order = this.ordersById.get(orderId);
    if (!order || order.status !== 'initiated') return undefined;
    const now = new Date();
    order.pgTransTime = pgTransTimeOf(now);
    order.txnDate = txnDateOf(now);
    const forced = FORCED_BY_PAISA[order.amountMinor % 100];
    const code = choice === 'abandon' ? '102' : choice === 'fail' ? '400' : (forced ?? '100');
    if (code === '100') order.status = this.options.authorizeOnly ? 'authorized' : 'success';
    else order.status = 'failed';
    order.responseCode = code;
    order.responseDescription = transactDescription(code);
    if (choice === 'pay' && order.amountMinor % 100 === 5) {
      order.lateSuccess = true;
      this.scheduleLateSuccess(order.orderId);
    }
    const fields = this.responseFields(order);
    this.sendTxnWebhook(order, true);
    return fields;
  }

  /** Sends non-real-time pushes (≤10 txns per POST) flipping failed orders to success. */
  pushLateSuccess(orderIds: readonly string[]): number {
    const items: Array<{ amount: number; orderid: string; txnDate: string }> = [];
    for (const orderId of orderIds) {
      const order = this.ordersById.get(orderId);
      if (!order || (order.status !== 'failed' && order.status !== 'success')) continue;
      order.status = 'success';
      order.responseCode = '100';
      order.responseDescription = transactDescription('100');
      order.lateSuccess = false;
      items.push({
        amount: order.amountMinor,
        orderid: order.orderId,
        txnDate: txnDateOf(new Date()).slice(0, 21),
      });
    }
    for (let start = 0; start < items.length; start += 10) {
      this.sendWebhook(items.slice(start, start + 10), false, `late ${start / 10 + 1}`);
    }
    return items.length;
  }

  // ------------------------------------------------------------------ routes

  private transact(request: SimRequest): SimResponse {
    const fields = this.formOf(request);
    const reject = (responseCode: string, description: string, orderId?: string): SimResponse => {
      this.rejections.push({ path: request.path, orderId, responseCode });
      const returnUrl = fields.returnUrl;
      if (
        fields.merchantIdentifier === this.options.merchantIdentifier &&
        returnUrl &&
        /^https?:\/\//.test(returnUrl)
      ) {
        const response: Record<string, string> = {
          amount: fields.amount ?? '',
          orderId: orderId ?? '',
          responseCode,
          responseDescription: description,
        };
        response.checksum = responseChecksum(this.options.secretKey, response);
        return html(
          200,
          autoPostPage(returnUrl, response, `Zaakpay refused the request (${responseCode}).`),
        );
      }
      return html(200, errorPage(responseCode, description));
    };
    if (!fields.merchantIdentifier)
      return reject('110', 'merchantIdentifier missing', fields.orderId);
    if (fields.merchantIdentifier !== this.options.merchantIdentifier) {
      return reject('101', 'Merchant not found', fields.orderId);
    }
    if (!checksumsEqual(checkoutChecksum(this.options.secretKey, fields), fields.checksum)) {
      return reject('180', 'Checksum received does not match checksum calculated', fields.orderId);
    }
    const orderId = fields.orderId;
    if (!orderId) return reject('129', 'orderId missing');
    if (!/^[A-Za-z0-9]{1,40}$/.test(orderId)) return reject('130', 'orderId invalid', orderId);
    if (!fields.amount) return reject('159', 'amount missing', orderId);
    const amountMinor = /^\d{1,9}$/.test(fields.amount) ? Number(fields.amount) : NaN;
    if (!(amountMinor >= ZAAKPAY_SIM_MIN_PAISA && amountMinor <= ZAAKPAY_SIM_MAX_PAISA)) {
      return reject('160', 'amount invalid', orderId);
    }
    if (!fields.currency) return reject('157', 'currency missing', orderId);
    if (fields.currency !== 'INR') return reject('158', 'currency invalid', orderId);
    if (!fields.buyerEmail) return reject('133', 'buyerEmail missing', orderId);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(fields.buyerEmail))
      return reject('134', 'buyerEmail invalid', orderId);
    if (!fields.returnUrl) return reject('131', 'returnUrl missing', orderId);
    if (!/^https?:\/\//.test(fields.returnUrl)) return reject('132', 'returnUrl invalid', orderId);
    const existing = this.ordersById.get(orderId);
    if (existing && (existing.status !== 'initiated' || existing.amountMinor !== amountMinor)) {
      return reject('110', 'Order Id already processed with this merchant', orderId);
    }
    const order = existing ?? this.createOrder(orderId, amountMinor, fields);
    return html(
      200,
      checkoutPage({
        orderId: order.orderId,
        amountMinor: order.amountMinor,
        productDescription: fields.productDescription,
        buyerEmail: fields.buyerEmail,
        choiceUrl: `/__sim/checkout/${encodeURIComponent(order.orderId)}/complete`,
      }),
    );
  }

  private complete(request: SimRequest): SimResponse {
    const wantsJson = !(request.headers['content-type'] ?? '').includes('x-www-form-urlencoded');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const choice = CHOICES[String(body.outcome ?? '')];
    if (!choice) return json(400, { error: 'outcome must be pay, fail or abandon' });
    const order = this.ordersById.get(request.params.orderId);
    if (!order) return json(404, { error: 'unknown orderId' });
    const fields = this.completeCheckout(order.orderId, choice);
    if (!fields) return json(409, { error: `order is already ${order.status}` });
    const returnUrl = order.fields.returnUrl;
    if (wantsJson) return json(200, { orderId: order.orderId, returnUrl, fields });
    return html(200, autoPostPage(returnUrl, fields, 'Returning to the merchant…'));
  }

  private lateRoute(request: SimRequest): SimResponse {
    const body = (request.body ?? {}) as { orderIds?: unknown };
    const orderIds = Array.isArray(body.orderIds) ? body.orderIds.map(String) : [];
    return json(200, { pushed: this.pushLateSuccess(orderIds) });
  }

  private checkTxn(request: SimRequest): SimResponse {
    const parsed = this.apiData(request);
    if ('error' in parsed) return json(200, { success: false, version: '5', ...parsed.error });
    const data = parsed.data as {
      mode?: unknown;
      orderDetail?: { orderId?: unknown };
      refundDetail?: { merchantRefId?: unknown };
    };
    const fail = (responseCode: string, responseDescription: string) =>
      json(200, {
        success: false,
        merchantIdentifier: this.options.merchantIdentifier,
        version: '5',
        responseCode,
        responseDescription,
      });
    if (data.mode === undefined) return fail('155', 'mode missing');
    if (data.mode !== '0') return fail('156', 'mode invalid');
    const orderId = typeof data.orderDetail?.orderId === 'string' ? data.orderDetail.orderId : '';
    if (!orderId) return fail('129', 'orderId missing');
    const merchantRefId =
      typeof data.refundDetail?.merchantRefId === 'string'
        ? data.refundDetail.merchantRefId
        : undefined;
    this.settleRefunds();
    const order = this.ordersById.get(orderId);
    const status: ZaakpayOrderStatus = order
      ? this.orderStatus(order, merchantRefId)
      : {
          orderDetail: { orderId },
          responseCode: '205',
          responseDescription: 'Transaction not found',
        };
    return json(200, {
      success: true,
      merchantIdentifier: this.options.merchantIdentifier,
      version: '5',
      orders: [status],
    });
  }

  private updateTxn(request: SimRequest): SimResponse {
    const mid = this.options.merchantIdentifier;
    const parsed = this.apiData(request);
    if ('error' in parsed) return json(200, { merchantIdentifier: mid, ...parsed.error });
    const data = parsed.data as {
      orderDetail?: { orderId?: unknown; amount?: unknown };
      updateDesired?: unknown;
      updateReason?: unknown;
      merchantRefId?: unknown;
    };
    const orderId = typeof data.orderDetail?.orderId === 'string' ? data.orderDetail.orderId : '';
    const merchantRefId =
      typeof data.merchantRefId === 'string' && data.merchantRefId ? data.merchantRefId : undefined;
    const answer = (code: string, description?: string) =>
      json(200, updateResponse(mid, orderId, code, merchantRefId, description));
    const desired = typeof data.updateDesired === 'string' ? data.updateDesired : '';
    if (!desired) return answer('184');
    if (!['7', '8', '14', '22'].includes(desired)) return answer('185');
    const reason = typeof data.updateReason === 'string' ? data.updateReason : '';
    if (!reason) return answer('186');
    if (!/^[A-Za-z0-9 ]{5,30}$/.test(reason)) return answer('187');
    const order = this.ordersById.get(orderId);
    if (!order) return answer('190');
    if (desired === '7' || desired === '8') {
      if (order.status !== 'authorized') return answer(desired === '7' ? '229' : '190');
      order.status = desired === '7' ? 'success' : 'cancelled';
      if (desired === '8') order.responseCode = '213';
      return answer(desired === '7' ? '242' : '243');
    }
    return json(200, this.refund(order, desired, data.orderDetail?.amount, merchantRefId));
  }

  // ------------------------------------------------------------------ behaviour

  private refund(
    order: SimOrder,
    desired: string,
    rawAmount: unknown,
    merchantRefId?: string,
  ): ZaakpayUpdateTxnResponse {
    const mid = this.options.merchantIdentifier;
    const answer = (code: string, description?: string) =>
      updateResponse(mid, order.orderId, code, merchantRefId, description);
    this.settleRefunds();
    const full = desired === '14';
    const requested = full
      ? undefined
      : typeof rawAmount === 'string' && /^\d{1,9}$/.test(rawAmount)
        ? Number(rawAmount)
        : NaN;
    if (merchantRefId) {
      const seen = this.refundsByRefId.get(merchantRefId);
      if (seen) {
        // The same request again (a retry after a timeout) gets the first answer; anything else is refused.
        const same =
          seen.orderId === order.orderId &&
          seen.refund.updateDesired === desired &&
          (full || seen.refund.amountMinor === requested);
        return same ? seen.refund.response : answer('201', 'merchantRefId already used');
      }
    }
    if (order.status !== 'success') return answer('190');
    const live = order.refunds.filter((refund) => refund.state !== 'failed');
    const remaining = order.amountMinor - live.reduce((sum, refund) => sum + refund.amountMinor, 0);
    if (full && live.length > 0) {
      // A full refund is the whole order amount: not possible once anything was refunded.
      return live.some((refund) => refund.full && refund.state === 'initiated')
        ? answer('20')
        : answer('201');
    }
    if (remaining <= 0) return answer('201');
    if (!full && !(Number.isSafeInteger(requested) && (requested as number) > 0)) {
      return answer('201', 'amount missing or invalid');
    }
    const amountMinor = full ? order.amountMinor : (requested as number);
    if (amountMinor > remaining) return answer('843');
    const response = answer(full ? '230' : '245');
    const refund: SimRefund = {
      merchantRefId: merchantRefId ?? `SIMREF${++this.sequence}`,
      amountMinor,
      full,
      updateDesired: desired,
      state: 'initiated',
      createdAt: Date.now(),
      failsLater: this.server.faults.takeAction(REFUND_FAILS_LATER) !== undefined,
      arn: String(74_766_518_021_802 + ++this.sequence),
      response,
    };
    order.refunds.push(refund);
    this.refundsByRefId.set(refund.merchantRefId, { orderId: order.orderId, refund });
    return response;
  }

  private orderStatus(order: SimOrder, merchantRefId?: string): ZaakpayOrderStatus {
    const live = order.refunds.filter((refund) => refund.state !== 'failed');
    const asked = merchantRefId
      ? order.refunds.find((refund) => refund.merchantRefId === merchantRefId)
      : undefined;
    let responseCode: string;
    let txnStatus: string;
    if (asked && asked.state !== 'failed') {
      responseCode =
        asked.state === 'completed' ? (asked.full ? '231' : '252') : asked.full ? '230' : '245';
      txnStatus = asked.full ? '3' : '4';
    } else if (order.status === 'success' && live.length > 0) {
      const full =
        live.some((refund) => refund.full) ||
        live.reduce((sum, refund) => sum + refund.amountMinor, 0) >= order.amountMinor;
      const pending = live.some((refund) => refund.state === 'initiated');
      responseCode = full ? (pending ? '230' : '231') : pending ? '245' : '252';
      txnStatus = full ? '3' : '4';
    } else {
      [responseCode, txnStatus] = this.baseStatus(order);
    }
    const details = (
      asked ? [asked] : order.refunds.filter((refund) => refund.state !== 'failed')
    ).map((refund) => ({
      amount: String(refund.amountMinor),
      arn: refund.arn,
      merchantRefId: refund.merchantRefId,
    }));
    const descriptions: Record<string, string> = {
      '207': 'Transaction Initiated',
      '209': 'Transaction Authorized',
      '213': 'Transaction Cancelled',
      '228': 'Transaction Captured',
      '230': 'Transaction Refund Initiated',
      '231': 'Transaction Refund Completed',
      '245': 'Partial Refund Initiated',
      '252': 'Partial Refund Completed',
    };
    return {
      orderDetail: {
        orderId: order.orderId,
        txnId: order.pgTransId,
        amount: String(order.amountMinor),
        productDescription: order.fields.productDescription ?? 'NA',
        createDate: order.createDate,
      },
      paymentInstrument: {
        paymentMode: 'Credit Card',
        card: {
          cardToken: SIM_CARD_TOKEN,
          cardScheme: 'Visa',
          first4: '4012',
          last4: '1112',
          bank: 'HDFC',
          cardHashId: 'CH373',
          paymentMethod: '401200',
        },
      },
      responseCode,
      responseDescription: descriptions[responseCode] ?? order.responseDescription ?? '',
      ...(details.length > 0 ? { refundDetails: details } : {}),
      txnDate: order.txnDate?.slice(0, 19) ?? order.createDate,
      txnStatus,
      userAccountDebited: order.status === 'success' || order.status === 'authorized',
    };
  }

  private baseStatus(order: SimOrder): [string, string] {
    switch (order.status) {
      case 'initiated':
        return ['207', '2'];
      case 'authorized':
        return ['209', '0'];
      case 'cancelled':
        return ['213', '1'];
      case 'success':
        return ['228', '0'];
      default:
        return [order.responseCode ?? '183', '1'];
    }
  }

  private settleRefunds(): void {
    const settleMs = this.options.refundSettleMs ?? 0;
    const now = Date.now();
    for (const order of this.ordersById.values()) {
      for (const refund of order.refunds) {
        if (refund.state === 'initiated' && now - refund.createdAt >= settleMs) {
          refund.state = refund.failsLater ? 'failed' : 'completed';
        }
      }
    }
  }

  private createOrder(
    orderId: string,
    amountMinor: number,
    fields: Record<string, string>,
  ): SimOrder {
    const order: SimOrder = {
      orderId,
      amountMinor,
      fields: { ...fields },
      status: 'initiated',
      pgTransId: `ZP${(0x5b5ffe4b04f99 + ++this.sequence).toString(16)}`,
      createDate: createDateOf(new Date()),
      lateSuccess: false,
      refunds: [],
    };
    this.ordersById.set(orderId, order);
    return order;
  }

  private responseFields(order: SimOrder): Record<string, string> {
    const netbanking = order.fields.debitorcredit === 'netbanking';
    const fields: Record<string, string> = {
      amount: String(order.amountMinor),
      bank: netbanking ? 'SBI' : 'HDFC',
      bankid: order.fields.bankid ?? 'NA',
      cardId: 'NA',
      cardScheme: netbanking ? 'NA' : 'Visa',
      cardToken: netbanking ? 'NA' : SIM_CARD_TOKEN,
      cardhashid: netbanking ? 'NA' : 'CH373',
      doRedirect: 'false',
      orderId: order.orderId,
      paymentMethod: netbanking ? 'Not Found' : '401200',
      paymentMode: netbanking ? 'Net Banking' : 'Credit Card',
      responseCode: order.responseCode ?? '183',
      responseDescription: order.responseDescription ?? '',
      productDescription: order.fields.productDescription ?? 'NA',
      product1Description: order.fields.product1Description ?? 'NA',
      product2Description: order.fields.product2Description ?? 'NA',
      product3Description: order.fields.product3Description ?? 'NA',
      product4Description: order.fields.product4Description ?? 'NA',
      pgTransId: order.pgTransId,
      pgTransTime: order.pgTransTime ?? '',
    };
    return { ...fields, checksum: responseChecksum(this.options.secretKey, fields) };
  }

  private sendTxnWebhook(order: SimOrder, realtime: boolean): void {
    const fields = this.responseFields(order);
    // Key order of the doc's webhook sample.
    const txn = {
      amount: fields.amount,
      pgTransId: fields.pgTransId,
      orderId: fields.orderId,
      paymentMode: fields.paymentMode,
      cardScheme: fields.cardScheme,
      product3Description: fields.product3Description,
      cardToken: fields.cardToken,
      responseCode: fields.responseCode,
      bank: fields.bank,
      bankid: fields.bankid,
      doRedirect: fields.doRedirect,
      product1Description: fields.product1Description,
      product4Description: fields.product4Description,
      responseDescription: fields.responseDescription,
      cardId: fields.cardId,
      cardhashid: fields.cardhashid,
      paymentMethod: fields.paymentMethod,
      product2Description: fields.product2Description,
      pgTransTime: fields.pgTransTime,
      txnDate: order.txnDate ?? '',
      productDescription: fields.productDescription,
    };
    this.sendWebhook([txn], realtime, `txn ${order.orderId} ${fields.responseCode}`);
  }

  private sendWebhook(txns: readonly unknown[], realtime: boolean, label: string): void {
    if (!this.webhookUrl) return;
    const txnData = javaJson({ merchantIdentifier: this.options.merchantIdentifier, txns });
    const url = new URL(this.webhookUrl);
    url.searchParams.set('realtime', String(realtime));
    this.server.callbacks.send({
      url: url.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        txnData,
        checksum: webhookChecksum(this.options.secretKey, txnData),
      }).toString(),
      label,
    });
  }

  private scheduleLateSuccess(orderId: string): void {
    const timer = setTimeout(() => {
      this.lateTimers.delete(timer);
      const order = this.ordersById.get(orderId);
      if (order?.lateSuccess) this.pushLateSuccess([orderId]);
    }, this.options.lateResultDelayMs ?? 100);
    timer.unref();
    this.lateTimers.add(timer);
  }

  private formOf(request: SimRequest): Record<string, string> {
    const body = request.body;
    if (!body || typeof body !== 'object') return {};
    return Object.fromEntries(
      Object.entries(body as Record<string, unknown>).map(([key, value]) => [key, String(value)]),
    );
  }

  /** The `data` + `checksum` form every JSON API takes, with the request-level checks. */
  private apiData(
    request: SimRequest,
  ):
    | { data: Record<string, unknown> }
    | { error: { responseCode: string; responseDescription: string } } {
    const reject = (responseCode: string, responseDescription: string) => {
      this.rejections.push({ path: request.path, responseCode });
      return { error: { responseCode, responseDescription } };
    };
    const form = this.formOf(request);
    if (!form.data) return reject('191', 'data missing');
    let data: unknown;
    try {
      data = JSON.parse(form.data);
    } catch {
      return reject('191', 'data is not JSON');
    }
    if (!data || typeof data !== 'object') return reject('191', 'data is not an object');
    const mid = (data as { merchantIdentifier?: unknown }).merchantIdentifier;
    if (!mid) return reject('110', 'merchantIdentifier missing');
    if (mid !== this.options.merchantIdentifier) return reject('111', 'merchantIdentifier invalid');
    if (!form.checksum) return reject('189', 'Checksum blank');
    if (!checksumsEqual(dataChecksum(this.options.secretKey, form.data), form.checksum)) {
      return reject('180', 'Checksum received does not match checksum calculated');
    }
    return { data: data as Record<string, unknown> };
  }

  private clear(): void {
    this.clearTimers();
    this.ordersById.clear();
    this.refundsByRefId.clear();
    this.rejections.length = 0;
  }

  private clearTimers(): void {
    for (const timer of this.lateTimers) clearTimeout(timer);
    this.lateTimers.clear();
  }
}

export function createZaakpaySimulator(options: ZaakpaySimulatorOptions): ZaakpaySimulator {
  return new ZaakpaySimulator(options);
}
