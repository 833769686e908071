/** `payment.captured`, `payment.*` or `*`. */
export const EVENT_TYPE_FILTER_PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;

/** Whether an endpoint subscribed to `filters` wants events of `type`; no filter means all. */
export function matchesEventType(filters: readonly string[], type: string): boolean {
  if (filters.length === 0) return true;
  return filters.some(
    (filter) =>
      filter === '*' ||
      filter === type ||
      (filter.endsWith('.*') && type.startsWith(filter.slice(0, -1))),
  );
}

/** Trims, drops duplicates and keeps the caller's order. */
export const normaliseEventTypes = (types: readonly string[] | undefined): string[] => [
  ...new Set((types ?? []).map((type) => type.trim()).filter((type) => type !== '')),
];
