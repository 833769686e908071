import { GatewayError } from '../gateway.error';
import b2cSuccess from './__fixtures__/b2c-result-success.json';
import b2cUnregistered from './__fixtures__/b2c-result-unregistered.json';
import invalidShortcode from './__fixtures__/error-invalid-shortcode.json';
import reversalInvalid from './__fixtures__/reversal-result-invalid.json';
import reversalSuccess from './__fixtures__/reversal-result-success.json';
import stkCancelled from './__fixtures__/stk-callback-cancelled.json';
import stkSuccess from './__fixtures__/stk-callback-success.json';
import queryCancelled from './__fixtures__/stk-query-cancelled.json';
import queryProcessing from './__fixtures__/stk-query-processing.json';
import querySuccess from './__fixtures__/stk-query-success.json';
import statusResult from './__fixtures__/transaction-status-result.json';
import {
  darajaTimestamp,
  ERROR_CODE_KINDS,
  errorFromEnvelope,
  fromDarajaTimestamp,
  fromResult,
  fromStkCallback,
  fromStkQuery,
  isStillProcessing,
  RESULT_CODES,
  STK_RESULT_CODES,
  stkDecline,
  stkPassword,
  toMsisdn,
  toWholeShillings,
} from './mpesa.mapper';
import type { MpesaResult, MpesaStkCallback, MpesaStkQueryResponse } from './mpesa.types';

const kes = (amountMinor: number) => ({ amountMinor, currency: 'KES' });
const reference = { id: 'ws_CO_13012021093521236557', extra: { amountMinor: '100' } };

describe('mpesa mapper', () => {
  describe('STK password (mpesa.md worked examples)', () => {
    it('reproduces the documented Password for 174379 + sandbox passkey + 20210628092408', () => {
      expect(
        stkPassword(
          '174379',
          'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
          '20210628092408',
        ),
      ).toBe(
        'MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3Y2QyZTBjODkzMDU5YjEwZjc4ZTZiNzJhZGExZWQyYzkxOTIwMjEwNjI4MDkyNDA4',
      );
    });

    it('reproduces the second vector with Timestamp 20240115101530', () => {
      expect(
        stkPassword(
          '174379',
          'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
          '20240115101530',
        ),
      ).toBe(
        'MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3Y2QyZTBjODkzMDU5YjEwZjc4ZTZiNzJhZGExZWQyYzkxOTIwMjQwMTE1MTAxNTMw',
      );
    });

    it('reproduces the documented Basic header for myConsumerKey:myConsumerSecret', () => {
      expect(Buffer.from('myConsumerKey:myConsumerSecret').toString('base64')).toBe(
        'bXlDb25zdW1lcktleTpteUNvbnN1bWVyU2VjcmV0',
      );
    });

    it('formats the Timestamp in Kenya time (UTC+3) and reads it back', () => {
      const instant = new Date('2021-06-28T06:24:08Z');
      expect(darajaTimestamp(instant)).toBe('20210628092408');
      expect(fromDarajaTimestamp('20210628092408')).toEqual(instant);
      expect(fromDarajaTimestamp('garbage')).toBeUndefined();
    });
  });

  describe('amounts and phones', () => {
    it('converts minor units to whole shillings', () => {
      expect(toWholeShillings(kes(100))).toBe(1);
      expect(toWholeShillings(kes(25_000_000))).toBe(250_000);
    });

    it.each([
      ['a fraction of a shilling', kes(1050)],
      ['zero', kes(0)],
      ['above KES 250,000', kes(25_000_100)],
      ['another currency', { amountMinor: 1000, currency: 'USD' }],
      ['a non-integer', kes(100.5)],
    ])('refuses %s as invalid_request', (_label, amount) => {
      expect(() => toWholeShillings(amount)).toThrow(GatewayError);
      try {
        toWholeShillings(amount);
      } catch (error) {
        expect((error as GatewayError).kind).toBe('invalid_request');
      }
    });

    it('normalises Kenyan phone numbers and refuses others', () => {
      expect(toMsisdn('254708374149')).toBe('254708374149');
      expect(toMsisdn('+254 708 374 149')).toBe('254708374149');
      expect(toMsisdn('0708374149')).toBe('254708374149');
      expect(toMsisdn('0110374149')).toBe('254110374149');
      expect(() => toMsisdn('14155550100')).toThrow(GatewayError);
      expect(() => toMsisdn(undefined)).toThrow(GatewayError);
    });
  });

  describe('STK callback', () => {
    it('maps a success callback to payment.captured with the receipt', () => {
      const event = fromStkCallback(stkSuccess.Body.stkCallback as MpesaStkCallback, 'att_1');
      expect(event).toEqual({
        gatewayCode: 'mpesa',
        gatewayEventId: 'stk:ws_CO_191220191020363925:0',
        type: 'payment.captured',
        reference: {
          id: 'ws_CO_191220191020363925',
          extra: {
            merchantRequestId: '29115-34620561-1',
            receipt: 'NLJ7RT61SV',
            phone: '254708374149',
          },
        },
        attemptId: 'att_1',
        amount: kes(100),
        occurredAt: new Date('2019-12-19T07:21:15Z'),
        trust: 'unverified',
      });
    });

    it('maps a cancelled callback to payment.declined 1032', () => {
      const event = fromStkCallback(stkCancelled.Body.stkCallback as MpesaStkCallback);
      expect(event.type).toBe('payment.declined');
      expect(event.gatewayEventId).toBe('stk:ws_CO_21072024125243250722943992:1032');
      expect(event.decline).toEqual({
        gatewayCode: '1032',
        message: 'Request cancelled by user',
        retryable: true,
      });
      expect(event.trust).toBe('unverified');
    });

    it('gives a repeated callback the same event id', () => {
      const callback = stkSuccess.Body.stkCallback as MpesaStkCallback;
      expect(fromStkCallback(JSON.parse(JSON.stringify(callback))).gatewayEventId).toBe(
        fromStkCallback(callback).gatewayEventId,
      );
    });
  });

  describe('STK query', () => {
    it('maps ResultCode "0" to captured with the stored amount', () => {
      expect(fromStkQuery(querySuccess as MpesaStkQueryResponse, reference, kes(100))).toEqual({
        status: 'captured',
        reference,
        capturedAmount: kes(100),
      });
    });

    it('maps ResultCode "1032" (a string) to a decline', () => {
      const outcome = fromStkQuery(queryCancelled as MpesaStkQueryResponse, reference, kes(100));
      expect(outcome).toEqual({
        status: 'declined',
        reference,
        decline: { gatewayCode: '1032', message: 'Request cancelled by user', retryable: true },
      });
    });

    it('recognises the "being processed" envelope as pending', () => {
      expect(isStillProcessing(queryProcessing)).toBe(true);
      expect(
        isStillProcessing({
          errorCode: '500.001.1001',
          errorMessage: '[MerchantValidate] - Wrong credentials',
        }),
      ).toBe(false);
    });
  });

  describe('ResultCodes', () => {
    it.each(Object.entries(STK_RESULT_CODES))(
      'maps STK ResultCode %s with a retry flag',
      (code, info) => {
        const decline = stkDecline(code);
        expect(decline).toEqual({
          gatewayCode: code,
          message: info.message,
          retryable: info.retryable,
        });
      },
    );

    it('retries cancellations, timeouts, wrong PINs and insufficient funds; not product errors', () => {
      for (const code of ['1', '1032', '1037', '2001', '1019', '1025', '1001'])
        expect(stkDecline(code).retryable).toBe(true);
      for (const code of ['2', '3', '4', '8', '2028', '8006', 'SFC_IC0003'])
        expect(stkDecline(code).retryable).toBe(false);
    });

    it('treats an unknown STK ResultCode as a non-retryable decline', () => {
      expect(stkDecline('4242', 'mystery')).toEqual({
        gatewayCode: '4242',
        message: 'mystery',
        retryable: false,
      });
    });

    it.each(Object.keys(RESULT_CODES))('maps Reversal/B2C ResultCode %s to a failure', (code) => {
      const result = { ...reversalInvalid.Result, ResultCode: code, ResultDesc: '' } as MpesaResult;
      const [event] = fromResult(result, { kind: 'refund', id: 'rf_1', paymentId: 'ws_CO_1' });
      expect(event.type).toBe('refund.failed');
      expect(event.decline?.gatewayCode).toBe(code);
      expect(event.decline?.message).toBe(RESULT_CODES[code].message);
    });
  });

  describe('Result callbacks', () => {
    it('maps a reversal success to refund.succeeded about the payment', () => {
      const [event] = fromResult(reversalSuccess.Result as MpesaResult, {
        kind: 'refund',
        id: 'rf_1',
        paymentId: 'ws_CO_1',
      });
      expect(event).toEqual({
        gatewayCode: 'mpesa',
        gatewayEventId: 'result:AG_20181005_00004d7ee675c0c7ee0b:0',
        type: 'refund.succeeded',
        reference: { id: 'ws_CO_1' },
        amount: kes(100),
        refundReference: {
          id: 'rf_1',
          extra: {
            conversationId: 'AG_20181005_00004d7ee675c0c7ee0b',
            originatorConversationId: '8521-4298025-1',
            transactionId: 'SKE52PAWR9',
          },
        },
        payoutReference: undefined,
        decline: undefined,
        trust: 'unverified',
      });
    });

    it('maps a reversal R000002 to refund.failed', () => {
      const [event] = fromResult(reversalInvalid.Result as MpesaResult, {
        kind: 'refund',
        id: 'rf_1',
        paymentId: 'ws_CO_1',
      });
      expect(event.type).toBe('refund.failed');
      expect(event.decline).toEqual({
        gatewayCode: 'R000002',
        message: 'The OriginalTransactionID is invalid.',
        retryable: false,
      });
    });

    it('maps a B2C success to payout.succeeded with the amount', () => {
      const [event] = fromResult(b2cSuccess.Result as MpesaResult, {
        kind: 'payout',
        id: 'po_12345',
      });
      expect(event.type).toBe('payout.succeeded');
      expect(event.reference).toEqual({ id: 'po_12345' });
      expect(event.payoutReference?.id).toBe('po_12345');
      expect(event.payoutReference?.extra?.transactionId).toBe('NLJ41HAY6Q');
      expect(event.amount).toEqual(kes(1000));
    });

    it('maps a B2C 2040 to payout.failed', () => {
      const [event] = fromResult(b2cUnregistered.Result as MpesaResult, {
        kind: 'payout',
        id: 'po_12346',
      });
      expect(event.type).toBe('payout.failed');
      expect(event.decline?.gatewayCode).toBe('2040');
    });

    it('maps a Transaction Status "Completed" to a success keyed on its own conversation', () => {
      const [event] = fromResult(statusResult.Result as MpesaResult, {
        kind: 'payout',
        id: 'po_12345',
        statusQuery: true,
      });
      expect(event.answersStatusQuery).toBe(true);
      expect(event.type).toBe('payout.succeeded');
      expect(event.gatewayEventId).toBe('status:AG_20210709_1234409f86436c583e3f:0');
      expect(event.payoutReference?.extra?.conversationId).toBe('AG_20191219_00005797af5d7d75f652');
      expect(event.amount).toEqual(kes(1000));
    });

    it('does not take a status-shaped result on a plain result URL as the answer to our query', () => {
      const [event] = fromResult(statusResult.Result as MpesaResult, {
        kind: 'payout',
        id: 'po_12345',
      });
      expect(event.type).toBe('payout.succeeded');
      expect(event.trust).toBe('unverified');
      expect(event.answersStatusQuery).toBeUndefined();
    });

    it('yields no event for a status query that cannot say', () => {
      const unknown = { ...statusResult.Result, ResultCode: 'R000002' } as MpesaResult;
      expect(fromResult(unknown, { kind: 'payout', id: 'po_1' })).toEqual([]);
      const parameters = statusResult.Result.ResultParameters.ResultParameter.map((p) =>
        p.Key === 'TransactionStatus' ? { ...p, Value: 'Pending' } : p,
      );
      const pending = {
        ...statusResult.Result,
        ResultParameters: { ResultParameter: parameters },
      } as MpesaResult;
      expect(fromResult(pending, { kind: 'payout', id: 'po_1' })).toEqual([]);
    });
  });

  describe('error envelope', () => {
    it('maps 400.002.02 to rejected with the gateway code', () => {
      const error = errorFromEnvelope(400, invalidShortcode);
      expect(error.kind).toBe('rejected');
      expect(error.gatewayErrorCode).toBe('400.002.02');
      expect(error.message).toContain('Invalid BusinessShortCode');
    });

    it.each(Object.entries(ERROR_CODE_KINDS))('maps %s to its kind', (code, rule) => {
      const status = Number(code.slice(0, 3));
      expect(errorFromEnvelope(status, { errorCode: code, errorMessage: 'x' }).kind).toBe(
        rule.kind,
      );
    });

    it('splits 500.001.1001 by its message', () => {
      const of = (errorMessage: string) =>
        errorFromEnvelope(500, { errorCode: '500.001.1001', errorMessage });
      expect(of('[MerchantValidate] - Wrong credentials').kind).toBe('misconfigured');
      expect(of('Merchant does not exist').kind).toBe('misconfigured');
      expect(
        of(
          'Unable to lock subscriber, a transaction is already in process for the current subscriber',
        ),
      ).toMatchObject({
        kind: 'rejected',
        retryable: true,
      });
      expect(of('Something else').kind).toBe('unavailable');
    });

    it('maps the product-not-enabled answer and bare statuses', () => {
      expect(
        errorFromEnvelope(400, undefined, 'Invalid API call as no apiproduct match found').kind,
      ).toBe('misconfigured');
      expect(errorFromEnvelope(503, undefined, '').kind).toBe('unavailable');
      expect(errorFromEnvelope(401, undefined, '').kind).toBe('misconfigured');
      expect(errorFromEnvelope(422, undefined, '').kind).toBe('rejected');
    });
  });
});
