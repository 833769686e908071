import { WalletError, WalletErrorCode } from '../wallets.errors';
import {
  assertFeeBps,
  computeConversion,
  type ConversionRequest,
  formatFxRate,
  normalizeFxRate,
  parseFxRate,
} from './fx-math';

const convert = (
  amountMinor: number,
  fromCurrency: string,
  toCurrency: string,
  rate: string,
  feeBps: number,
) => computeConversion({ amountMinor, fromCurrency, toCurrency, rate: parseFxRate(rate), feeBps });

const codeOf = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    if (error instanceof WalletError) return error.code;
    throw error;
  }
  return undefined;
};

describe('parseFxRate', () => {
  it('reads decimals into units of 10^-12', () => {
    expect(parseFxRate('1')).toBe(1_000_000_000_000n);
    expect(parseFxRate('129.45')).toBe(129_450_000_000_000n);
    expect(parseFxRate('0.0067')).toBe(6_700_000_000n);
    expect(parseFxRate('0.000000000001')).toBe(1n);
    expect(parseFxRate('149.123456789012')).toBe(149_123_456_789_012n);
    expect(parseFxRate('999999999999999999.999999999999')).toBe(10n ** 30n - 1n);
  });

  it.each([
    ['0'],
    ['0.000'],
    ['-1'],
    ['1e5'],
    ['1.1234567890123'],
    ['abc'],
    [''],
    [' 1'],
    ['1.'],
    ['.5'],
    ['+1'],
    ['1,5'],
    ['0x10'],
    ['1000000000000000000'],
  ])('refuses %j as invalid input on the rate field', (value) => {
    let caught: unknown;
    try {
      parseFxRate(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WalletError);
    expect((caught as WalletError).code).toBe(WalletErrorCode.WALLET_INVALID_INPUT);
    expect((caught as WalletError).kind).toBe('bad_input');
    expect((caught as WalletError).details.fields).toHaveProperty('rate');
  });

  it('names the field it was given', () => {
    let caught: unknown;
    try {
      parseFxRate('abc', 'expectedRate');
    } catch (error) {
      caught = error;
    }
    expect((caught as WalletError).details.fields).toHaveProperty('expectedRate');
  });
});

describe('formatFxRate', () => {
  it('prints the shortest decimal and round-trips', () => {
    expect(formatFxRate(129_450_000_000_000n)).toBe('129.45');
    expect(formatFxRate(1_000_000_000_000n)).toBe('1');
    expect(formatFxRate(1n)).toBe('0.000000000001');
    expect(normalizeFxRate('129.450000000000')).toBe('129.45');
    expect(normalizeFxRate('007.50')).toBe('7.5');
    for (const rate of ['0.0067', '149.123456789012', '12', '0.5']) {
      expect(formatFxRate(parseFxRate(rate))).toBe(rate);
    }
  });
});

describe('assertFeeBps', () => {
  it('accepts 0 to 2000 and refuses the rest', () => {
    expect(() => assertFeeBps(0)).not.toThrow();
    expect(() => assertFeeBps(2000)).not.toThrow();
    for (const bad of [-1, 2001, 1.5, Number.NaN]) {
      expect(codeOf(() => assertFeeBps(bad))).toBe(WalletErrorCode.WALLET_INVALID_INPUT);
    }
  });
});

describe('computeConversion', () => {
  it('USD -> KES, same exponent: 100.00 USD at 129.5 with 1.5% fee', () => {
    // 10000 × 129.5 = 1 295 000 exactly; fee 1 295 000 × 150 / 10000 = 19 425 exactly.
    expect(convert(10_000, 'USD', 'KES', '129.5', 150)).toEqual({
      grossToMinor: 1_295_000,
      feeMinor: 19_425,
      netToMinor: 1_275_575,
    });
  });

  it('rounds the gross down and the fee up: 3.33 USD at 129.4567 with 1% fee', () => {
    // 333 × 129.4567 = 43 109.0811 -> 43 109; fee 431.09 -> 432; net 42 677.
    expect(convert(333, 'USD', 'KES', '129.4567', 100)).toEqual({
      grossToMinor: 43_109,
      feeMinor: 432,
      netToMinor: 42_677,
    });
  });

  it('does not round when the fee is exact', () => {
    // 10000 × 1 = 10 000; fee 10 000 × 100 / 10000 = 100 exactly (no extra unit).
    expect(convert(10_000, 'USD', 'KES', '1', 100)).toEqual({
      grossToMinor: 10_000,
      feeMinor: 100,
      netToMinor: 9_900,
    });
  });

  it('JPY (exponent 0) -> USD (exponent 2) multiplies by 100', () => {
    // ¥1000 × 0.0067 = $6.70 = 670 cents; fee 670 × 50 / 10000 = 3.35 -> 4; net 666.
    expect(convert(1_000, 'JPY', 'USD', '0.0067', 50)).toEqual({
      grossToMinor: 670,
      feeMinor: 4,
      netToMinor: 666,
    });
    // ¥250000 × 0.006712 = $1678.00 = 167 800 cents; fee 1258.5 -> 1259; net 166 541.
    expect(convert(250_000, 'JPY', 'USD', '0.006712', 75)).toEqual({
      grossToMinor: 167_800,
      feeMinor: 1_259,
      netToMinor: 166_541,
    });
  });

  it('JPY -> KES (exponent 2)', () => {
    // ¥5000 × 0.55 = KSh 2750.00 = 275 000; fee 687.5 -> 688; net 274 312.
    expect(convert(5_000, 'JPY', 'KES', '0.55', 25)).toEqual({
      grossToMinor: 275_000,
      feeMinor: 688,
      netToMinor: 274_312,
    });
  });

  it('USD (exponent 2) -> JPY (exponent 0) divides by 100 and floors', () => {
    // 1234 cents × 149.123456789012 / 100 = 1840.1834... -> ¥1840; no fee.
    expect(convert(1_234, 'USD', 'JPY', '149.123456789012', 0)).toEqual({
      grossToMinor: 1_840,
      feeMinor: 0,
      netToMinor: 1_840,
    });
  });

  it('INR -> JPY: 25.00 INR at 1.74 with 1.99% fee', () => {
    // 2500 × 1.74 / 100 = 43.5 -> ¥43; fee 43 × 199 / 10000 = 0.8557 -> 1; net 42.
    expect(convert(2_500, 'INR', 'JPY', '1.74', 199)).toEqual({
      grossToMinor: 43,
      feeMinor: 1,
      netToMinor: 42,
    });
  });

  it('stays exact where floats would not', () => {
    // In floating point 100 × 0.29 is 28.999999999999996, which would floor to 28.
    expect(convert(100, 'USD', 'KES', '0.29', 0).grossToMinor).toBe(29);
    // 300 × 0.333333333333 = 99.9999999999 -> 99, never rounded up to 100.
    expect(convert(300, 'USD', 'KES', '0.333333333333', 0).grossToMinor).toBe(99);
  });

  it('refuses an amount that converts to nothing', () => {
    // 0.01 INR at 1.8 JPY = ¥0.018 -> 0.
    expect(codeOf(() => convert(1, 'INR', 'JPY', '1.8', 0))).toBe(
      WalletErrorCode.WALLET_FX_AMOUNT_TOO_SMALL,
    );
    // 3 × 0.333333333333 = 0.999999999999 -> 0.
    expect(codeOf(() => convert(3, 'USD', 'KES', '0.333333333333', 0))).toBe(
      WalletErrorCode.WALLET_FX_AMOUNT_TOO_SMALL,
    );
  });

  it('refuses an amount the fee would eat entirely', () => {
    // gross 1, fee ceil(1 × 1 / 10000) = 1, net 0.
    expect(codeOf(() => convert(1, 'USD', 'KES', '1', 1))).toBe(
      WalletErrorCode.WALLET_FX_AMOUNT_TOO_SMALL,
    );
    // gross 2, fee ceil(0.0002) = 1, net 1: allowed.
    expect(convert(2, 'USD', 'KES', '1', 1)).toEqual({
      grossToMinor: 2,
      feeMinor: 1,
      netToMinor: 1,
    });
  });

  it('refuses a result beyond the safe integer range', () => {
    expect(codeOf(() => convert(Number.MAX_SAFE_INTEGER, 'USD', 'KES', '1000', 0))).toBe(
      WalletErrorCode.WALLET_INVALID_INPUT,
    );
  });

  it('refuses bad amounts and fees', () => {
    const base: ConversionRequest = {
      amountMinor: 100,
      fromCurrency: 'USD',
      toCurrency: 'KES',
      rate: parseFxRate('2'),
      feeBps: 0,
    };
    for (const amountMinor of [0, -5, 1.5]) {
      expect(codeOf(() => computeConversion({ ...base, amountMinor }))).toBe(
        WalletErrorCode.WALLET_INVALID_INPUT,
      );
    }
    expect(codeOf(() => computeConversion({ ...base, feeBps: 2001 }))).toBe(
      WalletErrorCode.WALLET_INVALID_INPUT,
    );
    expect(codeOf(() => computeConversion({ ...base, rate: 0n }))).toBe(
      WalletErrorCode.WALLET_INVALID_INPUT,
    );
  });

  it('never pays out more than the exact value, and less by under two minor units', () => {
    const rates = ['129.4567', '0.0067', '1.74', '0.333333333333', '149.123456789012'];
    const pairs: [string, string][] = [
      ['USD', 'KES'],
      ['JPY', 'USD'],
      ['USD', 'JPY'],
      ['KES', 'INR'],
    ];
    for (const rate of rates) {
      for (const [from, to] of pairs) {
        for (const feeBps of [0, 1, 75, 2000]) {
          for (const amount of [997, 12_345, 1_000_003]) {
            let result;
            try {
              result = convert(amount, from, to, rate, feeBps);
            } catch {
              continue; // too small: nothing to check
            }
            // Exact net, as a fraction, in units of 10^-12 × 10^-4 of a target minor unit.
            const shift = (to === 'JPY' ? 0 : 2) - (from === 'JPY' ? 0 : 2);
            let exact = BigInt(amount) * parseFxRate(rate) * BigInt(10_000 - feeBps);
            let unit = 10n ** 12n * 10_000n;
            if (shift >= 0) exact *= 10n ** BigInt(shift);
            else unit *= 10n ** BigInt(-shift);
            const net = BigInt(result.netToMinor) * unit;
            expect(net <= exact).toBe(true);
            expect(exact - net < 2n * unit).toBe(true);
            expect(result.grossToMinor - result.feeMinor).toBe(result.netToMinor);
          }
        }
      }
    }
  });
});
