// Two projects: `unit` (no network but loopback: specs beside the code, gateway suites against
// in-process simulators) and `e2e` (the whole app against real MariaDB + Redis).
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { ...swc, swcrc: false }] };

module.exports = {
  // Nest 12 is ESM: jest caches ES modules per worker process while it re-evaluates our CommonJS
  // per file, so metadata registries drift across files. A worker is recycled after each file
  // (any idle worker above this size), which keeps every file in a fresh process.
  maxWorkers: 2,
  workerIdleMemoryLimit: '64MB',
  // A global option (ignored inside `projects`): e2e set-ups hash passwords and boot whole apps,
  // which can take longer than jest's 5 s default on a loaded 2-core machine.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.spec.ts'],
      transform,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      transform,
      globalSetup: '<rootDir>/test/utils/global-setup.ts',
      globalTeardown: '<rootDir>/test/utils/global-teardown.ts',
      setupFiles: ['<rootDir>/test/utils/setup-env.ts'],
    },
  ],
};
