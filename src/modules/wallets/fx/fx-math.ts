import { currencyExponent } from '../../../common/money/money';
import { invalidWalletInput, WalletError, WalletErrorCode } from '../wallets.errors';

/**
 * Conversion arithmetic, in integers only. A rate is a decimal string with at most 12 decimals
 * (the DECIMAL(30,12) column); it is read into a BigInt count of 10^-12 units, so no float ever
 * touches a rate or an amount.
 *
 * Rounding goes the platform's way, one step at a time:
 * - gross = floor(amount × rate × 10^(expTo − expFrom)): the customer loses less than one minor
 *   unit of the target currency to the floor;
 * - fee = ceil(gross × feeBps / 10000): the fee is at most one minor unit above the exact fee;
 * - net = gross − fee, which the customer receives.
 * Each step moves less than one minor unit, so net is below the exact value by less than two.
 */

/** Decimal places a rate may have (the column's scale). */
export const FX_RATE_SCALE = 12;
/** Integer digits a rate may have (DECIMAL(30,12) leaves 18). */
export const FX_RATE_MAX_INTEGER_DIGITS = 18;
/** The highest fee an admin may set: 20%. */
export const FX_MAX_FEE_BPS = 2000;

const RATE_UNIT = 10n ** BigInt(FX_RATE_SCALE);
const BPS_UNIT = 10_000n;
const RATE_PATTERN = new RegExp(
  `^(\\d{1,${FX_RATE_MAX_INTEGER_DIGITS}})(?:\\.(\\d{1,${FX_RATE_SCALE}}))?$`,
);

/**
 * "129.45" -> 129450000000000n (units of 10^-12). Only plain decimals: no sign, no exponent, no
 * spaces, at most 12 decimals and 18 integer digits, and above zero.
 */
export function parseFxRate(value: string, field = 'rate'): bigint {
  const match = RATE_PATTERN.exec(value);
  if (!match) {
    throw invalidWalletInput(
      field,
      `must be a plain decimal number with at most ${FX_RATE_MAX_INTEGER_DIGITS} digits before the point and ${FX_RATE_SCALE} after it`,
    );
  }
  const [, whole, fraction = ''] = match;
  const scaled = BigInt(whole) * RATE_UNIT + BigInt(fraction.padEnd(FX_RATE_SCALE, '0'));
  if (scaled <= 0n) throw invalidWalletInput(field, 'must be greater than zero');
  return scaled;
}

/** 129450000000000n -> "129.45": the shortest decimal string for a scaled rate. */
export function formatFxRate(scaled: bigint): string {
  const whole = scaled / RATE_UNIT;
  const fraction = (scaled % RATE_UNIT).toString().padStart(FX_RATE_SCALE, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole.toString();
}

/** The same rate in its shortest form ("129.450000000000" from the database -> "129.45"). */
export const normalizeFxRate = (value: string): string => formatFxRate(parseFxRate(value));

export function assertFeeBps(feeBps: number, field = 'feeBps'): void {
  if (!Number.isSafeInteger(feeBps) || feeBps < 0 || feeBps > FX_MAX_FEE_BPS) {
    throw invalidWalletInput(field, `must be an integer from 0 to ${FX_MAX_FEE_BPS}`);
  }
}

export interface ConversionRequest {
  /** What leaves the source wallet, in its minor units. */
  readonly amountMinor: number;
  readonly fromCurrency: string;
  readonly toCurrency: string;
  /** Units of the target currency per unit of the source currency, scaled by 10^12. */
  readonly rate: bigint;
  readonly feeBps: number;
}

export interface ConversionAmounts {
  /** The amount converted at the rate, before the fee (target minor units, rounded down). */
  readonly grossToMinor: number;
  /** The platform's fee (target minor units, rounded up). */
  readonly feeMinor: number;
  /** What reaches the target wallet: gross − fee. */
  readonly netToMinor: number;
}

/** The amounts of one conversion. Refuses a result that leaves nothing for the customer. */
export function computeConversion(request: ConversionRequest): ConversionAmounts {
  const { amountMinor, fromCurrency, toCurrency, rate, feeBps } = request;
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    throw invalidWalletInput('amountMinor', 'must be a positive integer');
  }
  if (rate <= 0n) throw invalidWalletInput('rate', 'must be greater than zero');
  assertFeeBps(feeBps);

  // Minor units of the source -> minor units of the target: scale by 10^(expTo − expFrom).
  const shift = currencyExponent(toCurrency) - currencyExponent(fromCurrency);
  let numerator = BigInt(amountMinor) * rate;
  let denominator = RATE_UNIT;
  if (shift >= 0) numerator *= 10n ** BigInt(shift);
  else denominator *= 10n ** BigInt(-shift);

  const gross = numerator / denominator; // BigInt division of positives is a floor
  const fee = (gross * BigInt(feeBps) + BPS_UNIT - 1n) / BPS_UNIT; // ceil
  const net = gross - fee;
  if (net <= 0n) {
    throw new WalletError(
      WalletErrorCode.WALLET_FX_AMOUNT_TOO_SMALL,
      `${amountMinor} ${fromCurrency} minor units leave nothing in ${toCurrency} after rounding and the fee`,
      { grossToMinor: Number(gross), feeMinor: Number(fee) },
    );
  }
  if (gross > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw invalidWalletInput('amountMinor', 'is too large to convert at this rate');
  }
  return { grossToMinor: Number(gross), feeMinor: Number(fee), netToMinor: Number(net) };
}
