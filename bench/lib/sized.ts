import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import mongoose, { Connection } from 'mongoose';
import { loadConfig } from '../../src/config/config';
import { BenchStores, benchStores } from './stores';

/**
 * What the benches that compare store sizes share (bench:stats, bench:lists): each size is measured in a
 * process of its own ({@link inChild}) on stores of its own with an app context ({@link withSizeApp}) —
 * measured one after the other in one process, the second size came out 40 % slower in either order
 * (bench:stats, 2026-12-03).
 */

export const withDb = (uri: string, db: string) => uri.replace(/^(mongodb:\/\/[^/?]+)(\/[^?]*)?/, `$1/${db}`);

/** Run times of `n` sequential calls of `fn`, ms. */
export async function timed(fn: () => Promise<unknown>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}

/**
 * The two halves of a bench that measures each size in a process of its own: in the child (`envVar` set), measures
 * its one size and sends the result back; in the parent, runs a child per size in turn and returns their results.
 */
export async function eachSizeInChild<R>(
  script: string,
  envVar: string,
  sizes: readonly number[],
  label: string,
  measure: (size: number) => Promise<R>,
): Promise<R[] | undefined> {
  const one = process.env[envVar];
  if (one) {
    process.send?.(await measure(JSON.parse(one) as number));
    return undefined;
  }
  const results: R[] = [];
  for (const size of sizes) results.push(await inChild<R>(script, envVar, size, `${label} at ${size}`));
  return results;
}

export const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

export interface SizeApp {
  app: INestApplicationContext;
  /** the bench's own connection to the database the app uses (dropped before and after) */
  conn: Connection;
  stores: BenchStores;
}

/**
 * Fresh embedded stores (or MONGODB_URI/REDIS_URL), the database `db` emptied, and an app context on them (no
 * API, no worker; a queue prefix of its own); everything is closed, dropped and stopped after `fn`.
 */
export async function withSizeApp<T>(db: string, fn: (s: SizeApp) => Promise<T>): Promise<T> {
  const stores = await benchStores();
  try {
    const cfg = loadConfig({
      NODE_ENV: 'production',
      MONGODB_URI: withDb(stores.mongoUri, db),
      REDIS_URL: stores.redisUrl,
      JWT_SECRET: randomBytes(32).toString('hex'),
      PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      QUEUE_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
      LOG_LEVEL: 'warn',
      DATA_DIR: mkdtempSync(join(tmpdir(), `siqian-${db}-`)),
    });
    const conn = await mongoose.createConnection(withDb(stores.mongoUri, db)).asPromise();
    await conn.dropDatabase();
    const { NestFactory } = await import('@nestjs/core');
    const { AppModule } = await import('../../src/app.module');
    const app = await NestFactory.createApplicationContext(AppModule.register(cfg, { api: false, worker: false }), {
      logger: ['error'],
    });
    try {
      return await fn({ app, conn, stores });
    } finally {
      await app.close();
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    }
  } finally {
    await stores.stop();
  }
}

/**
 * Runs `script` again in a child process with `env[envVar]` = `payload` (JSON) and resolves with the one message
 * it sends back (`process.send`); `label` names it in the error when it exits without one.
 */
export function inChild<T>(script: string, envVar: string, payload: unknown, label: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], {
      execArgv: process.execArgv,
      env: { ...process.env, [envVar]: JSON.stringify(payload) },
    });
    let result: T | undefined;
    child.on('message', (m) => (result = m as T));
    child.on('error', reject);
    child.on('exit', (code) =>
      result !== undefined ? resolve(result) : reject(new Error(`${label} exited with ${code} and no result`)),
    );
  });
}
