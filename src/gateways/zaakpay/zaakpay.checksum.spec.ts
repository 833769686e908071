import {
  CHECKOUT_REQUEST,
  CHECK_TXN_REQUEST,
  RETURN_RESPONSE,
  SETTLEMENT_REPORT,
  UPDATE_TXN_FULL_REFUND,
  UPDATE_TXN_PARTIAL_REFUND,
  WEBHOOK_NON_REALTIME,
  WEBHOOK_REALTIME,
  WEBHOOK_REALTIME_SECOND,
} from './__fixtures__/zaakpay-doc-vectors';
import { STAGING_SECRET_KEY } from './__fixtures__/zaakpay-test-credentials';
import {
  checkoutChecksum,
  checkoutChecksumString,
  checksumsEqual,
  dataChecksum,
  responseChecksum,
  responseChecksumString,
  settlementChecksum,
  webhookChecksum,
} from './zaakpay.checksum';
import { CHECKOUT_CHECKSUM_FIELDS } from './zaakpay.types';

describe('Zaakpay checksums (doc worked examples)', () => {
  it('signs the V8 checkout request over the sorted name=value& string without empty fields', () => {
    expect(checkoutChecksumString(CHECKOUT_REQUEST.fields)).toBe(CHECKOUT_REQUEST.signed);
    expect(checkoutChecksum(STAGING_SECRET_KEY, CHECKOUT_REQUEST.fields)).toBe(
      CHECKOUT_REQUEST.checksum,
    );
  });

  it('ignores a posted checksum field and keeps the trailing ampersand', () => {
    const withChecksum = { ...CHECKOUT_REQUEST.fields, checksum: 'abc' };
    expect(checkoutChecksumString(withChecksum)).toBe(CHECKOUT_REQUEST.signed);
    expect(CHECKOUT_REQUEST.signed.endsWith('&')).toBe(true);
  });

  it('sorts by code unit, not by locale', () => {
    expect(checkoutChecksumString({ b: '1', B: '2', a: '3' })).toBe('B=2&a=3&b=1&');
    expect([...CHECKOUT_CHECKSUM_FIELDS].sort()).toEqual([...CHECKOUT_CHECKSUM_FIELDS]);
    expect(CHECKOUT_CHECKSUM_FIELDS).toHaveLength(37);
  });

  it('signs the returnUrl response in its fixed order, trailing space of the description included', () => {
    expect(responseChecksumString(RETURN_RESPONSE.fields)).toBe(RETURN_RESPONSE.signed);
    expect(responseChecksum(STAGING_SECRET_KEY, RETURN_RESPONSE.fields)).toBe(
      RETURN_RESPONSE.checksum,
    );
    const trimmed = {
      ...RETURN_RESPONSE.fields,
      responseDescription: RETURN_RESPONSE.fields.responseDescription.trim(),
    };
    expect(responseChecksum(STAGING_SECRET_KEY, trimmed)).not.toBe(RETURN_RESPONSE.checksum);
  });

  it('signs the checkTxn official sample over the exact data string', () => {
    expect(dataChecksum(STAGING_SECRET_KEY, CHECK_TXN_REQUEST.data)).toBe(
      CHECK_TXN_REQUEST.checksum,
    );
  });

  it('signs the updateTxn full-refund sample and our partial-refund example', () => {
    expect(dataChecksum(STAGING_SECRET_KEY, UPDATE_TXN_FULL_REFUND.data)).toBe(
      UPDATE_TXN_FULL_REFUND.checksum,
    );
    expect(dataChecksum(STAGING_SECRET_KEY, UPDATE_TXN_PARTIAL_REFUND.data)).toBe(
      UPDATE_TXN_PARTIAL_REFUND.checksum,
    );
  });

  it('signs the webhook over the raw txnData; re-serialised JSON gives another hash', () => {
    expect(WEBHOOK_REALTIME.txnData).toContain('09\\/24\\/2021');
    expect(webhookChecksum(STAGING_SECRET_KEY, WEBHOOK_REALTIME.txnData)).toBe(
      WEBHOOK_REALTIME.checksum,
    );
    const reserialised = JSON.stringify(JSON.parse(WEBHOOK_REALTIME.txnData));
    const other = webhookChecksum(STAGING_SECRET_KEY, reserialised);
    expect(other).not.toBe(WEBHOOK_REALTIME.checksum);
    expect(other.startsWith(WEBHOOK_REALTIME.reserialisedChecksumPrefix)).toBe(true);
  });

  it('reproduces the other webhook samples of the doc (second real-time, non-real-time)', () => {
    expect(webhookChecksum(STAGING_SECRET_KEY, WEBHOOK_REALTIME_SECOND.txnData)).toBe(
      WEBHOOK_REALTIME_SECOND.checksum,
    );
    expect(webhookChecksum(STAGING_SECRET_KEY, WEBHOOK_NON_REALTIME.txnData)).toBe(
      WEBHOOK_NON_REALTIME.checksum,
    );
  });

  it('signs the settlement report request as merchantIdentifier,utr_date', () => {
    expect(
      settlementChecksum(
        STAGING_SECRET_KEY,
        SETTLEMENT_REPORT.merchantIdentifier,
        SETTLEMENT_REPORT.utrDate,
      ),
    ).toBe(SETTLEMENT_REPORT.checksum);
  });

  it('compares checksums in constant time and refuses missing or different ones', () => {
    expect(
      checksumsEqual(CHECK_TXN_REQUEST.checksum, CHECK_TXN_REQUEST.checksum.toUpperCase()),
    ).toBe(true);
    expect(checksumsEqual(CHECK_TXN_REQUEST.checksum, undefined)).toBe(false);
    expect(checksumsEqual(CHECK_TXN_REQUEST.checksum, CHECK_TXN_REQUEST.checksum.slice(1))).toBe(
      false,
    );
    const flipped = CHECK_TXN_REQUEST.checksum.endsWith('0') ? '1' : '0';
    expect(
      checksumsEqual(
        CHECK_TXN_REQUEST.checksum,
        `${CHECK_TXN_REQUEST.checksum.slice(0, -1)}${flipped}`,
      ),
    ).toBe(false);
  });
});
