/**
 * Money is an integer count of the currency's minor units plus an ISO 4217 code.
 * Never a float: 1050 with 'USD' is $10.50, 1050 with 'KES' is KSh 10.50, 1050 with 'JPY' is ¥1050.
 */
export interface Money {
  /** Integer minor units (cents, paisa, ...). A safe integer, never fractional. */
  readonly amountMinor: number;
  /** ISO 4217 alphabetic code, upper case. */
  readonly currency: string;
}

// ISO 4217 minor-unit exponents that differ from 2. Everything not listed uses 2.
const EXPONENT_OVERRIDES: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  HUF: 2,
  TWD: 2,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

const CURRENCY_PATTERN = /^[A-Z]{3}$/;

export class MoneyFormatError extends Error {}

export function isCurrencyCode(value: string): boolean {
  return CURRENCY_PATTERN.test(value);
}

/** Number of decimal places of the currency's minor unit (USD 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  return EXPONENT_OVERRIDES[currency.toUpperCase()] ?? 2;
}

export function assertMinorUnits(amountMinor: number, what = 'amount'): void {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new MoneyFormatError(
      `${what} must be an integer number of minor units, got ${amountMinor}`,
    );
  }
}

export function money(amountMinor: number, currency: string): Money {
  assertMinorUnits(amountMinor);
  const code = currency.toUpperCase();
  if (!isCurrencyCode(code))
    throw new MoneyFormatError(`"${currency}" is not an ISO 4217 currency code`);
  return { amountMinor, currency: code };
}

/**
 * Minor units -> decimal string with the currency's exponent ("10.00", "1050", "1.005").
 * Pure string arithmetic: no float ever touches the value.
 */
export function toDecimalString(amountMinor: number, currency: string): string {
  assertMinorUnits(amountMinor);
  const exponent = currencyExponent(currency);
  const negative = amountMinor < 0;
  const digits = Math.abs(amountMinor)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/**
 * Decimal string -> minor units. Rejects more fraction digits than the currency has
 * ("10.001" USD) and anything that is not a plain decimal number.
 */
export function fromDecimalString(value: string, currency: string): number {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new MoneyFormatError(`"${value}" is not a decimal amount`);
  const [, sign, whole, fraction = ''] = match;
  const exponent = currencyExponent(currency);
  if (fraction.length > exponent) {
    const extra = fraction.slice(exponent);
    if (/[1-9]/.test(extra)) {
      throw new MoneyFormatError(
        `"${value}" has more decimals than ${currency} allows (${exponent})`,
      );
    }
  }
  const minor = Number(`${whole}${fraction.slice(0, exponent).padEnd(exponent, '0')}`);
  assertMinorUnits(minor);
  return sign ? -minor : minor;
}
