import { createHmac, randomInt } from 'node:crypto';

/** Length of every PAN we issue. */
export const PAN_LENGTH = 16;

const DIGITS = /^\d+$/;

/**
 * The Luhn (mod 10) check digit that, appended to `partial`, makes a valid number: from the right,
 * every second digit of the full number (the first one left of the check digit) is doubled.
 */
export function luhnCheckDigit(partial: string): number {
  if (!DIGITS.test(partial)) throw new Error('A card number has digits only');
  let sum = 0;
  for (let index = 0; index < partial.length; index++) {
    let digit = Number(partial[partial.length - 1 - index]);
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for a string of 12 to 19 digits whose last digit is its Luhn check digit. */
export function isLuhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  return luhnCheckDigit(number.slice(0, -1)) === Number(number[number.length - 1]);
}

/** A BIN (issuer prefix) we can issue under: 6 to 8 digits. */
export const isValidBin = (bin: string): boolean => /^\d{6,8}$/.test(bin);

/**
 * A new 16-digit PAN: the BIN, random digits, then the Luhn check digit. `randomDigit` is injectable
 * for tests; by default it is a CSPRNG.
 */
export function generatePan(
  bin: string,
  randomDigit: () => number = () => randomInt(0, 10),
): string {
  if (!isValidBin(bin)) throw new Error('The BIN must be 6 to 8 digits');
  let body = bin;
  while (body.length < PAN_LENGTH - 1) body += String(randomDigit());
  return `${body}${luhnCheckDigit(body)}`;
}

/** The network brand a BIN belongs to (by its leading digits), for display. */
export function brandForBin(bin: string): string {
  const two = Number(bin.slice(0, 2));
  const four = Number(bin.slice(0, 4));
  if (bin.startsWith('4')) return 'VISA';
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'MASTERCARD';
  if (two === 34 || two === 37) return 'AMEX';
  return 'CARD';
}

/** `yyyy-mm`, the expiry as it enters the CVV. */
const expiryKey = (expYear: number, expMonth: number): string =>
  `${String(expYear).padStart(4, '0')}-${String(expMonth).padStart(2, '0')}`;

/**
 * The card's CVV, as issuers compute it rather than store it: a keyed function of the PAN and the
 * expiry. Three decimal digits from the first four bytes of HMAC-SHA256(key, "<pan>|<yyyy-mm>")
 * (the modulo bias of 2^32 mod 1000 is negligible).
 */
export function deriveCvv(key: string, pan: string, expYear: number, expMonth: number): string {
  const digest = createHmac('sha256', key)
    .update(`${pan}|${expiryKey(expYear, expMonth)}`)
    .digest();
  return String(digest.readUInt32BE(0) % 1000).padStart(3, '0');
}

/** The PAN's lookup fingerprint: hex HMAC-SHA256 under the lookup key; unique per card. */
export const panFingerprint = (lookupKey: string, pan: string): string =>
  createHmac('sha256', lookupKey).update(pan).digest('hex');

/** A card is good through the last millisecond of its expiry month (UTC). */
export function isCardExpired(expYear: number, expMonth: number, now = new Date()): boolean {
  // Date.UTC(year, month) with a 1-based month is the first instant of the following month.
  return now.getTime() >= Date.UTC(expYear, expMonth, 1);
}

/** The expiry month and year `months` after `from` (UTC). */
export function expiryFrom(from: Date, months: number): { expMonth: number; expYear: number } {
  const total = from.getUTCFullYear() * 12 + from.getUTCMonth() + months;
  return { expYear: Math.floor(total / 12), expMonth: (total % 12) + 1 };
}

/** The last four digits, the only part of a PAN ever shown or logged. */
export const last4Of = (pan: string): string => pan.slice(-4);
