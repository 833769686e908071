import { RiskDimension } from './risk-rule-kinds';
import {
  attemptValues,
  blockListValueProblem,
  displayHint,
  keyedHash,
  normaliseValue,
} from './risk-values';

describe('risk value normalisation', () => {
  it('lower-cases and trims emails', () => {
    expect(normaliseValue(RiskDimension.EMAIL, '  Jane.Doe@Example.COM ')).toBe(
      'jane.doe@example.com',
    );
  });

  it('keeps only the digits of a phone number', () => {
    expect(normaliseValue(RiskDimension.PHONE, '+254 (712) 345-678')).toBe('254712345678');
  });

  it('keeps IPs as given, trimmed, lower-case, without the IPv4-mapped prefix', () => {
    expect(normaliseValue(RiskDimension.IP, ' 203.0.113.7 ')).toBe('203.0.113.7');
    expect(normaliseValue(RiskDimension.IP, '::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(normaliseValue(RiskDimension.IP, '2001:DB8::1')).toBe('2001:db8::1');
  });

  it('keeps card fingerprints case-sensitive', () => {
    expect(normaliseValue(RiskDimension.CARD_FINGERPRINT, ' AbC123 ')).toBe('AbC123');
  });

  it('treats values with nothing left to compare as absent', () => {
    expect(normaliseValue(RiskDimension.PHONE, '+()-')).toBeNull();
    expect(normaliseValue(RiskDimension.EMAIL, '   ')).toBeNull();
    expect(normaliseValue(RiskDimension.IP, undefined)).toBeNull();
  });

  it('collects an attempt’s values by dimension, leaving out the missing ones', () => {
    expect(
      attemptValues({
        paymentId: 'p',
        merchantId: 'm',
        amount: { amountMinor: 100, currency: 'KES' },
        paymentMethod: 'card',
        email: 'A@B.io',
        phone: '0712 345 678',
      }),
    ).toEqual({ EMAIL: 'a@b.io', PHONE: '0712345678' });
  });
});

describe('keyed hashing and hints', () => {
  it('hashes equal normalised values equally and depends on pepper and dimension', () => {
    const hash = keyedHash('pepper-one', RiskDimension.EMAIL, 'a@b.io');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedHash('pepper-one', RiskDimension.EMAIL, 'a@b.io')).toBe(hash);
    expect(keyedHash('pepper-two', RiskDimension.EMAIL, 'a@b.io')).not.toBe(hash);
    expect(keyedHash('pepper-one', RiskDimension.CUSTOMER, 'a@b.io')).not.toBe(hash);
  });

  it('shows at most four characters and never more than half the value', () => {
    expect(displayHint('254712345678')).toBe('…5678');
    expect(displayHint('abcdef')).toBe('…def');
    expect(displayHint('a')).toBe('…');
  });
});

describe('block-list values', () => {
  it('accepts well-formed values', () => {
    expect(blockListValueProblem(RiskDimension.EMAIL, 'a@b.io')).toBeNull();
    expect(blockListValueProblem(RiskDimension.PHONE, '254712345678')).toBeNull();
    expect(blockListValueProblem(RiskDimension.IP, '2001:db8::1')).toBeNull();
    expect(blockListValueProblem(RiskDimension.CARD_FINGERPRINT, 'fp_1')).toBeNull();
  });

  it('names what is wrong with a malformed value', () => {
    expect(blockListValueProblem(RiskDimension.EMAIL, 'not-an-email')).toMatch(/email/);
    expect(blockListValueProblem(RiskDimension.PHONE, '123')).toMatch(/digits/);
    expect(blockListValueProblem(RiskDimension.IP, '999.1.1.1')).toMatch(/IPv4/);
    expect(blockListValueProblem(RiskDimension.CUSTOMER, null)).toMatch(/empty/);
  });
});
