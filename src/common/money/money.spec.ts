import { currencyExponent, fromDecimalString, money, toDecimalString } from './money';

describe('money', () => {
  it('formats minor units with the currency exponent', () => {
    expect(toDecimalString(1050, 'USD')).toBe('10.50');
    expect(toDecimalString(5, 'USD')).toBe('0.05');
    expect(toDecimalString(1050, 'JPY')).toBe('1050');
    expect(toDecimalString(1005, 'KWD')).toBe('1.005');
    expect(toDecimalString(-250, 'EUR')).toBe('-2.50');
  });

  it('parses decimal strings without floats', () => {
    expect(fromDecimalString('10.50', 'USD')).toBe(1050);
    expect(fromDecimalString('10.5', 'USD')).toBe(1050);
    expect(fromDecimalString('10', 'USD')).toBe(1000);
    expect(fromDecimalString('0.29', 'USD')).toBe(29);
    expect(fromDecimalString('1050', 'JPY')).toBe(1050);
    expect(fromDecimalString('10.500', 'USD')).toBe(1050);
  });

  it('refuses more precision than the currency has', () => {
    expect(() => fromDecimalString('10.001', 'USD')).toThrow(/more decimals/);
    expect(() => fromDecimalString('1.5', 'JPY')).toThrow(/more decimals/);
    expect(() => fromDecimalString('1e3', 'USD')).toThrow(/not a decimal/);
  });

  it('refuses fractional minor units and bad currency codes', () => {
    expect(() => money(10.5, 'USD')).toThrow(/integer/);
    expect(() => money(100, 'US')).toThrow(/ISO 4217/);
    expect(money(100, 'usd')).toEqual({ amountMinor: 100, currency: 'USD' });
    expect(currencyExponent('kes')).toBe(2);
  });
});
