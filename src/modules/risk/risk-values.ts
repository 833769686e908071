import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { RiskDimension } from './risk-rule-kinds';
import type { RiskAssessmentInput } from './risk.types';

// IPv4 addresses reach us as IPv4-mapped IPv6 on dual-stack sockets ("::ffff:1.2.3.4").
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/;

/**
 * The canonical form of a value, so that equal values compare equal: emails lower-cased, phones
 * reduced to their digits, IPs as given (trimmed, lower-case hex, IPv4-mapped prefix dropped),
 * customer ids and card fingerprints trimmed (fingerprints are case-sensitive). Null when nothing
 * is left to compare.
 */
export function normaliseValue(
  dimension: RiskDimension,
  raw: string | null | undefined,
): string | null {
  if (raw === null || raw === undefined) return null;
  const trimmed = raw.trim();
  let value: string;
  switch (dimension) {
    case RiskDimension.EMAIL:
      value = trimmed.toLowerCase();
      break;
    case RiskDimension.PHONE:
      value = trimmed.replace(/\D/g, '');
      break;
    case RiskDimension.IP:
      value = trimmed.toLowerCase().replace(IPV4_MAPPED, '$1');
      break;
    case RiskDimension.CUSTOMER:
    case RiskDimension.CARD_FINGERPRINT:
      value = trimmed;
      break;
  }
  return value === '' ? null : value;
}

/** The attempt's values by dimension, normalised; dimensions without a value are left out. */
export function attemptValues(input: RiskAssessmentInput): Partial<Record<RiskDimension, string>> {
  const raw: Record<RiskDimension, string | undefined> = {
    [RiskDimension.CUSTOMER]: input.customerId,
    [RiskDimension.PHONE]: input.phone,
    [RiskDimension.EMAIL]: input.email,
    [RiskDimension.CARD_FINGERPRINT]: input.cardFingerprint,
    [RiskDimension.IP]: input.ip,
  };
  const values: Partial<Record<RiskDimension, string>> = {};
  for (const dimension of Object.values(RiskDimension)) {
    const value = normaliseValue(dimension, raw[dimension]);
    if (value !== null) values[dimension] = value;
  }
  return values;
}

/**
 * HMAC-SHA256 under a server pepper, not a bare SHA-256: phone numbers and IPv4 addresses are so
 * few that a plain hash is reversed by enumerating them. The dimension is part of the message so
 * one value hashes differently per dimension.
 */
export function keyedHash(pepper: string, dimension: RiskDimension, normalised: string): string {
  return createHmac('sha256', pepper).update(`${dimension}:${normalised}`).digest('hex');
}

/** What staff see of a block-listed value: its last few characters, never more than half of it. */
export function displayHint(normalised: string): string {
  const shown = Math.min(4, Math.floor(normalised.length / 2));
  return shown > 0 ? `…${normalised.slice(-shown)}` : '…';
}

/** Why a value cannot go on the block list, or null if it can. Values are already normalised. */
export function blockListValueProblem(
  dimension: RiskDimension,
  normalised: string | null,
): string | null {
  if (normalised === null) return 'must not be empty';
  if (normalised.length > 320) return 'must be at most 320 characters';
  switch (dimension) {
    case RiskDimension.EMAIL:
      return /^[^@\s]+@[^@\s]+$/.test(normalised) ? null : 'must be an email address';
    case RiskDimension.PHONE:
      return normalised.length >= 6 && normalised.length <= 15
        ? null
        : 'must be a phone number of 6 to 15 digits';
    case RiskDimension.IP:
      return isIP(normalised) !== 0 ? null : 'must be an IPv4 or IPv6 address';
    case RiskDimension.CUSTOMER:
    case RiskDimension.CARD_FINGERPRINT:
      return null;
  }
}
