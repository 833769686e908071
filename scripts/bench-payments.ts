// `npm run bench:payments [-- --clients 16 --seconds 15 --warmup 3 --json]`
//
// Throughput and latency of the payment path, end to end: a fresh, migrated database, the four
// gateway simulators and the real app (createApp), then N clients each looping createOrder (merchant)
// → createPayment with Stripe pm_card_visa (customer), which captures inside the call. Latencies are
// measured by the clients; the app's own time and the gateway time come from each response's
// Server-Timing header. Exits non-zero if any payment did not end CAPTURED.
//
// Three processes, as in production, so none steals the others' event loop: this one runs the app,
// one child runs the simulators (the "gateways") and one the load generator. Modules are required
// where they are used so each child loads only what its role needs.
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, cpus, loadavg, platform, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningSimulators } from '../src/gateways/simulators';

const DB_NAME = 'payrail_bench';
const REDIS_PREFIX = 'payrail_bench';

// ---- options ----------------------------------------------------------------------------------

interface Options {
  clients: number;
  seconds: number;
  warmupSeconds: number;
  json: boolean;
}

const USAGE = `Usage: npm run bench:payments -- [--clients N] [--seconds D] [--warmup W] [--json]
  --clients N   concurrent clients, each looping order → payment (default 16)
  --seconds D   measured duration in seconds, after the warm-up (default 15)
  --warmup W    warm-up seconds, not measured (default 3)
  --json        print the results as JSON on stdout (progress still goes to stderr)
Env: BENCH_LOG_LEVEL (app log level, default warn; silent with --json), DB_HOST/DB_PORT/DB_USER/
DB_PASSWORD, REDIS_HOST/REDIS_PORT/REDIS_DB as for the app.`;

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { clients: 16, seconds: 15, warmupSeconds: 3, json: false };
  const positive = (name: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number >= ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--clients':
        options.clients = Math.floor(positive('--clients', value(), 1));
        break;
      case '--seconds':
        options.seconds = positive('--seconds', value(), 1);
        break;
      case '--warmup':
        options.warmupSeconds = positive('--warmup', value(), 0);
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

// ---- shared between processes -------------------------------------------------------------------

const CREATE_ORDER = `mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }`;
const CREATE_PAYMENT = `mutation($input: CreatePaymentInput!) {
  createPayment(input: $input) { id status failureCode failureMessage }
}`;
const SIGN_UP = `mutation($input: SignUpInput!) {
  signUp(input: $input) { user { id } tokens { accessToken } }
}`;

interface LoadPlan {
  url: string;
  merchantToken: string;
  customerToken: string;
  customerId: string;
  clients: number;
  seconds: number;
  warmupSeconds: number;
}

/** One order → payment cycle as a client saw it. Times in milliseconds. */
interface Cycle {
  cycleMs: number;
  orderMs: number;
  paymentMs: number;
  /** Sum of the `app` Server-Timing of the two responses. */
  appMs: number;
  /** Sum of the `gateway` Server-Timing of the two responses. */
  gatewayMs: number;
}

interface PhaseResult {
  elapsedMs: number;
  cycles: Cycle[];
  errors: number;
  errorSamples: string[];
  missingServerTiming: number;
}

interface LoadResult {
  warmup: PhaseResult;
  measured: PhaseResult;
}

type ChildMessage =
  | { type: 'simulators'; urls: RunningSimulators['urls'] }
  | { type: 'measuring' }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; message: string };

interface GqlAnswer<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
  timing: Record<string, number> | null;
}

async function gql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<GqlAnswer<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: Omit<GqlAnswer<T>, 'timing'>;
  try {
    body = JSON.parse(text) as Omit<GqlAnswer<T>, 'timing'>;
  } catch {
    body = { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 200)}` }] };
  }
  return { ...body, timing: parseServerTiming(response.headers.get('server-timing')) };
}

/** `app;dur=1.2, gateway;dur=3.4` → { app: 1.2, gateway: 3.4 }. */
function parseServerTiming(header: string | null): Record<string, number> | null {
  if (!header) return null;
  const metrics: Record<string, number> = {};
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().split(';');
    const dur = params.map((p) => p.trim()).find((p) => p.startsWith('dur='));
    if (name && dur) metrics[name] = Number(dur.slice(4));
  }
  return metrics;
}

function describeErrors(errors: GqlAnswer<unknown>['errors']): string {
  const first = errors?.[0];
  if (!first) return 'no data';
  const code = [first.extensions?.code, first.extensions?.reason].filter(Boolean).join('/');
  return `${code ? `${code}: ` : ''}${first.message}`.slice(0, 300);
}

// ---- load generator (child process) -------------------------------------------------------------

async function runPhase(plan: LoadPlan, seconds: number, runId: string): Promise<PhaseResult> {
  const result: PhaseResult = {
    elapsedMs: 0,
    cycles: [],
    errors: 0,
    errorSamples: [],
    missingServerTiming: 0,
  };
  const fail = (message: string): void => {
    result.errors++;
    if (result.errorSamples.length < 5) result.errorSamples.push(message);
  };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async (clientNo: number): Promise<void> => {
    for (let i = 0; performance.now() < deadline; i++) {
      try {
        const t0 = performance.now();
        const order = await gql<{ createOrder: { id: string } }>(
          plan.url,
          CREATE_ORDER,
          {
            input: {
              currency: 'USD',
              lineItems: [{ name: 'Bench widget', quantity: 1, unitAmountMinor: 2_000 }],
              customerId: plan.customerId,
            },
          },
          plan.merchantToken,
        );
        const t1 = performance.now();
        if (!order.data?.createOrder) {
          fail(`createOrder: ${describeErrors(order.errors)}`);
          await sleep(50);
          continue;
        }
        const payment = await gql<{
          createPayment: { status: string; failureCode: string | null; failureMessage: string };
        }>(
          plan.url,
          CREATE_PAYMENT,
          {
            input: {
              orderId: order.data.createOrder.id,
              paymentMethod: 'CARD',
              gatewayCode: 'stripe',
              paymentMethodToken: 'pm_card_visa',
              returnUrl: 'https://shop.example/return',
              idempotencyKey: `bench-${runId}-${clientNo}-${i}`,
            },
          },
          plan.customerToken,
        );
        const t2 = performance.now();
        const paid = payment.data?.createPayment;
        if (!paid) {
          fail(`createPayment: ${describeErrors(payment.errors)}`);
          await sleep(50);
          continue;
        }
        if (paid.status !== 'CAPTURED') {
          fail(
            `createPayment answered ${paid.status} (${paid.failureCode}: ${paid.failureMessage})`,
          );
          continue;
        }
        if (!order.timing || !payment.timing) result.missingServerTiming++;
        result.cycles.push({
          cycleMs: t2 - t0,
          orderMs: t1 - t0,
          paymentMs: t2 - t1,
          appMs: (order.timing?.app ?? 0) + (payment.timing?.app ?? 0),
          gatewayMs: (order.timing?.gateway ?? 0) + (payment.timing?.gateway ?? 0),
        });
      } catch (error) {
        fail(`request failed: ${error instanceof Error ? error.message : String(error)}`);
        await sleep(50);
      }
    }
  };
  await Promise.all(Array.from({ length: plan.clients }, (_, n) => client(n)));
  result.elapsedMs = performance.now() - started;
  return result;
}

function runLoadChild(): void {
  process.once('message', (plan: LoadPlan) => {
    const runId = randomUUID().slice(0, 8);
    void (async () => {
      try {
        const warmup = await runPhase(plan, plan.warmupSeconds, `${runId}w`);
        process.send!({ type: 'measuring' } satisfies ChildMessage);
        const measured = await runPhase(plan, plan.seconds, `${runId}m`);
        process.send!({ type: 'result', result: { warmup, measured } } satisfies ChildMessage);
      } catch (error) {
        process.send!({ type: 'error', message: String(error) } satisfies ChildMessage);
      }
    })();
  });
  process.once('disconnect', () => process.exit(0));
}

// ---- simulators (child process) -----------------------------------------------------------------

function runSimulatorsChild(webhookBaseUrl: string): void {
  const { startSimulators } =
    require('../src/gateways/simulators') as typeof import('../src/gateways/simulators');
  const { GATEWAY_CODES } =
    require('../src/gateways/gateway-codes') as typeof import('../src/gateways/gateway-codes');
  startSimulators({
    webhookBaseUrl,
    ports: Object.fromEntries(GATEWAY_CODES.map((code) => [code, 0])),
  }).then(
    (simulators) => {
      process.send!({ type: 'simulators', urls: simulators.urls } satisfies ChildMessage);
      // The parent closes the IPC channel (or dies): stop.
      process.once('disconnect', () => {
        void simulators.close().finally(() => process.exit(0));
      });
    },
    (error: unknown) => {
      process.send!({ type: 'error', message: String(error) } satisfies ChildMessage);
      process.exit(1);
    },
  );
}

// ---- orchestrator (this process: database, app, report) -----------------------------------------

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Forks this script in another role; ts-node compiles it there too. */
function forkRole(role: string, args: string[] = []): ChildProcess {
  return fork(__filename, [`--role=${role}`, ...args], {
    execArgv: ['-r', 'ts-node/register'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function nextMessage<T extends ChildMessage['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage): void => {
      if (message.type === type) resolve(message as Extract<ChildMessage, { type: T }>);
      else if (message.type === 'error') reject(new Error(message.message));
      else return;
      cleanup();
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`child exited (${code}) before sending ${type}`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function prepareDatabase(): Promise<void> {
  // Required here, after the environment is set: importing the app's modules reads it.
  const { readDatabaseConfig } =
    require('../src/config/database.config') as typeof import('../src/config/database.config');
  const { recreateDatabase } =
    require('../src/database/recreate-database') as typeof import('../src/database/recreate-database');
  await recreateDatabase(
    readDatabaseConfig({ ...process.env, DB_TYPE: process.env.DB_TYPE ?? 'mariadb' }),
    DB_NAME,
  );
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

async function signUp(
  url: string,
  kind: 'merchant' | 'customer',
): Promise<{ id: string; token: string }> {
  const answer = await gql<{ signUp: { user: { id: string }; tokens: { accessToken: string } } }>(
    url,
    SIGN_UP,
    {
      input: {
        email: `bench-${kind}-${randomUUID()}@example.test`,
        password: 'bench-password-not-secret',
        name: `Bench ${kind}`,
        ...(kind === 'merchant' ? { merchantName: 'Bench Shop' } : {}),
      },
    },
  );
  if (!answer.data?.signUp) throw new Error(`signUp ${kind}: ${describeErrors(answer.errors)}`);
  return { id: answer.data.signUp.user.id, token: answer.data.signUp.tokens.accessToken };
}

// ---- CPU accounting (Linux /proc; absent elsewhere) ---------------------------------------------

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process has used, or null if it cannot be read. */
function processCpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** The local MariaDB/MySQL server's pid, if it runs on this machine. */
function databaseServerPid(): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'mariadbd' || comm === 'mysqld') return Number(entry);
    }
  } catch {
    // not Linux, or /proc hidden
  }
  return undefined;
}

/** Busy and total CPU seconds of the whole machine, all cores. */
function machineCpuSeconds(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((sum, n) => sum + n, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return {
      busy: (total - idle) / CLOCK_TICKS_PER_SECOND,
      total: total / CLOCK_TICKS_PER_SECOND,
    };
  } catch {
    return null;
  }
}

interface CpuSnapshot {
  at: number;
  processes: Record<string, number | null>;
  machine: { busy: number; total: number } | null;
}

function cpuSnapshot(pids: Record<string, number | undefined>): CpuSnapshot {
  return {
    at: performance.now(),
    processes: Object.fromEntries(
      Object.entries(pids).map(([name, pid]) => [name, processCpuSeconds(pid)]),
    ),
    machine: machineCpuSeconds(),
  };
}

/** Each process's CPU as % of one core between two snapshots, and the machine's busy %. */
function cpuUse(from: CpuSnapshot, to: CpuSnapshot): Record<string, number | null> {
  const seconds = (to.at - from.at) / 1000;
  const use: Record<string, number | null> = {};
  for (const [name, before] of Object.entries(from.processes)) {
    const after = to.processes[name];
    use[name] =
      before === null || after === null || after === undefined
        ? null
        : Math.round(((after - before) / seconds) * 100);
  }
  use.machineBusyPercent =
    from.machine && to.machine
      ? Math.round(
          ((to.machine.busy - from.machine.busy) / (to.machine.total - from.machine.total)) * 100,
        )
      : null;
  return use;
}

interface RowLockStatus {
  waits: number;
  timeMs: number;
}

/** InnoDB's row-lock counters: server-wide, so other databases on the server count too. */
async function rowLockStatus(
  query: (sql: string) => Promise<{ Variable_name: string; Value: string }[]>,
): Promise<RowLockStatus | null> {
  try {
    const rows = await query("SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_%'");
    const value = (name: string): number =>
      Number(rows.find((row) => row.Variable_name === name)?.Value ?? NaN);
    return { waits: value('Innodb_row_lock_waits'), timeMs: value('Innodb_row_lock_time') };
  } catch {
    return null;
  }
}

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least p% of the samples at or below it.
  const at = (p: number): number =>
    sorted.length === 0 ? NaN : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const round = (n: number): number => Math.round(n * 10) / 10;
  return { p50: round(at(50)), p95: round(at(95)), p99: round(at(99)) };
}

interface WebhookBacklog {
  /** Stripe callbacks stored by the end of the load, by status. */
  atLoadEnd: Record<string, number>;
  /** Seconds after the load until none was left RECEIVED (null: not within the wait). */
  drainedAfterSeconds: number | null;
}

async function webhookBacklog(
  query: (sql: string) => Promise<{ status: string; n: string | number }[]>,
): Promise<WebhookBacklog> {
  const counts = async (): Promise<Record<string, number>> =>
    Object.fromEntries(
      (await query('SELECT status, COUNT(*) AS n FROM webhook_events GROUP BY status')).map(
        (row) => [row.status, Number(row.n)],
      ),
    );
  const atLoadEnd = await counts();
  const started = performance.now();
  let now = atLoadEnd;
  while ((now.RECEIVED ?? 0) > 0) {
    if (performance.now() - started > 60_000) return { atLoadEnd, drainedAfterSeconds: null };
    await sleep(200);
    now = await counts();
  }
  return {
    atLoadEnd,
    drainedAfterSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

function machine(): Record<string, string | number> {
  const cpuList = cpus();
  return {
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${platform()} ${arch()}`,
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
  };
}

function report(
  options: Options,
  result: LoadResult,
  backlog: WebhookBacklog,
  info: Record<string, string | number>,
  cpu: Record<string, number | null>,
  rowLocks: { waits: number; waitSeconds: number } | null,
): Record<string, unknown> {
  const { measured, warmup } = result;
  const cycles = measured.cycles;
  return {
    machine: info,
    clients: options.clients,
    durationSeconds: Math.round(measured.elapsedMs / 100) / 10,
    warmupSeconds: options.warmupSeconds,
    paymentsCompleted: cycles.length,
    errors: measured.errors,
    warmupPayments: warmup.cycles.length,
    warmupErrors: warmup.errors,
    paymentsPerSecond: Math.round((cycles.length / (measured.elapsedMs / 1000)) * 10) / 10,
    latencyMs: {
      orderAndPayment: percentiles(cycles.map((c) => c.cycleMs)),
      createOrder: percentiles(cycles.map((c) => c.orderMs)),
      createPayment: percentiles(cycles.map((c) => c.paymentMs)),
    },
    perPaymentMs: {
      app: percentiles(cycles.map((c) => c.appMs)),
      gateway: percentiles(cycles.map((c) => c.gatewayMs)),
    },
    /** % of one core each process used while measuring; machineBusyPercent is of all cores. */
    cpuPercent: cpu,
    /** InnoDB row-lock waits while measuring (server-wide) and the time spent in them. */
    rowLockWaits: rowLocks,
    responsesWithoutServerTiming: measured.missingServerTiming,
    stripeWebhooks: backlog,
    errorSamples: [...warmup.errorSamples, ...measured.errorSamples].slice(0, 5),
  };
}

function printTable(r: ReturnType<typeof report>): void {
  const lines: string[] = [];
  const m = r.machine as Record<string, string | number>;
  const latency = r.latencyMs as Record<string, Percentiles>;
  const perPayment = r.perPaymentMs as Record<string, Percentiles>;
  const backlog = r.stripeWebhooks as WebhookBacklog;
  const row = (label: string, value: string | number): string =>
    `  ${label.padEnd(37)}${String(value)}`;
  const pRow = (label: string, p: Percentiles): string =>
    `  ${label.padEnd(37)}${[p.p50, p.p95, p.p99].map((n) => (Number.isNaN(n) ? '-' : n.toFixed(1)).padStart(9)).join('')}`;
  lines.push('');
  lines.push(
    'Payrail payments benchmark: createOrder → createPayment (Stripe pm_card_visa, captured)',
  );
  lines.push(
    `  machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}, load ${m.loadAverage1m} at start`,
  );
  lines.push('');
  lines.push(row('clients', r.clients as number));
  lines.push(
    row(
      'duration',
      `${r.durationSeconds as number} s (after ${r.warmupSeconds as number} s warm-up)`,
    ),
  );
  lines.push(row('payments completed', r.paymentsCompleted as number));
  lines.push(row('errors', `${r.errors as number} (warm-up: ${r.warmupErrors as number})`));
  lines.push(row('payments/s', r.paymentsPerSecond as number));
  lines.push('');
  lines.push(
    `  ${'latency (ms)'.padEnd(37)}${['p50', 'p95', 'p99'].map((h) => h.padStart(9)).join('')}`,
  );
  lines.push(pRow('order + payment cycle', latency.orderAndPayment!));
  lines.push(pRow('createOrder', latency.createOrder!));
  lines.push(pRow('createPayment', latency.createPayment!));
  lines.push(pRow('app time per payment (2 requests)', perPayment.app!));
  lines.push(pRow('gateway time per payment', perPayment.gateway!));
  lines.push('');
  const cpu = r.cpuPercent as Record<string, number | null>;
  const pct = (n: number | null | undefined): string =>
    n === null || n === undefined ? '?' : `${n}%`;
  lines.push(
    row(
      'CPU while measuring (% of a core)',
      `app ${pct(cpu.app)}, MariaDB ${pct(cpu.mariadb)}, simulators ${pct(cpu.simulators)}, load generator ${pct(cpu.loadGenerator)}`,
    ),
  );
  lines.push(row('machine busy (all cores, anyone)', pct(cpu.machineBusyPercent)));
  const locks = r.rowLockWaits as { waits: number; waitSeconds: number } | null;
  lines.push(
    row(
      'InnoDB row-lock waits (server-wide)',
      locks ? `${locks.waits} waits, ${locks.waitSeconds} s waited in total` : '?',
    ),
  );
  const atEnd = Object.entries(backlog.atLoadEnd)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  lines.push(row('Stripe webhooks at load end', atEnd || 'none'));
  lines.push(
    row(
      'webhook backlog drained after',
      backlog.drainedAfterSeconds === null ? 'not within 60 s' : `${backlog.drainedAfterSeconds} s`,
    ),
  );
  if ((r.responsesWithoutServerTiming as number) > 0) {
    lines.push(row('cycles without Server-Timing', r.responsesWithoutServerTiming as number));
  }
  const samples = r.errorSamples as string[];
  if (samples.length > 0) {
    lines.push('');
    lines.push('  first errors:');
    for (const sample of samples) lines.push(`    - ${sample}`);
  }
  lines.push('');
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const info = machine();
  let simulatorsChild: ChildProcess | undefined;
  let loadChild: ChildProcess | undefined;
  let app: import('@nestjs/platform-fastify').NestFastifyApplication | undefined;
  const shutdown = async (): Promise<void> => {
    await app?.close().catch(() => undefined);
    await Promise.all([stopChild(loadChild), stopChild(simulatorsChild)]);
  };
  const onSignal = (): void => {
    progress('interrupted: shutting down');
    void shutdown().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    progress(`creating and migrating database ${DB_NAME}`);
    await prepareDatabase();
    await clearRedisKeys();

    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    progress('starting the gateway simulators');
    simulatorsChild = forkRole('simulators', [publicUrl]);
    const { urls } = await nextMessage(simulatorsChild, 'simulators');

    Object.assign(process.env, {
      APP_PROFILE: 'test',
      DB_TYPE: process.env.DB_TYPE ?? 'mariadb',
      DB_NAME,
      REDIS_DB: process.env.REDIS_DB ?? '0',
      REDIS_KEY_PREFIX: REDIS_PREFIX,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? (options.json ? 'silent' : 'warn'),
      RATE_LIMIT: '1000000',
      RATE_LIMIT_AUTH: '1000000',
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      ZAAKPAY_BASE_URL: urls.zaakpay,
      ZAAKPAY_API_BASE_URL: urls.zaakpay,
      MPESA_BASE_URL: urls.mpesa,
      PAYPAL_BASE_URL: urls.paypal,
      STRIPE_BASE_URL: urls.stripe,
    });
    progress('starting the app');
    // Required only now: importing the app module validates the environment set above.
    const { createApp } = require('../src/bootstrap') as typeof import('../src/bootstrap');
    app = await createApp();
    await app.listen({ port, host: '127.0.0.1' });

    const merchant = await signUp(publicUrl, 'merchant');
    const customer = await signUp(publicUrl, 'customer');

    progress(
      `${options.clients} clients: ${options.warmupSeconds} s warm-up, then ${options.seconds} s measured`,
    );
    loadChild = forkRole('load');
    const resultMessage = nextMessage(loadChild, 'result');
    const pids = {
      app: process.pid,
      mariadb: databaseServerPid(),
      simulators: simulatorsChild.pid,
      loadGenerator: loadChild.pid,
    };
    const { DataSource } = require('typeorm') as typeof import('typeorm');
    const dataSource = app.get(DataSource);
    const query = <T>(sql: string): Promise<T[]> => dataSource.query(sql);
    let cpuAtStart: CpuSnapshot | undefined;
    let locksAtStart: Promise<RowLockStatus | null> = Promise.resolve(null);
    void nextMessage(loadChild, 'measuring').then(
      () => {
        cpuAtStart = cpuSnapshot(pids);
        locksAtStart = rowLockStatus(query);
      },
      () => undefined,
    );
    loadChild.send({
      url: publicUrl,
      merchantToken: merchant.token,
      customerToken: customer.token,
      customerId: customer.id,
      clients: options.clients,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
    } satisfies LoadPlan);
    const { result } = await resultMessage;
    const cpu = cpuAtStart ? cpuUse(cpuAtStart, cpuSnapshot(pids)) : {};
    const [locksBefore, locksAfter] = [await locksAtStart, await rowLockStatus(query)];
    const rowLocks =
      locksBefore && locksAfter
        ? {
            waits: locksAfter.waits - locksBefore.waits,
            waitSeconds: Math.round((locksAfter.timeMs - locksBefore.timeMs) / 100) / 10,
          }
        : null;

    progress('load done; waiting for the Stripe webhook backlog to drain');
    const backlog = await webhookBacklog(query);

    const summary = report(options, result, backlog, info, cpu, rowLocks);
    if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else printTable(summary);
    const failed = result.measured.errors + result.warmup.errors;
    if (failed > 0) {
      progress(`${failed} payment(s) did not capture`);
      process.exitCode = 1;
    }
  } finally {
    await shutdown();
    await clearRedisKeys().catch(() => undefined);
  }
}

const role = process.argv.find((arg) => arg.startsWith('--role='))?.slice('--role='.length);
if (role === 'simulators') {
  runSimulatorsChild(process.argv[process.argv.indexOf('--role=simulators') + 1]!);
} else if (role === 'load') {
  runLoadChild();
} else {
  main().then(
    // Everything is closed, so the process ends by itself; if some handle lingers, say so and go.
    () => {
      setTimeout(() => {
        progress('something kept the process alive after shutdown; exiting');
        process.exit(process.exitCode ?? 0);
      }, 10_000).unref();
    },
    (error: unknown) => {
      process.stderr.write(
        `Benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
