// Keys whose values never belong in an audit record, whatever a caller passes by mistake.
const SECRET_KEY =
  /password|passphrase|secret|token|authorization|cookie|cvv|cvc|card_?number|^pin$|^pan$/i;
const MAX_DEPTH = 6;

/**
 * Makes details safe to store: secret-looking keys redacted, non-JSON values dropped (functions,
 * undefined) or converted (Date -> ISO string, bigint -> string), cycles cut.
 */
export function sanitizeAuditDetails(
  details: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> | null {
  if (!details) return null;
  const seen = new WeakSet<object>();
  const clean = (value: unknown, depth: number): unknown => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Date) return value.toISOString();
    if (typeof value !== 'object') return undefined;
    if (depth >= MAX_DEPTH || seen.has(value)) return '[truncated]';
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => clean(item, depth + 1) ?? null);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (SECRET_KEY.test(key)) {
        out[key] = '[redacted]';
        continue;
      }
      const cleaned = clean(item, depth + 1);
      if (cleaned !== undefined) out[key] = cleaned;
    }
    return out;
  };
  return clean(details, 0) as Record<string, unknown>;
}
