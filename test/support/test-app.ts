import { NestExpressApplication } from '@nestjs/platform-express';
import { Client, createClient } from 'graphql-ws';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { createApiApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/config';

export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  body: { data?: T | null; errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] };
}

export interface TestApp {
  app: NestExpressApplication;
  cfg: AppConfig;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GqlResponse<T>>;
  ws(connectionParams?: Record<string, unknown>): Client;
  close(): Promise<void>;
}

/** The bootstrap admin every test app creates on first start (ADMIN_EMAIL / ADMIN_PASSWORD defaults). */
export const TEST_ADMIN = { email: 'admin@siqian.test', password: 'e2e-admin-password-123' } as const;

export interface LoggedIn {
  userId: string;
  accessToken: string;
  refreshToken: string;
  /** `{ authorization: 'Bearer <accessToken>' }` for `t.gql(query, vars, headers)`. */
  headers: Record<string, string>;
  /** The same for `t.ws(connectionParams)`. */
  connectionParams: Record<string, string>;
}

/** Logs in through the API (`login` mutation); throws with the errors when it fails. */
export async function loginAs(t: TestApp, email: string, password: string): Promise<LoggedIn> {
  const res = await t.gql<{ login: { accessToken: string; refreshToken: string; user: { id: string } } }>(
    'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken user { id } } }',
    { e: email, p: password },
  );
  const login = res.body.data?.login;
  if (!login) throw new Error(`login as ${email} failed: ${JSON.stringify(res.body.errors)}`);
  const authorization = `Bearer ${login.accessToken}`;
  return {
    userId: login.user.id,
    accessToken: login.accessToken,
    refreshToken: login.refreshToken,
    headers: { authorization },
    connectionParams: { authorization },
  };
}

/** Logs in as the bootstrap admin (TEST_ADMIN). */
export function loginAsAdmin(t: TestApp): Promise<LoggedIn> {
  return loginAs(t, TEST_ADMIN.email, TEST_ADMIN.password);
}

/** Points a MongoDB URI at another database name, keeping hosts and options. */
export function withDatabase(uri: string, db: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${db}`);
}

/**
 * Boots the real API (createApiApp, as main.ts does) on a free port against the suite's stores, with its own
 * database and queue prefix so that test files do not see each other's data. `env` overrides variables.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { database?: string; queuePrefix?: string } = {},
): Promise<TestApp> {
  const id = randomBytes(4).toString('hex');
  const mongo = process.env.MONGODB_URI;
  const redis = process.env.REDIS_URL;
  if (!mongo || !redis) throw new Error('e2e globalSetup did not provide MONGODB_URI / REDIS_URL');
  const cfg = loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: withDatabase(mongo, opts.database ?? `e2e_${id}`),
    REDIS_URL: redis,
    QUEUE_PREFIX: opts.queuePrefix ?? `e2e-${id}`,
    WORKER_IN_API: 'true',
    JWT_SECRET: randomBytes(32).toString('hex'),
    PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SCHEMA_FILE: join(mkdtempSync(join(tmpdir(), 'siqian-schema-')), 'schema.gql'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATA_DIR: join(tmpdir(), `siqian-e2e-app-${id}`),
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    ...env,
  });
  const app = await createApiApp(cfg);
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const clients: Client[] = [];
  return {
    app,
    cfg,
    baseUrl,
    async gql(query, variables, headers = {}) {
      const res = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GqlResponse['body'] } as never;
    },
    ws(connectionParams) {
      const client = createClient({
        url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
        lazy: false,
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => Promise.resolve(c.dispose())));
      await app.close();
    },
  };
}

type GqlErrors = NonNullable<GqlResponse['body']['errors']>;

/**
 * One operation over the WebSocket (a subscription, or a query sent as graphql-ws allows): the first result's
 * errors/data, the close code if the socket was closed, or `timedOut` when nothing came within `timeoutMs`.
 */
export function subscribeOnce(
  client: Client,
  query: string,
  timeoutMs = 3000,
  variables: Record<string, unknown> = {},
): Promise<{ errors?: GqlErrors; data?: unknown; closeCode?: number; timedOut?: boolean }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      unsubscribe();
      resolve({ timedOut: true });
    }, timeoutMs);
    const unsubscribe = client.subscribe(
      { query, variables },
      {
        next: (v) => {
          clearTimeout(timer);
          unsubscribe();
          resolve({ errors: v.errors as GqlErrors | undefined, data: v.data });
        },
        error: (e) => {
          clearTimeout(timer);
          const ev = e as { code?: number };
          resolve(Array.isArray(e) ? { errors: e as GqlErrors } : { closeCode: ev.code });
        },
        complete: () => undefined,
      },
    );
  });
}

/** Subscribes and resolves with the first `count` events (or rejects after `timeoutMs`). */
export function collectEvents<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
  count = 1,
  timeoutMs = 15_000,
): Promise<T[]> {
  const got: T[] = [];
  return new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms with ${got.length}/${count} events`));
    }, timeoutMs);
    const finish = (err?: Error) => {
      clearTimeout(timer);
      unsubscribe();
      if (err) reject(err);
      else resolve(got);
    };
    const unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (v) => {
          if (v.errors) return finish(new Error(JSON.stringify(v.errors)));
          got.push(v.data as T);
          if (got.length >= count) finish();
        },
        error: (e) => finish(e instanceof Error ? e : new Error(JSON.stringify(e))),
        complete: () => undefined,
      },
    );
  });
}

/**
 * Waits until at least `min` Redis connections subscribe to `channel`: the server has then really set up a
 * GraphQL subscription (graphql-ws sends no acknowledgement per subscription), so an event published next
 * cannot be missed.
 */
export async function waitForChannelSubscribers(channel: string, min = 1, timeoutMs = 10_000): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL as string);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [, n] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
      if (Number(n) >= min) return;
      if (Date.now() > deadline) throw new Error(`no subscriber on ${channel} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    redis.disconnect();
  }
}
