/**
 * The staff lists read through the list index (src/store/list-index.ts): every page of `reports`, `clusters` and
 * `auditLog` equals the answer computed from the store's own documents, paging reaches every entry exactly once,
 * the counts are exact, and `siqian reindex` rebuilds a lost index (`--verify` finds a missing entry).
 */
import type Redis from 'ioredis';
import { REDIS } from '../src/redis/redis.module';
import { cliOf } from './support/cli';
import { storeOf } from './support/reports';
import { startLinkingScenario, submitReportId, waitClusters } from './support/staff';
import type { LoggedIn, TestApp } from './support/test-app';

interface Page<N> {
  totalCount: number;
  edges: { node: N; cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Every page of a connection, `first` at a time: the nodes in order and the totalCount of each page. */
async function allPages<N>(
  t: TestApp,
  who: LoggedIn,
  field: string,
  args: string,
  selection: string,
  first: number,
): Promise<{ nodes: N[]; totals: number[] }> {
  const nodes: N[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const res: { body: { data?: Record<string, Page<N>> | null; errors?: unknown } } = await t.gql<
      Record<string, Page<N>>
    >(
      `query ($after: String) { ${field}(first: ${first}, after: $after${args}) { totalCount edges { cursor node { ${selection} } } pageInfo { hasNextPage endCursor } } }`,
      { after },
      who.headers,
    );
    if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
    const page = res.body.data[field];
    nodes.push(...page.edges.map((e) => e.node));
    totals.push(page.totalCount);
    if (!page.pageInfo.hasNextPage) return { nodes, totals };
    after = page.pageInfo.endCursor;
  }
  throw new Error('more than 100 pages');
}

describe('staff lists on the list index', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let inv1: LoggedIn;
  let inv2: LoggedIn;
  let redis: Redis;

  beforeAll(async () => {
    ({ t, admin, inv1, inv2 } = await startLinkingScenario('lists-', 'lists-password-123', {
      DEGREE_CAPS: 'PHONE=50,WECHAT_ID=50',
      // waitClusters polls the 15 reports at once, which keeps the front door busy: jobs must not yield to it
      // (they would wait up to WORKER_YIELD_MAX_MS, 30 s, and the last reports be linked after the deadline)
      WORKER_YIELD_MAX_MS: '0',
    }));
    redis = t.app.get<Redis>(REDIS, { strict: false });
    const ids: string[] = [];
    const add = async (n: number, identifiers: { kind: string; value: string }[], over: Record<string, unknown>) => {
      // each from a reporter of its own: not a repeat of the previous one
      for (let i = 0; i < n; i++)
        ids.push(
          await submitReportId(t, identifiers, {
            loss: String(100 * (i + 1)),
            reporterContact: `reporter${ids.length}@example.com`,
            ...over,
          }),
        );
    };
    // three rings and three single reports, in two units, of three fraud types
    await add(5, [{ kind: 'PHONE', value: '13700000001' }], { regionCode: 'DG01', fraudType: 'FAKE_LOAN' });
    await add(3, [{ kind: 'PHONE', value: '13700000002' }], { regionCode: 'DG02', fraudType: 'FAKE_INVESTMENT' });
    await add(2, [{ kind: 'WECHAT_ID', value: 'ring_three' }], { regionCode: 'DG01', fraudType: 'FAKE_INVESTMENT' });
    await add(2, [{ kind: 'WECHAT_ID', value: 'ring_three' }], { regionCode: 'DG02', fraudType: 'FAKE_LOAN' });
    await add(1, [{ kind: 'PHONE', value: '13700000004' }], { regionCode: 'DG01', fraudType: 'FAKE_LOAN' });
    await add(1, [{ kind: 'PHONE', value: '13700000005' }], { regionCode: 'DG02', fraudType: 'FAKE_LOAN' });
    await add(1, [{ kind: 'PHONE', value: '13700000006' }], { regionCode: 'DG01', fraudType: 'FAKE_INVESTMENT' });
    await waitClusters(t, admin, ids);
  }, 120_000);
  afterAll(() => t.close());

  /** The store's answer: reports of `regions` matching the filter, by id. */
  async function expectedReports(regions: string[] | null, q: Record<string, string>): Promise<string[]> {
    const filter: Record<string, unknown> = { ...q };
    if (regions)
      filter.regionCode = q.regionCode ? (regions.includes(q.regionCode) ? q.regionCode : '-') : { $in: regions };
    const docs = await storeOf(t)
      .collection('reports')
      .find(filter, { projection: { _id: 1 } })
      .toArray();
    return docs.map((d) => String(d._id)).sort();
  }

  it.each([
    ['no filter', {}],
    ['a region', { regionCode: 'DG02' }],
    ['a fraud type', { fraudType: 'FAKE_LOAN' }],
    ['a source', { source: 'public' }],
    ['all three', { regionCode: 'DG01', fraudType: 'FAKE_INVESTMENT', source: 'public' }],
  ])('reports (%s): every page, each report once, in id order, exact totalCount', async (_, q) => {
    const filter = Object.entries(q)
      .map(([k, v]) => `${k}: ${k === 'fraudType' ? v : JSON.stringify(v)}`)
      .join(', ');
    const args = filter ? `, filter: { ${filter} }` : '';
    for (const [who, regions] of [
      [admin, null],
      [inv1, ['DG01', 'EXTERNAL']],
      [inv2, ['DG02', 'EXTERNAL']],
    ] as const) {
      const want = await expectedReports(regions ? [...regions] : null, q);
      const { nodes, totals } = await allPages<{ id: string }>(t, who, 'reports', args, 'id', 3);
      expect(nodes.map((n) => n.id)).toEqual(want);
      expect(new Set(totals)).toEqual(new Set([want.length]));
    }
  });

  it('a report submitted after the index was built is listed at once it is indexed', async () => {
    const before = (await allPages<{ id: string }>(t, admin, 'reports', '', 'id', 50)).nodes.length;
    const id = await submitReportId(t, [{ kind: 'PHONE', value: '13700000009' }], { regionCode: 'DG02' });
    await waitClusters(t, admin, [id]);
    const after = (await allPages<{ id: string }>(t, admin, 'reports', '', 'id', 50)).nodes.map((n) => n.id);
    expect(after).toHaveLength(before + 1);
    expect(after).toContain(id);
  });

  it.each(['SIZE', 'LOSS', 'RECENT', 'GROWTH'])(
    'clusters by %s: the index answers what the scan of every cluster answers, page by page',
    async (sort) => {
      for (const who of [admin, inv1, inv2]) {
        // minSize 1 reads every cluster (the scan); the index holds the clusters of two or more reports
        const scan = await allPages<{ id: string; reportCount: number }>(
          t,
          who,
          'clusters',
          `, sort: ${sort}, filter: { minSize: 1 }`,
          'id reportCount',
          50,
        );
        const want = scan.nodes.filter((n) => n.reportCount >= 2).map((n) => n.id);
        expect(want.length).toBeGreaterThan(0);
        const got = await allPages<{ id: string }>(t, who, 'clusters', `, sort: ${sort}`, 'id', 2);
        expect(got.nodes.map((n) => n.id)).toEqual(want);
        expect(new Set(got.totals)).toEqual(new Set([want.length]));
      }
    },
  );

  it.each(['RECENT', 'GROWTH', 'SIZE'])(
    'clusters by %s with bounds and filters the sort does not serve: checked cluster by cluster, counts exact',
    async (sort) => {
      const filter = 'filter: { minSize: 3, fraudType: FAKE_LOAN, regionCode: "DG01", minLoss: "1" }';
      const scan = await allPages<{ id: string; reportCount: number }>(
        t,
        admin,
        'clusters',
        `, sort: ${sort}, filter: { minSize: 1, fraudType: FAKE_LOAN, regionCode: "DG01", minLoss: "1" }`,
        'id reportCount',
        50,
      );
      const want = scan.nodes.filter((n) => n.reportCount >= 3).map((n) => n.id);
      // the DG01 ring of five and the ring of four across DG01 and DG02
      expect(want).toHaveLength(2);
      const got = await allPages<{ id: string }>(t, admin, 'clusters', `, sort: ${sort}, ${filter}`, 'id', 1);
      expect(got.nodes.map((n) => n.id)).toEqual(want);
      expect(new Set(got.totals)).toEqual(new Set([2]));
    },
  );

  it('auditLog: the newest entries first, each once, exact with one, two and three filters', async () => {
    const entries = storeOf(t).collection('audit_log');
    const e = await entries.findOne({ action: 'LOGIN_SUCCEEDED', actorId: { $exists: true } });
    for (const q of [
      { action: 'LOGIN_SUCCEEDED' },
      { action: 'LOGIN_SUCCEEDED', objectType: e?.objectType },
      { action: 'LOGIN_SUCCEEDED', objectType: e?.objectType, actorId: e?.actorId },
    ]) {
      const want = (await entries.find(q, { projection: { _id: 1 } }).toArray())
        .map((d) => String(d._id))
        .sort()
        .reverse();
      expect(want.length).toBeGreaterThan(0);
      const filter = Object.entries(q)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join(', ');
      const got = await allPages<{ id: string }>(t, admin, 'auditLog', `, filter: { ${filter} }`, 'id', 2);
      expect(got.nodes.map((n) => n.id)).toEqual(want);
      expect(new Set(got.totals)).toEqual(new Set([want.length]));
    }
  });

  it('users: every filter and scope equals the store, each user once, a disabled user leaves the default list', async () => {
    const store = storeOf(t).collection('users');
    const sup = await t.gql<{ users: { edges: { node: { id: string; email: string } }[] } }>(
      '{ users(first: 50) { edges { node { id email } } } }',
      {},
      admin.headers,
    );
    const inv2Id = sup.body.data?.users.edges.find((e) => e.node.email.startsWith('lists-inv2'))?.node.id;
    const off = await t.gql(
      'mutation ($i: UserStatusInput!) { disableUser(input: $i) { id } }',
      { i: { userId: inv2Id, reason: 'left the unit' } },
      admin.headers,
    );
    expect(off.body.errors).toBeUndefined();
    for (const [args, q] of [
      ['', {}],
      [', filter: { includeDisabled: true }', { includeDisabled: true }],
      [', filter: { role: INVESTIGATOR, includeDisabled: true }', { includeDisabled: true, roles: 'INVESTIGATOR' }],
      [', filter: { unitCode: "DG01" }', { unitCodes: 'DG01' }],
    ] as const) {
      const filter: Record<string, unknown> = { ...q };
      if (!('includeDisabled' in q)) filter.disabled = false;
      delete filter.includeDisabled;
      const want = (await store.find(filter, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)).sort();
      const got = await allPages<{ id: string }>(t, admin, 'users', args, 'id', 1);
      expect(got.nodes.map((n) => n.id)).toEqual(want);
      expect(new Set(got.totals)).toEqual(new Set([want.length]));
    }
    expect((await allPages<{ id: string }>(t, admin, 'users', '', 'id', 50)).nodes.map((n) => n.id)).not.toContain(
      inv2Id,
    );
  });

  it('siqian reindex --verify finds an entry Redis lost; siqian reindex rebuilds every list', async () => {
    const cli = cliOf(t);
    const clean = await cli('reindex', '--verify');
    expect(clean.stdout.match(/0 entries missing, 0 extra/g)).toHaveLength(6);
    expect(clean.status).toBe(0);
    const [one] = await expectedReports(['DG01'], {});
    expect(await redis.zrem(`${t.cfg.queue.prefix}:li:reports:k:DG01`, one)).toBe(1);
    const broken = await cli('reindex', '--verify');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(`missing reports DG01 ${one}`);
    expect(broken.stdout).toMatch(/reindex --verify reports: \d+ records, \d+ keys; 1 entries missing, 0 extra/);
    const before = await allPages<{ id: string }>(t, admin, 'clusters', '', 'id', 50);
    const rebuilt = await cli('reindex');
    expect(rebuilt.status).toBe(0);
    expect(rebuilt.stdout).toMatch(/reindex reports: \d+ records/);
    expect(rebuilt.stdout).toMatch(/reindex clusters: \d+ records/);
    expect(rebuilt.stdout).toMatch(/reindex hubs: \d+ records/);
    expect(rebuilt.stdout).toMatch(/reindex audit: \d+ records/);
    expect(rebuilt.stdout).toMatch(/reindex users: \d+ records/);
    expect(rebuilt.stdout).toMatch(/reindex cases: \d+ records/);
    expect((await cli('reindex', '--verify')).status).toBe(0);
    const reports = await allPages<{ id: string }>(t, admin, 'reports', '', 'id', 50);
    expect(reports.nodes.map((n) => n.id)).toEqual(await expectedReports(null, {}));
    expect((await allPages<{ id: string }>(t, admin, 'clusters', '', 'id', 50)).nodes).toEqual(before.nodes);
  }, 600_000);
});
