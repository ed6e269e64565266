/**
 * The cost limit counts what a resolver reads (a scan costs SCAN_COST, a primary-key read its page), and the
 * store stops a request's query at STORE_QUERY_TIMEOUT_MS: the request answers QUERY_TOO_COMPLEX (reason STORE_TIMEOUT) and the embedded store
 * stops working on it, where without the limit it goes on for the client that left.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withQueryTimeLimit } from '../src/database/query-time-limit';
import { storeOf } from './support/reports';
import { submitReportId, waitClusters } from './support/staff';
import { LoggedIn, loginAsAdmin, startTestApp, subscribeOnce, TestApp } from './support/test-app';

const aliases = (n: number, field: string) => Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ');

describe('cost limit: a scan costs what it reads', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let clusterId: string;

  beforeAll(async () => {
    t = await startTestApp({ SUBMIT_RATE_PER_IP: '100000', SUBMIT_RATE_PER_REPORTER: '100000' });
    admin = await loginAsAdmin(t);
    const phone = [{ kind: 'PHONE', value: '13700001111' }];
    const ids = [await submitReportId(t, phone), await submitReportId(t, phone)];
    [clusterId] = await waitClusters(t, admin, ids);
  });
  afterAll(() => t.close());

  it.each([['clusters of single reports', 'clusters(first: 1, filter: { minSize: 1 }) { totalCount }']])(
    'refuses 10 aliases of a scanned count (%s) with QUERY_TOO_COMPLEX, before running them',
    async (_, field) => {
      const res = await t.gql(`{ ${aliases(10, field)} }`, {}, admin.headers);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxComplexity: 5000 });
      expect(res.body.errors?.[0].extensions?.complexity).toBeGreaterThan(10 * 1000);
      expect(res.body.data).toBeUndefined();
    },
  );

  it.each([
    ['explainLink', 60, 'explainLink(fromReportId: "a", toReportId: "b") { truncated }'],
    ['identifier { clusterIds }', 120, 'identifier(kind: PHONE, value: "13700001111") { clusterIds }'],
  ])('prices a bounded walk by its bound: %s x%i is refused', async (_, n, field) => {
    const res = await t.gql(`{ ${aliases(n, field)} }`, {}, admin.headers);
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    const few = await t.gql(`{ ${aliases(3, field)} }`, {}, admin.headers);
    expect(few.body.errors?.[0]?.extensions?.code).not.toBe('QUERY_TOO_COMPLEX');
  });

  it.each([
    ['clusters', 'clusters(first: 1) { totalCount }', 1],
    ['reports', 'reports(first: 1) { totalCount }', 2],
    ['auditLog', 'auditLog(first: 1, filter: { action: "LOGIN_SUCCEEDED" }) { totalCount }', 1],
    ['linkJudgements', 'linkJudgements(first: 1) { totalCount }', 0],
    ['users', 'users(first: 1) { totalCount }', 1],
    ['hubIdentifiers', 'hubIdentifiers(first: 1) { totalCount }', 0],
  ])('runs 10 aliases of a count the list index answers (%s), each exact', async (_, field, count) => {
    const res = await t.gql<Record<string, { totalCount: number }>>(`{ ${aliases(10, field)} }`, {}, admin.headers);
    expect(res.body.errors).toBeUndefined();
    expect(Object.values(res.body.data ?? {}).map((r) => r.totalCount)).toEqual(new Array(10).fill(count));
  });

  it('runs a request of the same size that reads by primary key (a cluster member page with its count)', async () => {
    const res = await t.gql<Record<string, { totalCount: number }>>(
      `query ($c: ID!) { ${aliases(10, 'reports(filter: { clusterId: $c }, first: 1) { totalCount }')} }`,
      { c: clusterId },
      admin.headers,
    );
    expect(res.body.errors).toBeUndefined();
    expect(Object.values(res.body.data ?? {}).map((r) => r.totalCount)).toEqual(new Array(10).fill(2));
  });

  it('runs a few different scans in one request (a staff dashboard)', async () => {
    const res = await t.gql(
      '{ clusters(first: 1) { totalCount } reports(first: 1) { totalCount } users(first: 1) { totalCount } auditLog(first: 1) { totalCount } }',
      {},
      admin.headers,
    );
    expect(res.body.errors).toBeUndefined();
  });
});

/** CPU seconds the embedded FerretDB has used so far (utime + stime from /proc). */
function storeCpuSeconds(): number {
  const dir = process.env.SIQIAN_E2E_DATA_DIR;
  if (!dir) throw new Error('this spec needs the embedded stores of test/global-setup.ts');
  const { ferretdbPid } = JSON.parse(readFileSync(join(dir, 'stores.json'), 'utf8')) as { ferretdbPid: number };
  const fields = readFileSync(`/proc/${ferretdbPid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // fields 14 and 15 of stat(5), in clock ticks
}

async function cpuDuring(ms: number): Promise<number> {
  const before = storeCpuSeconds();
  await new Promise((r) => setTimeout(r, ms));
  return storeCpuSeconds() - before;
}

/** Waits until the store is idle (less than 50 ms of CPU in 500 ms), at most 60 s. */
async function storeIdle(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await cpuDuring(500)) >= 0.05) if (Date.now() > deadline) throw new Error('the store never went idle');
}

describe('time limit: the store stops a request query at STORE_QUERY_TIMEOUT_MS', () => {
  const database = `e2e_limits_${process.pid}`;
  let limited: TestApp;
  let unlimited: TestApp;
  let admin: LoggedIn;
  let adminUnlimited: LoggedIn;
  // the one staff list that still scans (clusters with single reports: every live cluster), on 8,000 seeded
  // cluster documents: its page and its count read every one (the other lists read the list index)
  const SCAN = '{ clusters(filter: { minSize: 1 }, first: 1) { totalCount edges { node { id } } } }';

  beforeAll(async () => {
    limited = await startTestApp({ STORE_QUERY_TIMEOUT_MS: '100' }, { database });
    unlimited = await startTestApp({ STORE_QUERY_TIMEOUT_MS: '0', WORKER_IN_API: 'false' }, { database });
    admin = await loginAsAdmin(limited);
    adminUnlimited = await loginAsAdmin(unlimited);
    const clusters = storeOf(limited).collection('link_clusters');
    const pad = 'x'.repeat(2_000);
    for (let i = 0; i < 8_000; i += 50) {
      await clusters.insertMany(
        Array.from({ length: 50 }, (_, j) => ({
          _id: `seed-${String(i + j).padStart(6, '0')}|1` as never,
          size: 1,
          summary: { byRegion: { DG01: 1 }, byFraudType: { OTHER: 1 }, lossFen: 0 },
          source: 'SEED',
          regionCode: 'DG01',
          fraudType: 'OTHER',
          narrative: pad,
          identifiers: [],
          createdAt: new Date(),
        })),
      );
    }
  }, 300_000);
  afterAll(async () => {
    await limited.close();
    await unlimited.close();
  });

  it('without a limit, a request the client abandoned keeps the store busy', async () => {
    await storeIdle();
    const abort = new AbortController();
    const pending = fetch(`${unlimited.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...adminUnlimited.headers },
      body: JSON.stringify({ query: SCAN }),
      signal: abort.signal,
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    abort.abort();
    await pending;
    // the client is gone; the store still scans for it
    expect(await cpuDuring(1_000)).toBeGreaterThan(0.3);
    await storeIdle();
  }, 120_000);

  it('an unsorted scan read batch by batch is stopped too (FerretDB limits only the first batch itself)', async () => {
    const clusters = storeOf(limited).collection('link_clusters');
    await storeIdle();
    let started = Date.now();
    expect(await clusters.find({ source: 'SEED' }).toArray()).toHaveLength(8_000); // outside a request: no limit
    expect(Date.now() - started).toBeGreaterThan(300);
    await storeIdle();
    started = Date.now();
    const stopped = await withQueryTimeLimit(100, () => clusters.find({ source: 'SEED' }).toArray()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(stopped).toMatchObject({ code: 50, codeName: 'MaxTimeMSExpired' });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(await cpuDuring(1_000)).toBeLessThan(0.1);
  }, 60_000);

  it('with a limit, the request answers TIMEOUT and the store stops working on it', async () => {
    await storeIdle();
    const started = Date.now();
    const res = await limited.gql(SCAN, {}, admin.headers);
    const took = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.errors?.[0]).toMatchObject({
      path: ['clusters'],
      extensions: { code: 'QUERY_TOO_COMPLEX', reason: 'STORE_TIMEOUT' },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/MaxTimeMS|exceeded time limit|Executor/i);
    expect(took).toBeLessThan(3_000);
    // nothing left running: the store is idle right after the answer
    expect(await cpuDuring(1_000)).toBeLessThan(0.1);
    // the same over WebSocket (graphql-ws runs the operation outside the HTTP middleware)
    const ws = await subscribeOnce(limited.ws(admin.connectionParams), SCAN, 10_000);
    expect(ws.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', reason: 'STORE_TIMEOUT' });
    // and a primary-key read of the same request kind still answers
    const one = await limited.gql<{ report: { id: string } | null }>(
      '{ report(id: "seed-000001") { id } }',
      {},
      admin.headers,
    );
    expect(one.body.errors).toBeUndefined();
  }, 60_000);
});
