import checkTxnCaptured from './__fixtures__/check-txn.captured.json';
import checkTxnDeclined from './__fixtures__/check-txn.declined.json';
import checkTxnRefundInitiated from './__fixtures__/check-txn.refund-initiated.json';
import updateTxnRefundInitiated from './__fixtures__/update-txn.refund-initiated.json';
import {
  RETURN_RESPONSE,
  WEBHOOK_NON_REALTIME,
  WEBHOOK_REALTIME,
} from './__fixtures__/zaakpay-doc-vectors';
import type { InitiateRequest } from '../payment-gateway';
import {
  CHECK_TXN_RESPONSE_CODES,
  TRANSACT_RESPONSE_CODES,
  TXN_STATUS,
  UPDATE_TXN_RESPONSE_CODES,
  fromOrderStatus,
  fromTransactResponse,
  orderStateOf,
  paisaToMinor,
  refundDetailFor,
  refundStatusFromUpdate,
  refundStatusOf,
  toCheckoutFields,
  toGatewayEvents,
  toMerchantRefId,
  toOrderId,
  toUpdateReason,
  transactCodeInfo,
  updateCodeInfo,
} from './zaakpay.mapper';
import type {
  ZaakpayCheckTxnResponse,
  ZaakpayOrderStatus,
  ZaakpayWebhookTxnData,
} from './zaakpay.types';
import { CHECKOUT_CHECKSUM_FIELDS } from './zaakpay.types';

const order = (fixture: ZaakpayCheckTxnResponse): ZaakpayOrderStatus => fixture.orders![0];
const withCode = (responseCode: string, txnStatus?: string): ZaakpayOrderStatus => ({
  orderDetail: { orderId: 'ZPTEST000123', txnId: 'ZP5b5ffe4b04f99', amount: '10000' },
  responseCode,
  txnStatus,
});

describe('Zaakpay mapper: domain to wire', () => {
  const request: InitiateRequest = {
    attemptId: 'att-0001',
    amount: { amountMinor: 77_750, currency: 'INR' },
    captureMode: 'automatic',
    paymentMethod: 'netbanking',
    description: 'Order #42\nwith a newline',
    customer: {
      email: 'buyer@example.com',
      name: 'Asha Rao-Iyer',
      phone: '+91 98765-43210',
      ip: '203.0.113.7',
    },
    returnUrl: 'https://merchant.example.com/zaakpay/return',
    callbackUrl: 'https://merchant.example.com/webhooks/zaakpay',
  };

  it('builds checkout fields in paisa strings, only from the checksum list, empties dropped', () => {
    const fields = toCheckoutFields(request, 'b19e8f103bce406cbd3476431b6b7973');
    expect(fields).toEqual({
      amount: '77750',
      buyerEmail: 'buyer@example.com',
      buyerFirstName: 'Asha',
      buyerLastName: 'RaoIyer',
      buyerPhoneNumber: '919876543210',
      currency: 'INR',
      debitorcredit: 'netbanking',
      merchantIdentifier: 'b19e8f103bce406cbd3476431b6b7973',
      merchantIpAddress: '203.0.113.7',
      mode: '0',
      orderId: 'att0001',
      productDescription: 'Order #42 with a newline',
      returnUrl: 'https://merchant.example.com/zaakpay/return',
    });
    for (const name of Object.keys(fields)) expect(CHECKOUT_CHECKSUM_FIELDS).toContain(name);
  });

  it('drops a last name equal to the first and pre-selects no tab for cards', () => {
    const fields = toCheckoutFields(
      { ...request, paymentMethod: 'card', customer: { email: 'a@b.in', name: 'Ravi Ravi' } },
      'm',
    );
    expect(fields.buyerLastName).toBeUndefined();
    expect(fields.debitorcredit).toBeUndefined();
  });

  it('derives a stable orderId of at most 20 alphanumerics from the attempt id', () => {
    const uuid = '5f0c6a52-3b8e-4c1d-9a57-2c9d1e7f4b10';
    expect(toOrderId(uuid)).toMatch(/^ZP[0-9a-f]{18}$/);
    expect(toOrderId(uuid)).toBe(toOrderId(uuid));
    expect(toOrderId('att-1')).toBe('att1');
  });

  it('cleans the refund id and update reason to what Zaakpay accepts', () => {
    expect(toMerchantRefId('rf_123-abc')).toBe('rf123abc');
    expect(toUpdateReason('Customer asked: damaged!', 'refund')).toBe('Customer asked damaged');
    expect(toUpdateReason('ok', 'partial refund')).toBe('partial refund');
    expect(toUpdateReason(undefined, 'full refund')).toBe('full refund');
  });

  it('reads paisa as integers only', () => {
    expect(paisaToMinor('10000')).toBe(10_000);
    expect(paisaToMinor(1000)).toBe(1000);
    expect(paisaToMinor('10.50')).toBeUndefined();
    expect(paisaToMinor(10.5)).toBeUndefined();
    expect(paisaToMinor('NA')).toBeUndefined();
  });
});

describe('Zaakpay mapper: transact response codes', () => {
  it('maps every listed code to a result with a retry decision', () => {
    for (const [code, info] of Object.entries(TRANSACT_RESPONSE_CODES)) {
      expect(['success', 'declined', 'credentials', 'invalid_request', 'pending']).toContain(
        info.result,
      );
      expect(typeof info.retryable).toBe('boolean');
      expect(transactCodeInfo(code)).toBe(info);
    }
    expect(transactCodeInfo('100').result).toBe('success');
    expect(transactCodeInfo('180').result).toBe('credentials');
    expect(transactCodeInfo('400')).toMatchObject({ result: 'declined', retryable: true });
    expect(transactCodeInfo('103')).toMatchObject({ result: 'declined', retryable: false });
    for (let code = 129; code <= 179; code++)
      expect(TRANSACT_RESPONSE_CODES[String(code)]).toBeDefined();
  });

  it('treats an unknown transact code as pending', () => {
    expect(transactCodeInfo('999').result).toBe('pending');
  });

  it('reads the verified returnUrl response as captured in paisa', () => {
    const outcome = fromTransactResponse(RETURN_RESPONSE.fields);
    expect(outcome).toEqual({
      status: 'captured',
      reference: { id: 'ZPTEST000123', extra: { pgTransId: 'ZP5b5ffe4b04f99' } },
      capturedAmount: { amountMinor: 10_000, currency: 'INR' },
    });
  });

  it('reads a failed returnUrl response as a decline', () => {
    const outcome = fromTransactResponse({
      ...RETURN_RESPONSE.fields,
      responseCode: '401',
      responseDescription: '',
    });
    expect(outcome.status).toBe('declined');
    if (outcome.status === 'declined') {
      expect(outcome.decline).toEqual({
        gatewayCode: '401',
        message: 'Rejected by acquiring bank',
        retryable: true,
      });
    }
  });
});

describe('Zaakpay mapper: checkTxn', () => {
  it('maps every check-status code to a state', () => {
    for (const [code, info] of Object.entries(CHECK_TXN_RESPONSE_CODES)) {
      expect(orderStateOf({ responseCode: code })).toBe(info.state);
      if (info.refundable) expect(info.paid).toBe(true);
    }
    expect(Object.keys(TXN_STATUS).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8']);
  });

  it('reads the doc sample (refund initiated) as a captured payment', () => {
    expect(fromOrderStatus(order(checkTxnRefundInitiated))).toEqual({
      status: 'captured',
      reference: { id: 'ZPLive1602500556069', extra: { pgTransId: 'ZP5b1773d1f776b' } },
      capturedAmount: { amountMinor: 200, currency: 'INR' },
    });
    expect(refundStatusOf(order(checkTxnRefundInitiated))).toBe('pending');
    expect(refundDetailFor(order(checkTxnRefundInitiated), 'any')?.amount).toBe('100');
  });

  it('reads captured, declined, authorized, cancelled and in-progress orders', () => {
    expect(fromOrderStatus(order(checkTxnCaptured)).status).toBe('captured');
    const declined = fromOrderStatus(order(checkTxnDeclined));
    expect(declined.status).toBe('declined');
    if (declined.status === 'declined')
      expect(declined.decline).toMatchObject({ gatewayCode: '183', retryable: true });
    expect(fromOrderStatus(withCode('209', '0'))).toMatchObject({
      status: 'authorized',
      authorizedAmount: { amountMinor: 10_000 },
    });
    expect(fromOrderStatus(withCode('213', '1')).status).toBe('cancelled');
    expect(fromOrderStatus(withCode('207', '2')).status).toBe('pending');
    expect(fromOrderStatus(withCode('205')).status).toBe('pending');
    expect(fromOrderStatus(withCode('400', '1')).status).toBe('declined');
  });

  it('falls back on txnStatus for codes outside the table, and to pending for anything unknown', () => {
    expect(fromOrderStatus(withCode('100', '0')).status).toBe('captured');
    expect(fromOrderStatus(withCode('102', '1')).status).toBe('declined');
    expect(fromOrderStatus(withCode('777', '2')).status).toBe('pending');
    expect(fromOrderStatus(withCode('777')).status).toBe('pending');
    expect(fromOrderStatus(withCode('777', '42')).status).toBe('pending');
  });

  it('reads a refund queried by merchantRefId', () => {
    expect(refundStatusOf(withCode('230', '3'))).toBe('pending');
    expect(refundStatusOf(withCode('245', '4'))).toBe('pending');
    expect(refundStatusOf(withCode('231', '3'))).toBe('succeeded');
    expect(refundStatusOf(withCode('252', '4'))).toBe('succeeded');
    expect(refundStatusOf(withCode('228', '0'))).toBe('failed');
    expect(refundStatusOf(withCode('777', '0'))).toBe('pending');
  });
});

describe('Zaakpay mapper: updateTxn', () => {
  it('maps every update code with its retry decision', () => {
    for (const [code, info] of Object.entries(UPDATE_TXN_RESPONSE_CODES)) {
      expect(updateCodeInfo(code)).toBe(info);
      expect([
        'success',
        'pending',
        'failed',
        'request_error',
        'credentials',
        'try_again',
      ]).toContain(info.result);
    }
    expect(updateCodeInfo('843')).toMatchObject({ result: 'failed', retryable: true });
    expect(updateCodeInfo('846')).toMatchObject({ result: 'failed', retryable: false });
  });

  it('keeps accepted and scheduled refunds pending, failures failed, unknown pending', () => {
    expect(refundStatusFromUpdate(updateTxnRefundInitiated.responseCode)).toBe('pending');
    for (const code of ['19', '20', '21', '245'])
      expect(refundStatusFromUpdate(code)).toBe('pending');
    for (const code of ['190', '201', '843', '844', '846'])
      expect(refundStatusFromUpdate(code)).toBe('failed');
    expect(refundStatusFromUpdate('180')).toBeUndefined();
    expect(refundStatusFromUpdate('999')).toBe('pending');
  });
});

describe('Zaakpay mapper: webhook events', () => {
  it('turns a real-time success into payment.captured keyed by orderId, pgTransId and code', () => {
    const [event] = toGatewayEvents(JSON.parse(WEBHOOK_REALTIME.txnData) as ZaakpayWebhookTxnData);
    expect(event).toEqual({
      gatewayCode: 'zaakpay',
      gatewayEventId: 'zaakpay:ZP43613736458877783333:ZP5ccbbe5d0b30b:100',
      type: 'payment.captured',
      reference: { id: 'ZP43613736458877783333', extra: { pgTransId: 'ZP5ccbbe5d0b30b' } },
      amount: { amountMinor: 850, currency: 'INR' },
      trust: 'signature',
    });
  });

  it('turns a failed transaction into payment.declined', () => {
    const data = JSON.parse(WEBHOOK_REALTIME.txnData) as { txns: Array<Record<string, string>> };
    data.txns[0].responseCode = '400';
    const [event] = toGatewayEvents(data as unknown as ZaakpayWebhookTxnData);
    expect(event.type).toBe('payment.declined');
    expect(event.decline).toMatchObject({ gatewayCode: '400', retryable: true });
  });

  it('turns a non-real-time item (lowercase orderid, numeric paisa) into a late capture', () => {
    const [event] = toGatewayEvents(
      JSON.parse(WEBHOOK_NON_REALTIME.txnData) as ZaakpayWebhookTxnData,
    );
    expect(event).toMatchObject({
      type: 'payment.captured',
      reference: { id: 'ZPLive1625124227854' },
      amount: { amountMinor: 1000, currency: 'INR' },
      gatewayEventId: 'zaakpay:ZPLive1625124227854:2021-07-01 12:53:55.0:late-success',
    });
  });

  it('skips items it cannot read', () => {
    expect(toGatewayEvents({ merchantIdentifier: 'm', txns: [{ amount: '1' } as never] })).toEqual(
      [],
    );
    expect(toGatewayEvents({ merchantIdentifier: 'm' })).toEqual([]);
  });
});
