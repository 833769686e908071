import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const main = join(root, 'dist', 'src', 'main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the built service as an operator would, with exactly the given environment. */
function start(env: Record<string, string>, timeoutMs = 20_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [main], {
      cwd: '/tmp',
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('start-up (e2e, the built service)', () => {
  beforeAll(() => {
    // The same compiler output `npm run build` produces; incremental, so cheap after the first run.
    const build = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  }, 120_000);

  it('refuses a bad configuration with one message listing every problem, and no stack trace', async () => {
    const run = await start({
      APP_PROFILE: 'production',
      PORT: 'seventy',
      DB_PORT: '99999',
      JWT_ACCESS_SECRET: 'short',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Payrail cannot start: the configuration is invalid.');
    for (const variable of [
      'PORT',
      'DB_PORT',
      'JWT_ACCESS_SECRET',
      'API_KEY_PEPPER',
      'ENCRYPTION_KEYS',
    ]) {
      expect(run.stderr).toContain(variable);
    }
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('shuts down on SIGTERM by closing HTTP, the DB pool and Redis, and exits 0', async () => {
    const child = spawn(process.execPath, [main], {
      cwd: '/tmp',
      env: {
        PATH: process.env.PATH ?? '',
        APP_PROFILE: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        DB_NAME: process.env.DB_NAME ?? '',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (!/Nest application successfully started/.test(output) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(output).toContain('Nest application successfully started');
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 15_000).unref()),
    ]);
    if (code === 'hung') child.kill('SIGKILL');
    expect(code).not.toBe('hung');
    expect([0, null]).toContain(code);
  });

  it('names host:port and how to start them when MySQL and Redis are unreachable', async () => {
    const run = await start({
      APP_PROFILE: 'test',
      DB_PORT: '1',
      REDIS_PORT: '2',
      DB_CONNECT_TIMEOUT_MS: '1000',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('MySQL at 127.0.0.1:1 is unreachable');
    expect(run.stderr).toContain('Redis at 127.0.0.1:2 is unreachable');
    expect(run.stderr).toContain('start-stop-daemon');
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
