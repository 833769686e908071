import { randomInt, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../src/common/auth/auth-user';
import { DomainError } from '../../src/common/errors/domain-error';
import type { AuditActor } from '../../src/modules/audit/audit.types';
import { accountIdFor } from '../../src/modules/ledger/ledger-accounts';
import { LedgerService } from '../../src/modules/ledger/ledger.service';
import { Role } from '../../src/modules/users/role';
import type { WalletEntity } from '../../src/modules/wallets/entities/wallet.entity';
import { walletAccount } from '../../src/modules/wallets/wallet-accounts';
import { WalletAdjustmentsService } from '../../src/modules/wallets/wallet-adjustments.service';
import { WalletTransfersService } from '../../src/modules/wallets/wallet-transfers.service';
import { WalletErrorCode } from '../../src/modules/wallets/wallets.errors';
import { WalletsService } from '../../src/modules/wallets/wallets.service';
import { createUser, type TestUser } from '../factories/users.factory';
import { createTestApp, type TestApp } from '../utils/create-test-app';

const WALLET_COUNT = 5;
const WORKERS = 64;
const DURATION_MS = 10_000;
// The naive variant loses updates within milliseconds; a shorter run under the same contention is enough.
const NAIVE_DURATION_MS = 3_000;
const INITIAL_MINOR = 50_000;
const MAX_AMOUNT_MINOR = 2_000;

/** One transfer that reported success: what the caller believes happened. */
interface Movement {
  readonly from: number;
  readonly to: number;
  readonly amountMinor: number;
}

/** The books after the run: each wallet's balance and the sum of the postings that explain it. */
interface Books {
  readonly balances: readonly number[];
  readonly postingSums: readonly number[];
}

/**
 * The checker: money is conserved, nothing is negative, every balance equals its postings, and
 * every balance equals initial + in − out computed from the transfers that reported success (a
 * lost update breaks this). Returns the problems found; empty means the books are right.
 */
function checkBooks(
  initial: readonly number[],
  books: Books,
  successes: readonly Movement[],
): string[] {
  const problems: string[] = [];
  const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
  if (sum(books.balances) !== sum(initial)) {
    problems.push(`money not conserved: ${sum(initial)} before, ${sum(books.balances)} after`);
  }
  const expected = [...initial];
  for (const movement of successes) {
    expected[movement.from] -= movement.amountMinor;
    expected[movement.to] += movement.amountMinor;
  }
  books.balances.forEach((balance, index) => {
    if (balance < 0) problems.push(`wallet ${index} is negative: ${balance}`);
    if (balance !== books.postingSums[index]) {
      problems.push(
        `wallet ${index}: balance ${balance} but postings sum to ${books.postingSums[index]}`,
      );
    }
    if (balance !== expected[index]) {
      problems.push(
        `wallet ${index}: balance ${balance} but initial + in − out is ${expected[index]} (lost update)`,
      );
    }
  });
  return problems;
}

interface RunResult {
  successes: Movement[];
  insufficient: number;
  unexpected: string[];
}

/** `workers` loops, each doing random transfers among `wallets` until the deadline. */
async function runContention(
  durationMs: number,
  transferOnce: (from: number, to: number, amountMinor: number) => Promise<'ok' | 'insufficient'>,
): Promise<RunResult> {
  const result: RunResult = { successes: [], insufficient: 0, unexpected: [] };
  const deadline = Date.now() + durationMs;
  const worker = async () => {
    while (Date.now() < deadline) {
      const from = randomInt(WALLET_COUNT);
      const to = (from + 1 + randomInt(WALLET_COUNT - 1)) % WALLET_COUNT;
      const amountMinor = 1 + randomInt(MAX_AMOUNT_MINOR);
      try {
        const outcome = await transferOnce(from, to, amountMinor);
        if (outcome === 'ok') result.successes.push({ from, to, amountMinor });
        else result.insufficient++;
      } catch (error) {
        result.unexpected.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  return result;
}

describe('Wallet transfers under contention (e2e)', () => {
  let t: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    dataSource = t.app.get(DataSource);
  });

  afterAll(async () => {
    await dataSource?.query('DROP TABLE IF EXISTS wallet_race_postings, wallet_race_accounts');
    await t?.close();
  });

  it(`keeps the books exact with ${WORKERS} concurrent transfers among ${WALLET_COUNT} wallets`, async () => {
    const wallets = t.app.get(WalletsService);
    const transfers = t.app.get(WalletTransfersService);
    const adjustments = t.app.get(WalletAdjustmentsService);
    const ledger = t.app.get(LedgerService);
    const [firstAdmin, secondAdmin] = await Promise.all([
      createUser(t, { role: Role.ADMIN }),
      createUser(t, { role: Role.ADMIN }),
    ]);
    const actorOf = (user: TestUser): AuditActor => ({
      type: 'user',
      id: user.id,
      role: user.role,
    });

    const users: TestUser[] = [];
    for (let index = 0; index < WALLET_COUNT; index++) users.push(await createUser(t));
    const accounts: WalletEntity[] = [];
    for (const user of users) {
      const wallet = await wallets.open(user.id, 'USD', actorOf(user));
      await wallets.setLimits(
        wallet.id,
        { dailyTransferLimitMinor: Number.MAX_SAFE_INTEGER, maxTransferMinor: MAX_AMOUNT_MINOR },
        actorOf(firstAdmin),
      );
      const proposal = await adjustments.propose(
        firstAdmin.id,
        wallet.id,
        INITIAL_MINOR,
        'contention test funding',
        actorOf(firstAdmin),
      );
      await adjustments.approve(secondAdmin.id, proposal.id, actorOf(secondAdmin));
      accounts.push(wallet);
    }
    const callers: AuthUser[] = users.map((user) => ({
      kind: 'user',
      userId: user.id,
      role: Role.CUSTOMER,
      merchantId: null,
    }));
    const initial = accounts.map(() => INITIAL_MINOR);

    const run = await runContention(DURATION_MS, async (from, to, amountMinor) => {
      try {
        await transfers.transfer(callers[from], actorOf(users[from]), {
          fromWalletId: accounts[from].id,
          toEmail: users[to].email,
          amountMinor,
          currency: 'USD',
          idempotencyKey: randomUUID(),
        });
        return 'ok';
      } catch (error) {
        if (
          error instanceof DomainError &&
          error.code === WalletErrorCode.WALLET_INSUFFICIENT_FUNDS
        ) {
          return 'insufficient';
        }
        throw error;
      }
    });

    const balances = await Promise.all(
      accounts.map((wallet) => ledger.balanceOf(walletAccount(wallet))),
    );
    const postingSums = await Promise.all(
      accounts.map(async (wallet) => {
        const [row] = (await dataSource.query(
          'SELECT COALESCE(SUM(amount_minor), 0) AS total FROM ledger_postings WHERE account_id = ?',
          [accountIdFor(walletAccount(wallet))],
        )) as { total: string }[];
        // Wallet accounts are credit-normal: the stored postings are debit-positive.
        return -Number(row.total);
      }),
    );
    const [{ transfers: recorded }] = (await dataSource.query(
      'SELECT COUNT(*) AS transfers FROM wallet_transfers WHERE from_wallet_id IN (?)',
      [accounts.map((wallet) => wallet.id)],
    )) as { transfers: string }[];
    const report = await ledger.verify();

    console.log(
      `wallet contention: ${run.successes.length} transfers in ${DURATION_MS / 1000}s ` +
        `(${Math.round(run.successes.length / (DURATION_MS / 1000))}/s), ${run.insufficient} refused for funds, ` +
        `${run.unexpected.length} unexpected errors`,
    );
    expect(run.unexpected).toEqual([]);
    expect(run.successes.length).toBeGreaterThan(50);
    expect(Number(recorded)).toBe(run.successes.length);
    expect(report).toMatchObject({
      ok: true,
      unbalancedJournals: [],
      mismatchedAccounts: [],
      brokenChainAt: null,
    });
    expect(checkBooks(initial, { balances, postingSums }, run.successes)).toEqual([]);
  }, 120_000);

  it('the same checker catches the lost updates of a naive read-then-write transfer', async () => {
    await dataSource.query('DROP TABLE IF EXISTS wallet_race_postings, wallet_race_accounts');
    await dataSource.query(
      'CREATE TABLE wallet_race_accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL) ENGINE=InnoDB',
    );
    await dataSource.query(
      `CREATE TABLE wallet_race_postings (id BIGINT AUTO_INCREMENT PRIMARY KEY, account_id INT NOT NULL,
        amount BIGINT NOT NULL) ENGINE=InnoDB`,
    );
    const initial = Array.from({ length: WALLET_COUNT }, () => INITIAL_MINOR);
    for (let index = 0; index < WALLET_COUNT; index++) {
      await dataSource.query('INSERT INTO wallet_race_accounts (id, balance) VALUES (?, ?)', [
        index,
        INITIAL_MINOR,
      ]);
      await dataSource.query(
        'INSERT INTO wallet_race_postings (account_id, amount) VALUES (?, ?)',
        [index, INITIAL_MINOR],
      );
    }

    // Deliberately wrong: reads both balances without a lock, then writes the values it computed.
    const naiveTransfer = async (from: number, to: number, amountMinor: number) => {
      const rows = (await dataSource.query(
        'SELECT id, balance FROM wallet_race_accounts WHERE id IN (?, ?)',
        [from, to],
      )) as { id: number; balance: string }[];
      const balanceOf = (id: number) => Number(rows.find((row) => Number(row.id) === id)!.balance);
      if (balanceOf(from) < amountMinor) return 'insufficient' as const;
      await dataSource.query('UPDATE wallet_race_accounts SET balance = ? WHERE id = ?', [
        balanceOf(from) - amountMinor,
        from,
      ]);
      await dataSource.query('UPDATE wallet_race_accounts SET balance = ? WHERE id = ?', [
        balanceOf(to) + amountMinor,
        to,
      ]);
      await dataSource.query(
        'INSERT INTO wallet_race_postings (account_id, amount) VALUES (?, ?), (?, ?)',
        [from, -amountMinor, to, amountMinor],
      );
      return 'ok' as const;
    };

    const run = await runContention(NAIVE_DURATION_MS, naiveTransfer);
    const accounts = (await dataSource.query(
      'SELECT id, balance FROM wallet_race_accounts ORDER BY id',
    )) as {
      balance: string;
    }[];
    const sums = (await dataSource.query(
      'SELECT account_id AS id, SUM(amount) AS total FROM wallet_race_postings GROUP BY account_id ORDER BY account_id',
    )) as { total: string }[];
    const problems = checkBooks(
      initial,
      {
        balances: accounts.map((row) => Number(row.balance)),
        postingSums: sums.map((row) => Number(row.total)),
      },
      run.successes,
    );
    console.log(
      `naive transfers: ${run.successes.length} "succeeded"; checker found: ${problems.join('; ')}`,
    );
    expect(run.unexpected).toEqual([]);
    expect(run.successes.length).toBeGreaterThan(50);
    expect(problems.some((problem) => problem.includes('lost update'))).toBe(true);
  }, 60_000);
});
