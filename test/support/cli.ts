import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config/config';
import type { TestApp } from './test-app';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * `siqian <args>` (src/cli.ts through ts-node) against the stores and secrets of a running test app, as an operator
 * would run it beside the API. Asynchronous on purpose: spawnSync would stall this process's event loop and the
 * app's keep-alive sockets with it (the next request was reset).
 */
export function cliOf(t: TestApp): (...args: string[]) => Promise<CliRun> {
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    MONGODB_URI: t.cfg.mongo.uri as string,
    REDIS_URL: t.cfg.redis.url as string,
    QUEUE_PREFIX: t.cfg.queue.prefix,
    JWT_SECRET: t.cfg.secrets.jwtSecret,
    PII_ENCRYPTION_KEY: t.cfg.secrets.piiKey.toString('hex'),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'siqian-cli-')),
    LOG_LEVEL: 'warn',
  };
  return (...args) =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', join(PROJECT_ROOT, 'src', 'cli.ts'), ...args],
        { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 240_000 },
        (err, stdout, stderr) => resolve({ status: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      );
    });
}
