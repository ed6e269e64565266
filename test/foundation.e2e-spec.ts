import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PING_COMPLETED } from '../src/system/system.service';
import {
  collectEvents,
  LoggedIn,
  loginAsAdmin,
  startTestApp,
  TestApp,
  waitForChannelSubscribers,
} from './support/test-app';

const SHARED_DATA = process.env.SHARED_DATA_DIR ?? join(__dirname, '..', '..', 'shared', 'data');

interface Ping {
  id: string;
  status: string;
  message: string;
  completedAt: string | null;
  workerPid: number | null;
}

describe('foundation: GraphQL over HTTP and WebSocket on the real stores', () => {
  let t: TestApp;
  // The diagnostics (requestPing, ping, pingCompleted) are ADMIN-only: these tests use the bootstrap admin.
  let admin: LoggedIn;

  beforeAll(async () => {
    t = await startTestApp({ GRAPHQL_MAX_COST: '300' });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers health with the store and Redis up', async () => {
    const res = await t.gql<{ health: Record<string, unknown> }>('{ health { status version store redis embedded } }');
    expect(res.status).toBe(200);
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(res.body.data?.health).toEqual({
      status: 'ok',
      version: pkg.version,
      store: 'up',
      redis: 'up',
      embedded: false,
    });
  });

  it('serves the fraud taxonomy with Chinese and English labels', async () => {
    const res = await t.gql<{
      fraudTypes: { code: string; labelZh: string; labelEn: string; taxonomyVersion: string }[];
    }>('{ fraudTypes { code labelZh labelEn taxonomyVersion } }');
    const types = res.body.data?.fraudTypes ?? [];
    expect(types.map((x) => x.code)).toEqual([
      'ORDER_BRUSHING',
      'FAKE_INVESTMENT',
      'FAKE_SHOPPING',
      'FAKE_CUSTOMER_SERVICE',
      'FAKE_LOAN',
      'FAKE_CREDIT_REPAIR',
      'IMPERSONATING_ACQUAINTANCE',
      'IMPERSONATING_AUTHORITIES',
      'ONLINE_ROMANCE',
      'GAME_TRADING',
      'OTHER',
    ]);
    expect(types.find((x) => x.code === 'ORDER_BRUSHING')?.labelZh).toBe('刷单返利');
    for (const ft of types) {
      expect(ft.labelZh.length).toBeGreaterThan(0);
      expect(ft.labelEn.length).toBeGreaterThan(0);
      expect(ft.taxonomyVersion).toBe('cn-2024.1');
    }
  });

  it('serves the 33 regions of the shared reference list, in its order', async () => {
    const csv = readFileSync(join(SHARED_DATA, 'dongguan-33-regions.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    const expected = csv.map((line, i) => {
      const [kind, nameZh, nameEn] = line.split(',');
      return { code: `DG${String(i + 1).padStart(2, '0')}`, kind, nameZh, nameEn };
    });
    const res = await t.gql<{ regions: unknown[] }>('{ regions { code kind nameZh nameEn } }');
    expect(res.body.data?.regions).toEqual(expected);
    expect(expected).toHaveLength(33);
  });

  describe('bad requests get typed errors, never a 500 or a stack trace', () => {
    const expectNoLeak = (body: unknown) => {
      const text = JSON.stringify(body);
      expect(text).not.toMatch(/stacktrace|at .*\.(js|ts):\d+|Mongo|mongoose|ECONNREFUSED/i);
    };

    it('syntax error -> 400 BAD_USER_INPUT', async () => {
      const res = await t.gql('{ health { status ');
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
      expectNoLeak(res.body);
    });

    it('unknown field -> BAD_USER_INPUT', async () => {
      const res = await t.gql('{ health { nope } }');
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('a variable of the wrong type -> BAD_USER_INPUT naming the variable', async () => {
      const res = await t.gql('query ($id: ID!) { ping(id: $id) { id } }', { id: { $gt: '' } });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    });

    it('a missing required variable -> BAD_USER_INPUT naming it', async () => {
      const res = await t.gql('query ($id: ID!) { ping(id: $id) { id } }', {});
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    });

    it('an argument failing validation -> BAD_USER_INPUT with extensions.field', async () => {
      const res = await t.gql(
        'mutation ($m: String!) { requestPing(message: $m) { id } }',
        { m: 'x'.repeat(201) },
        admin.headers,
      );
      expect(res.status).toBe(200);
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'message' });
      expect(res.body.data).toBeNull();
    });

    it('an unknown id -> NOT_FOUND', async () => {
      const res = await t.gql('{ ping(id: "no-such-ping") { id } }', {}, admin.headers);
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    });

    it('too costly -> QUERY_TOO_COMPLEX with HTTP 400 (cost limit 300 in this app)', async () => {
      const aliases = Array.from({ length: 80 }, (_, i) => `r${i}: regions { code nameZh nameEn kind }`).join(' ');
      const res = await t.gql(`{ ${aliases} }`);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxComplexity: 300 });
      expect(res.body.errors?.[0].extensions?.complexity).toBe(80 * 5);
      expect(res.body.data).toBeUndefined();
    });

    it('body over the size limit -> 413 BAD_USER_INPUT', async () => {
      const res = await fetch(`${t.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ health { status } }`, variables: { pad: 'x'.repeat(200 * 1024) } }),
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({
        errors: [{ message: 'Request body larger than the limit of 100kb', extensions: { code: 'BAD_USER_INPUT' } }],
      });
    });

    it('malformed JSON -> 400 BAD_USER_INPUT', async () => {
      const res = await fetch(`${t.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query": ',
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { extensions: unknown }[] }).errors[0].extensions).toEqual({
        code: 'BAD_USER_INPUT',
      });
    });

    it('a GET without a CSRF-safe header is refused, not executed', async () => {
      const res = await fetch(`${t.baseUrl}/graphql?query=${encodeURIComponent('{ health { status } }')}`);
      expect(res.status).toBe(400);
    });
  });

  it('runs a Bull job end to end and announces it over a WebSocket subscription', async () => {
    const client = t.ws(admin.connectionParams);
    const events = collectEvents<{ pingCompleted: Ping }>(
      client,
      'subscription { pingCompleted { id status message workerPid completedAt } }',
    );
    await waitForChannelSubscribers(PING_COMPLETED);
    const req = await t.gql<{ requestPing: Ping }>(
      'mutation { requestPing(message: "round trip") { id status message } }',
      {},
      admin.headers,
    );
    const queued = req.body.data?.requestPing as Ping;
    expect(queued.status).toBe('QUEUED');
    const [event] = await events;
    expect(event.pingCompleted).toMatchObject({
      id: queued.id,
      status: 'COMPLETED',
      message: 'round trip',
      workerPid: process.pid,
    });
    expect(Date.parse(event.pingCompleted.completedAt as string)).toBeGreaterThan(Date.now() - 60_000);
    const read = await t.gql<{ ping: Ping }>(
      'query ($id: ID!) { ping(id: $id) { id status workerPid } }',
      { id: queued.id },
      admin.headers,
    );
    expect(read.body.data?.ping).toEqual({ id: queued.id, status: 'COMPLETED', workerPid: process.pid });
  });

  it('serves /health, /ready and Prometheus /metrics with HTTP, GraphQL and queue figures', async () => {
    expect(await (await fetch(`${t.baseUrl}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.baseUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      details: { store: { status: 'up' }, redis: { status: 'up' } },
    });
    const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /^siqian_http_request_duration_seconds_count\{method="POST",route="\/graphql",status="2xx"\} \d+/m,
    );
    expect(metrics).toMatch(
      /^siqian_graphql_operation_duration_seconds_count\{type="query",operation="anonymous",outcome="ok"\} \d+/m,
    );
    expect(metrics).toMatch(/^siqian_graphql_operation_duration_seconds_count\{.*outcome="QUERY_TOO_COMPLEX"\} [1-9]/m);
    expect(metrics).toMatch(
      /^siqian_queue_job_outcomes_total\{queue="system",job="system.ping",outcome="completed"\} [1-9]/m,
    );
    expect(metrics).toMatch(/^siqian_queue_jobs\{queue="system",state="waiting"\} \d+/m);
  });
});

describe('foundation: limits and several API instances', () => {
  it('refuses an operation deeper than GRAPHQL_MAX_DEPTH with QUERY_TOO_COMPLEX, before running it', async () => {
    const t = await startTestApp({ GRAPHQL_MAX_DEPTH: '1' });
    try {
      const flat = await t.gql('{ __typename }');
      expect(flat.body.errors).toBeUndefined();
      const deep = await t.gql('mutation { requestPing(message: "must not run") { id } }');
      expect(deep.status).toBe(400);
      expect(deep.body.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', depth: 2, maxDepth: 1 });
      // Introspection stays usable while it is enabled: its own nesting is exempt.
      const intro = await t.gql('{ __schema { queryType { name fields { name type { kind ofType { name } } } } } }');
      expect(intro.body.errors).toBeUndefined();

      // The same limits and typed errors over WebSocket, where Apollo's own rules and plugins do not run.
      const ws = t.ws();
      const wsErrors = async (query: string) => {
        try {
          await collectEvents(ws, query);
          return undefined;
        } catch (e) {
          return JSON.parse((e as Error).message) as { extensions?: Record<string, unknown> }[];
        }
      };
      expect(await wsErrors('{ __typename }')).toBeUndefined();
      expect((await wsErrors('{ health { status } }'))?.[0].extensions).toMatchObject({
        code: 'QUERY_TOO_COMPLEX',
        depth: 2,
        maxDepth: 1,
      });
      expect((await wsErrors('{ health { status '))?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
      expect((await wsErrors('{ nope }'))?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
    } finally {
      await t.close();
    }
  });

  it('shares subscription events and jobs between instances through Redis', async () => {
    const db = `e2e_pair_${process.pid}`;
    const prefix = `e2e-pair-${process.pid}`;
    const a = await startTestApp({ WORKER_IN_API: 'true' }, { database: db, queuePrefix: prefix });
    const b = await startTestApp({ WORKER_IN_API: 'false' }, { database: db, queuePrefix: prefix });
    try {
      const [adminA, adminB] = [await loginAsAdmin(a), await loginAsAdmin(b)];
      const events = collectEvents<{ pingCompleted: Ping }>(
        b.ws(adminB.connectionParams),
        'subscription { pingCompleted { id status } }',
      );
      await waitForChannelSubscribers(PING_COMPLETED);
      // Requested on B (which runs no worker); run by A's worker; announced to B's subscriber over Redis.
      const req = await b.gql<{ requestPing: Ping }>(
        'mutation { requestPing(message: "pair") { id } }',
        {},
        adminB.headers,
      );
      const id = req.body.data?.requestPing.id;
      const [event] = await events;
      expect(event.pingCompleted).toEqual({ id, status: 'COMPLETED' });
      const onA = await a.gql<{ ping: Ping }>('query ($id: ID!) { ping(id: $id) { status } }', { id }, adminA.headers);
      expect(onA.body.data?.ping.status).toBe('COMPLETED');
    } finally {
      await b.close();
      await a.close();
    }
  });
});
