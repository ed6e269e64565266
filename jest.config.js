/**
 * Two projects: `unit` (specs beside the code, no services) and `e2e` (test/*.e2e-spec.ts over real HTTP and
 * WebSocket against a FerretDB launcher and a redis-server started by test/global-setup.ts, or against
 * MONGODB_URI / REDIS_URL when those are set).
 */
const tsJest = ['ts-jest', { isolatedModules: true, diagnostics: false }];
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      moduleFileExtensions: ['ts', 'js', 'json'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      moduleFileExtensions: ['ts', 'js', 'json'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
  // a global option (jest ignores it inside a project): e2e hooks boot apps and create users over HTTP, which
  // takes more than jest's default 5 s on 2 busy cores; slower tests set their own
  testTimeout: 60000,
  // One suite at a time (the e2e suites share one FerretDB and one redis-server and load the 2 cores alone),
  // in a worker process that jest replaces once a suite leaves it above 300 MB: every suite after an e2e suite
  // starts in a fresh process. Run in band, one process took every suite and grew to 1.6 GB, and a CI run
  // hung for good in a later unit suite (main thread in a futex wait, no socket, no child).
  maxWorkers: 1,
  workerIdleMemoryLimit: '300MB',
};
