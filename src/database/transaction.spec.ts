import type { DataSource, EntityManager } from 'typeorm';
import { isDuplicateKeyError, isRetryableTransactionError, withTransaction } from './transaction';

const deadlock = Object.assign(new Error('Deadlock found'), { driverError: { errno: 1213 } });

const fakeDataSource = (failures: unknown[]) => {
  let calls = 0;
  const dataSource = {
    transaction: async (_level: string, work: (manager: EntityManager) => Promise<unknown>) => {
      calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return work({} as EntityManager);
    },
  } as unknown as DataSource;
  return { dataSource, calls: () => calls };
};

describe('withTransaction', () => {
  it('runs the work again after a deadlock and returns its result', async () => {
    const { dataSource, calls } = fakeDataSource([deadlock, deadlock]);
    await expect(withTransaction(dataSource, () => Promise.resolve('done'))).resolves.toBe('done');
    expect(calls()).toBe(3);
  });

  it('gives up after the configured retries and rethrows the deadlock', async () => {
    const { dataSource, calls } = fakeDataSource([deadlock, deadlock, deadlock]);
    await expect(
      withTransaction(dataSource, () => Promise.resolve('done'), { retries: 2 }),
    ).rejects.toBe(deadlock);
    expect(calls()).toBe(3);
  });

  it('never repeats work that failed for any other reason', async () => {
    const failure = new Error('duplicate key');
    const { dataSource, calls } = fakeDataSource([failure]);
    await expect(withTransaction(dataSource, () => Promise.resolve('done'))).rejects.toBe(failure);
    expect(calls()).toBe(1);
  });

  it('recognises lock-wait timeouts as retryable, and nothing else', () => {
    expect(isRetryableTransactionError({ errno: 1205 })).toBe(true);
    expect(isRetryableTransactionError({ driverError: { errno: 1062 } })).toBe(false);
    expect(isRetryableTransactionError(null)).toBe(false);
  });
});

describe('isDuplicateKeyError', () => {
  it('recognises ER_DUP_ENTRY on the error or on its driver error, and nothing else', () => {
    expect(isDuplicateKeyError({ errno: 1062 })).toBe(true);
    expect(isDuplicateKeyError({ driverError: { errno: 1062 } })).toBe(true);
    expect(isDuplicateKeyError({ driverError: { errno: 1213 } })).toBe(false);
    expect(isDuplicateKeyError(new Error('boom'))).toBe(false);
  });
});
