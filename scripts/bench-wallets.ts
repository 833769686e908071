// `npm run bench:wallets [-- --workers 32 --seconds 10 --users 100 --warmup 1 --json]`
//
// Throughput and latency of wallet transfers through the real service (WalletTransfersService:
// idempotency key, wallet row locks in id order, limits, available balance, audit row, ledger
// journal with its hash chain), beside the raw database ceiling for the same writes measured in
// the same run: one transaction that locks two balance rows in id order, updates both and inserts
// two posting rows, with nothing else. Two workloads each: transfers between uniformly random
// wallets, and transfers out of one hot wallet. A third raw row adds one global row lock per
// transaction (what the ledger's chain head does), to show where the service's ceiling comes from.
//
// Self-contained: drops and re-creates the `payrail_bench_wallets` database, runs the project's
// migrations, boots the wallets module's Nest context (no HTTP), creates the users and funds them.
import 'reflect-metadata';
import { randomInt, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

const DB_NAME = 'payrail_bench_wallets';
const REDIS_PREFIX = 'payrail_bench_wallets';
const MAX_AMOUNT_MINOR = 100;

interface Options {
  workers: number;
  seconds: number;
  users: number;
  warmupSeconds: number;
  json: boolean;
}

const USAGE = `Usage: npm run bench:wallets -- [--workers C] [--seconds D] [--users N] [--warmup W] [--json]
  --workers C   concurrent workers per scenario (default 32)
  --seconds D   measured seconds per scenario (default 10)
  --users N     users, each with a funded USD wallet (default 100, at least 2)
  --warmup W    unmeasured seconds before each scenario (default 1)
  --json        print the results as JSON on stdout
Env: DB_HOST/DB_PORT/DB_USER/DB_PASSWORD/DB_POOL_SIZE, REDIS_HOST/REDIS_PORT/REDIS_DB as for the app.`;

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { workers: 32, seconds: 10, users: 100, warmupSeconds: 1, json: false };
  const number = (name: string, value: string | undefined, min: number): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min)
      throw new Error(`${name} must be a number >= ${min}`);
    return parsed;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--workers':
        options.workers = Math.floor(number('--workers', value(), 1));
        break;
      case '--seconds':
        options.seconds = number('--seconds', value(), 1);
        break;
      case '--users':
        options.users = Math.floor(number('--users', value(), 2));
        break;
      case '--warmup':
        options.warmupSeconds = number('--warmup', value(), 0);
        break;
      case '--json':
        options.json = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        throw new Error(`Unknown option ${argv[i]}\n${USAGE}`);
    }
  }
  return options;
}

const progress = (message: string): void => {
  process.stderr.write(`[bench:wallets] ${message}\n`);
};

// ---- measuring ----------------------------------------------------------------------------------

/** One transfer: picks its wallets itself (so the scenario decides the contention). */
type Operation = () => Promise<void>;

interface ScenarioResult {
  name: string;
  workers: number;
  seconds: number;
  completed: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  errorSample: string | null;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function runScenario(
  name: string,
  options: Options,
  operation: Operation,
): Promise<ScenarioResult> {
  const loop = async (until: number, latencies: number[] | null, errors: string[]) => {
    while (performance.now() < until) {
      const started = performance.now();
      try {
        await operation();
        latencies?.push(performance.now() - started);
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  const workers = (until: number, latencies: number[] | null, errors: string[]) =>
    Promise.all(Array.from({ length: options.workers }, () => loop(until, latencies, errors)));

  if (options.warmupSeconds > 0) {
    await workers(performance.now() + options.warmupSeconds * 1000, null, []);
  }
  const latencies: number[] = [];
  const errors: string[] = [];
  const started = performance.now();
  await workers(started + options.seconds * 1000, latencies, errors);
  // Workers finish the operation in flight: divide by the time they really ran.
  const elapsedSeconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const result: ScenarioResult = {
    name,
    workers: options.workers,
    seconds: Number(elapsedSeconds.toFixed(2)),
    completed: latencies.length,
    perSecond: Math.round(latencies.length / elapsedSeconds),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    errors: errors.length,
    errorSample: errors[0] ?? null,
  };
  progress(
    `${name}: ${result.perSecond}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.errors} errors`,
  );
  return result;
}

/** Two distinct indexes in [0, count): uniformly random, or out of index 0 (the hot wallet). */
function pickPair(count: number, hot: boolean): [number, number] {
  const from = hot ? 0 : randomInt(count);
  const to = (from + 1 + randomInt(count - 1)) % count;
  return [from, to];
}

// ---- set-up -------------------------------------------------------------------------------------

async function prepareDatabase(): Promise<void> {
  // Required here, after the environment is set: importing the app's modules reads it.
  const { readDatabaseConfig } =
    require('../src/config/database.config') as typeof import('../src/config/database.config');
  const { recreateDatabase } =
    require('../src/database/recreate-database') as typeof import('../src/database/recreate-database');
  await recreateDatabase(readDatabaseConfig(), DB_NAME);
}

/** Deletes this benchmark's Redis keys (queues, rate limits, risk counters) and nothing else. */
async function clearRedisKeys(): Promise<void> {
  const { default: Redis } = require('ioredis') as typeof import('ioredis');
  const { deleteKeysWithPrefix } =
    require('../src/common/redis/delete-keys') as typeof import('../src/common/redis/delete-keys');
  const redis = new Redis({
    host: process.env.REDIS_HOST ?? '127.0.0.1',
    port: Number(process.env.REDIS_PORT ?? 6379),
    password: process.env.REDIS_PASSWORD || undefined,
    db: Number(process.env.REDIS_DB ?? 0),
    lazyConnect: true,
  });
  await redis.connect();
  try {
    await deleteKeysWithPrefix(redis, REDIS_PREFIX);
  } finally {
    redis.disconnect();
  }
}

// ---- the runs -----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  Object.assign(process.env, {
    // Demo secrets are fine for a throwaway database; never point this at a real one.
    APP_PROFILE:
      process.env.APP_PROFILE === 'production'
        ? 'development'
        : (process.env.APP_PROFILE ?? 'development'),
    DB_TYPE: process.env.DB_TYPE ?? 'mariadb',
    DB_NAME,
    REDIS_KEY_PREFIX: REDIS_PREFIX,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    // The bench never lets a hold expire; keep the sweep out of the measurement.
    WALLET_HOLD_SWEEP_MS: '3600000',
  });

  progress(`preparing database ${DB_NAME} (migrations from zero)`);
  await prepareDatabase();
  await clearRedisKeys();

  // Loaded only now: the config modules read the environment set above.
  const { Module } = require('@nestjs/common') as typeof import('@nestjs/common');
  const { NestFactory } = require('@nestjs/core') as typeof import('@nestjs/core');
  const { DataSource } = require('typeorm') as typeof import('typeorm');
  const { CoreModule } = require('../src/core.module') as typeof import('../src/core.module');
  const { WalletsModule } =
    require('../src/modules/wallets/wallets.module') as typeof import('../src/modules/wallets/wallets.module');
  const { WalletsService } =
    require('../src/modules/wallets/wallets.service') as typeof import('../src/modules/wallets/wallets.service');
  const { WalletTransfersService } =
    require('../src/modules/wallets/wallet-transfers.service') as typeof import('../src/modules/wallets/wallet-transfers.service');
  const { WalletAdjustmentsService } =
    require('../src/modules/wallets/wallet-adjustments.service') as typeof import('../src/modules/wallets/wallet-adjustments.service');
  const { LedgerService } =
    require('../src/modules/ledger/ledger.service') as typeof import('../src/modules/ledger/ledger.service');
  const { UserEntity } =
    require('../src/modules/users/entities/user.entity') as typeof import('../src/modules/users/entities/user.entity');
  const { Role } =
    require('../src/modules/users/role') as typeof import('../src/modules/users/role');
  const { readDatabaseConfig } =
    require('../src/config/database.config') as typeof import('../src/config/database.config');

  @Module({ imports: [CoreModule, WalletsModule] })
  class BenchModule {}

  const app = await NestFactory.createApplicationContext(BenchModule, {
    logger: ['error', 'warn'],
  });
  app.enableShutdownHooks();
  const dataSource = app.get(DataSource);
  const wallets = app.get(WalletsService);
  const transfers = app.get(WalletTransfersService);
  const adjustments = app.get(WalletAdjustmentsService);

  // Users straight into the table: sign-up (scrypt) is not what is measured.
  progress(`creating ${options.users} users with funded wallets`);
  const makeUser = async (index: number, role: (typeof Role)[keyof typeof Role]) => {
    const id = randomUUID();
    await dataSource.getRepository(UserEntity).insert({
      id,
      email: `bench-${index}-${id.slice(0, 8)}@bench.test`,
      passwordHash: 'not-a-real-hash',
      name: `Bench user ${index}`,
      phone: null,
      role,
      merchantId: null,
    });
    return dataSource.getRepository(UserEntity).findOneByOrFail({ id });
  };
  const [proposer, approver] = [await makeUser(-1, Role.ADMIN), await makeUser(-2, Role.ADMIN)];
  const actorOf = (user: { id: string }) => ({ type: 'user' as const, id: user.id });
  const people: {
    user: { id: string; email: string };
    wallet: { id: string };
    caller: {
      kind: 'user';
      userId: string;
      role: (typeof Role)[keyof typeof Role];
      merchantId: null;
    };
    actor: { type: 'user'; id: string };
  }[] = [];
  for (let index = 0; index < options.users; index++) {
    const user = await makeUser(index, Role.CUSTOMER);
    const wallet = await wallets.open(user.id, 'USD', actorOf(user));
    await wallets.setLimits(
      wallet.id,
      { dailyTransferLimitMinor: Number.MAX_SAFE_INTEGER, maxTransferMinor: MAX_AMOUNT_MINOR },
      actorOf(proposer),
    );
    // The hot wallet (index 0) must survive every transfer of the run.
    const funding = index === 0 ? 1_000_000_000_000 : 1_000_000_000;
    const proposal = await adjustments.propose(
      proposer.id,
      wallet.id,
      funding,
      'bench funding',
      actorOf(proposer),
    );
    await adjustments.approve(approver.id, proposal.id, actorOf(approver));
    people.push({
      user,
      wallet,
      caller: { kind: 'user' as const, userId: user.id, role: Role.CUSTOMER, merchantId: null },
      actor: actorOf(user),
    });
  }

  const serviceTransfer = (hot: boolean) => async () => {
    const [from, to] = pickPair(people.length, hot);
    await transfers.transfer(people[from]!.caller, people[from]!.actor, {
      fromWalletId: people[from]!.wallet.id,
      toEmail: people[to]!.user.email,
      amountMinor: 1 + randomInt(MAX_AMOUNT_MINOR),
      currency: 'USD',
      idempotencyKey: randomUUID(),
    });
  };

  // The raw ceiling: its own pool of the app's size, plain SQL, no ORM, no service.
  const { createPool } = require('mysql2/promise') as typeof import('mysql2/promise');
  const database = readDatabaseConfig();
  const pool = createPool({
    host: database.host,
    port: database.port,
    user: database.username,
    password: database.password,
    database: DB_NAME,
    connectionLimit: database.poolSize,
  });
  await pool.query(
    'CREATE TABLE bench_raw_balances (id INT PRIMARY KEY, balance BIGINT NOT NULL) ENGINE=InnoDB',
  );
  await pool.query(
    `CREATE TABLE bench_raw_postings (id CHAR(36) PRIMARY KEY, account_id INT NOT NULL,
      amount BIGINT NOT NULL, created_at DATETIME(3) NOT NULL, KEY (account_id, created_at)) ENGINE=InnoDB`,
  );
  await pool.query(
    'CREATE TABLE bench_raw_head (id INT PRIMARY KEY, sequence BIGINT NOT NULL) ENGINE=InnoDB',
  );
  await pool.query('INSERT INTO bench_raw_head VALUES (1, 0)');
  await pool.query(
    `INSERT INTO bench_raw_balances (id, balance) VALUES ${people.map(() => '(?, ?)').join(', ')}`,
    people.flatMap((_, index) => [index, index === 0 ? 1_000_000_000_000 : 1_000_000_000]),
  );
  const rawTransfer = (hot: boolean, chainHead: boolean) => async () => {
    const [from, to] = pickPair(people.length, hot);
    const amount = 1 + randomInt(MAX_AMOUNT_MINOR);
    const connection = await pool.getConnection();
    try {
      await connection.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await connection.query('START TRANSACTION');
      const [rows] = await connection.query(
        'SELECT id, balance FROM bench_raw_balances WHERE id IN (?, ?) ORDER BY id FOR UPDATE',
        [from, to],
      );
      const source = (rows as { id: number; balance: string }[]).find((row) => row.id === from);
      if (!source || Number(source.balance) < amount) throw new Error('insufficient funds');
      if (chainHead)
        await connection.query('SELECT sequence FROM bench_raw_head WHERE id = 1 FOR UPDATE');
      await connection.query('UPDATE bench_raw_balances SET balance = balance - ? WHERE id = ?', [
        amount,
        from,
      ]);
      await connection.query('UPDATE bench_raw_balances SET balance = balance + ? WHERE id = ?', [
        amount,
        to,
      ]);
      const now = new Date();
      await connection.query(
        'INSERT INTO bench_raw_postings (id, account_id, amount, created_at) VALUES (?, ?, ?, ?), (?, ?, ?, ?)',
        [randomUUID(), from, -amount, now, randomUUID(), to, amount, now],
      );
      if (chainHead)
        await connection.query('UPDATE bench_raw_head SET sequence = sequence + 1 WHERE id = 1');
      await connection.query('COMMIT');
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  };

  const results: ScenarioResult[] = [];
  try {
    results.push(
      await runScenario('service, uniform random wallets', options, serviceTransfer(false)),
    );
    results.push(
      await runScenario('raw SQL, uniform random wallets', options, rawTransfer(false, false)),
    );
    results.push(
      await runScenario(
        'raw SQL + one global row lock, uniform',
        options,
        rawTransfer(false, true),
      ),
    );
    results.push(await runScenario('service, one hot wallet', options, serviceTransfer(true)));
    results.push(await runScenario('raw SQL, one hot wallet', options, rawTransfer(true, false)));

    progress('checking the ledger');
    const integrity = await app.get(LedgerService).verify();
    const environment = {
      cpus: cpus().length,
      loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
      users: options.users,
      poolSize: database.poolSize,
      database: DB_NAME,
    };
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ environment, results, ledgerOk: integrity.ok }, null, 2)}\n`,
      );
    } else {
      printTable(results, environment, integrity.ok, integrity.journalsChecked);
    }
    if (!integrity.ok) process.exitCode = 1;
  } finally {
    await pool.end();
    await app.close();
  }
}

function printTable(
  results: readonly ScenarioResult[],
  environment: { cpus: number; loadAverage: number[]; users: number; poolSize: number },
  ledgerOk: boolean,
  journals: number,
): void {
  const header = ['scenario', 'workers', 'transfers', 'per s', 'p50 ms', 'p99 ms', 'errors'];
  const rows = results.map((result) => [
    result.name,
    String(result.workers),
    String(result.completed),
    String(result.perSecond),
    result.p50Ms.toFixed(2),
    result.p99Ms.toFixed(2),
    String(result.errors),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ');
  const output = [
    '',
    `Wallet transfers: ${environment.users} wallets, ${environment.cpus} CPUs, load ${environment.loadAverage.join(' ')}, DB pool ${environment.poolSize}`,
    '',
    line(header),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.map(line),
    '',
    `Ledger integrity after the run: ${ledgerOk ? 'ok' : 'BROKEN'} (${journals} journals checked)`,
  ];
  const service = results.find((result) => result.name.startsWith('service, uniform'));
  const raw = results.find((result) => result.name.startsWith('raw SQL, uniform'));
  if (service && raw && raw.perSecond > 0) {
    output.push(
      `Service throughput is ${((100 * service.perSecond) / raw.perSecond).toFixed(1)}% of the raw ceiling (uniform).`,
    );
  }
  for (const result of results) {
    if (result.errorSample) output.push(`${result.name}: first error: ${result.errorSample}`);
  }
  process.stdout.write(`${output.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
