import type { DataSource, EntityManager } from 'typeorm';

// MySQL/MariaDB errors after which the whole transaction may simply be run again.
const RETRYABLE_ERRNOS = new Set([
  1213, // ER_LOCK_DEADLOCK: the server rolled us back to break a cycle
  1205, // ER_LOCK_WAIT_TIMEOUT
]);

const errnoOf = (error: unknown): number | undefined => {
  const candidate = error as { errno?: number; driverError?: { errno?: number } } | null;
  return candidate?.errno ?? candidate?.driverError?.errno;
};

/** ER_DUP_ENTRY (1062): a unique key refused the row, e.g. a replayed event or a taken name. */
export function isDuplicateKeyError(error: unknown): boolean {
  return errnoOf(error) === 1062;
}

export function isRetryableTransactionError(error: unknown): boolean {
  const errno = errnoOf(error);
  return errno !== undefined && RETRYABLE_ERRNOS.has(errno);
}

export interface TransactionOptions {
  /** Further tries after a deadlock or lock-wait timeout (default 3). */
  readonly retries?: number;
}

/**
 * Runs `work` in one READ COMMITTED transaction and runs it again, from the start, when the
 * database aborts it with a deadlock or lock-wait timeout. `work` must therefore be safe to
 * repeat: everything it did in the aborted try was rolled back, and it must not have side effects
 * outside the database (call gateways after commit, or record intents first).
 */
export async function withTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      return await dataSource.transaction('READ COMMITTED', work);
    } catch (error) {
      if (attempt >= retries || !isRetryableTransactionError(error)) throw error;
      // Back off a little, with jitter, so the two sides of a deadlock do not collide again.
      await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt + Math.random() * 10));
    }
  }
}
