/**
 * Targeted examples and cost tests of the linking engine (the random scenarios are in engine.property.spec.ts).
 */
import { DEFAULT_DEGREE_CAPS, identifierKey, warninglistLookup, type IdentifierKind } from '../../identifiers';
import { LinkingEngine } from './engine';
import { checkInvariants } from './invariants';
import { verifyStore } from './reference';
import { InMemoryLinkStore } from './store';
import { newReport, storedPartition } from '../../../test/support/link-model';

const CAPS = { ...DEFAULT_DEGREE_CAPS, PHONE: 3, BANK_ACCOUNT: 3, DOMAIN: 3 };

function realWarninglist(key: string): boolean {
  const i = key.indexOf(':');
  return warninglistLookup({ kind: key.slice(0, i) as IdentifierKind, value: key.slice(i + 1) }) !== undefined;
}

function setup(opts: { pageSize?: number; caps?: Record<string, number> } = {}) {
  const store = new InMemoryLinkStore();
  const engine = new LinkingEngine(store, {
    caps: opts.caps ?? CAPS,
    isWarninglisted: realWarninglist,
    pageSize: opts.pageSize ?? 4,
  });
  const consistent = async () => {
    expect(checkInvariants(store, engine)).toEqual([]);
    expect(
      (await verifyStore(store, { caps: opts.caps ?? CAPS, isWarninglisted: realWarninglist })).differences,
    ).toEqual([]);
  };
  return { store, engine, consistent };
}

const P = (n: number) => identifierKey('PHONE', `+86138000000${String(n).padStart(2, '0')}`);
const B = (n: number) => identifierKey('BANK_ACCOUNT', `62220000000000${n}`);

describe('LinkingEngine examples', () => {
  it('creates, grows and merges clusters and reports the events', async () => {
    const { engine, store, consistent } = setup();
    expect(await engine.addReport(newReport('r1', [P(1)]))).toEqual([
      { type: 'CREATED', clusterId: expect.any(String), size: 1 },
    ]);
    const c1 = store.reports.get('r1')!.clusterId;
    expect(await engine.addReport(newReport('r2', [P(1)]))).toEqual([{ type: 'GREW', clusterId: c1, size: 2 }]);
    await engine.addReport(newReport('r3', [B(1)]));
    const c3 = store.reports.get('r3')!.clusterId;
    expect(await engine.addReport(newReport('r4', [P(1), B(1)]))).toEqual([
      { type: 'MERGED', clusterId: c1, mergedFrom: [c3], size: 4 },
    ]);
    expect((await engine.find(c3))._id).toBe(c1);
    expect(storedPartition(store)).toEqual([['r1', 'r2', 'r3', 'r4']]);
    await consistent();
  });

  it('an identifier crossing its cap becomes a HUB and its cluster is split', async () => {
    const { engine, store, consistent } = setup();
    for (let i = 1; i <= 3; i++) await engine.addReport(newReport(`r${i}`, [P(1), B(i)]));
    expect(storedPartition(store)).toEqual([['r1', 'r2', 'r3']]);
    const before = store.reports.get('r1')!.clusterId;
    const events = await engine.addReport(newReport('r4', [P(1)]));
    expect(events[0]).toEqual({
      type: 'SPLIT',
      clusterId: before,
      splitInto: [expect.any(String), expect.any(String), expect.any(String)],
      size: 3,
    });
    expect(events[1]).toMatchObject({ type: 'CREATED', size: 1 });
    expect(store.identifiers.get(P(1))).toMatchObject({ degree: 4, status: 'HUB' });
    expect(store.identifiers.get(P(1))!.clusterId).toBeUndefined();
    expect(storedPartition(store)).toEqual([['r1'], ['r2'], ['r3'], ['r4']]);
    expect(store.clusters.get(before)).toMatchObject({ dead: true, size: 0 });
    await consistent();
  });

  it('ALWAYS on a hub merges all its reports; DEFAULT splits them again; NEVER never links', async () => {
    const { engine, store, consistent } = setup();
    for (let i = 1; i <= 5; i++) await engine.addReport(newReport(`r${i}`, [P(1)]));
    expect(storedPartition(store)).toHaveLength(5);
    const merged = await engine.setPolicy(P(1), 'ALWAYS');
    expect(merged).toEqual([expect.objectContaining({ type: 'MERGED', size: 5 })]);
    expect(storedPartition(store)).toEqual([['r1', 'r2', 'r3', 'r4', 'r5']]);
    expect(store.identifiers.get(P(1))!.status).toBe('ACTIVE');
    await consistent();
    expect(await engine.setPolicy(P(1), 'DEFAULT')).toEqual([expect.objectContaining({ type: 'SPLIT', size: 5 })]);
    expect(storedPartition(store)).toHaveLength(5);
    await engine.addReport(newReport('x1', [P(2)]));
    await engine.setPolicy(P(2), 'NEVER');
    await engine.addReport(newReport('x2', [P(2)]));
    expect(store.reports.get('x1')!.clusterId).not.toBe(store.reports.get('x2')!.clusterId);
    expect(store.identifiers.get(P(2))!.status).toBe('NEVER');
    await consistent();
  });

  it('detaching a bridge splits the cluster, reattach merges it back', async () => {
    const { engine, store, consistent } = setup();
    await engine.addReport(newReport('r1', [P(1)]));
    await engine.addReport(newReport('r2', [P(1), B(1)]));
    await engine.addReport(newReport('r3', [B(1)]));
    expect(storedPartition(store)).toEqual([['r1', 'r2', 'r3']]);
    expect(await engine.detach('r2', B(1))).toEqual([expect.objectContaining({ type: 'SPLIT', size: 3 })]);
    expect(storedPartition(store)).toEqual([['r1', 'r2'], ['r3']]);
    expect(store.reports.get('r2')).toMatchObject({ identifierKeys: [P(1)], detachedKeys: [B(1)] });
    expect(store.identifiers.get(B(1))!.degree).toBe(1);
    await consistent();
    expect(await engine.detach('r2', B(1))).toEqual([]);
    expect(await engine.reattach('r2', B(1))).toEqual([expect.objectContaining({ type: 'MERGED', size: 3 })]);
    expect(storedPartition(store)).toEqual([['r1', 'r2', 'r3']]);
    await consistent();
  });

  it('a detach that brings a HUB back to its cap makes it link again', async () => {
    const { engine, store, consistent } = setup();
    for (let i = 1; i <= 4; i++) await engine.addReport(newReport(`r${i}`, [P(1)]));
    expect(storedPartition(store)).toHaveLength(4);
    await engine.detach('r4', P(1));
    expect(storedPartition(store)).toEqual([['r1', 'r2', 'r3'], ['r4']]);
    await consistent();
  });

  it('warninglisted values never link, whatever the policy (emergency number, platform domain)', async () => {
    const { engine, store, consistent } = setup();
    const police = identifierKey('PHONE', 'CN:110');
    const twitter = identifierKey('DOMAIN', 'twitter.com');
    expect(realWarninglist(police)).toBe(true);
    expect(realWarninglist(twitter)).toBe(true);
    await engine.addReport(newReport('r1', [police, twitter]));
    await engine.addReport(newReport('r2', [police, twitter]));
    await engine.setPolicy(twitter, 'ALWAYS');
    expect(storedPartition(store)).toEqual([['r1'], ['r2']]);
    expect(store.identifiers.get(twitter)).toMatchObject({ status: 'WARNINGLISTED', degree: 2 });
    // a list update that removes the entry makes it link
    await engine.setWarninglisted(twitter, false);
    expect(storedPartition(store)).toEqual([['r1', 'r2']]);
    await engine.setWarninglisted(twitter, true);
    expect(storedPartition(store)).toEqual([['r1'], ['r2']]);
    await consistent();
  });

  it('explicit links merge and unlinking splits', async () => {
    const { engine, store, consistent } = setup();
    await engine.addReport(newReport('r1', [P(1)]));
    await engine.addReport(newReport('r2', []));
    expect(await engine.linkReports('r1', 'r2')).toEqual([expect.objectContaining({ type: 'MERGED', size: 2 })]);
    expect(await engine.linkReports('r2', 'r1')).toEqual([]);
    expect(storedPartition(store)).toEqual([['r1', 'r2']]);
    expect(await engine.unlinkReports('r1', 'r2')).toEqual([expect.objectContaining({ type: 'SPLIT' })]);
    expect(storedPartition(store)).toEqual([['r1'], ['r2']]);
    await expect(engine.linkReports('r1', 'r1')).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(engine.linkReports('r1', 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await consistent();
  });

  it('keeps the summary exact: loss in fen, distinct victims across merges and splits, counts', async () => {
    const { engine, store, consistent } = setup();
    const big = 2 ** 52;
    await engine.addReport(
      newReport('r1', [P(1)], {
        victimKey: 'alice',
        lossFen: big,
        fraudType: 'FAKE_LOAN',
        occurredAt: '2026-03-02T00:00:00.000Z',
      }),
    );
    await engine.addReport(
      newReport('r2', [B(1)], {
        victimKey: 'alice',
        lossFen: 1,
        fraudType: 'ORDER_BRUSHING',
        occurredAt: '2026-03-01T00:00:00.000Z',
      }),
    );
    await engine.addReport(newReport('r3', [B(1)], { victimKey: 'bob', lossFen: 7, regionCode: 'DG02' }));
    expect(store.clusters.get(store.reports.get('r1')!.clusterId)!.crossVictims).toEqual(['alice']);
    await engine.addReport(
      newReport('r4', [P(1), B(1)], { victimKey: 'bob', lossFen: 0, occurredAt: '2026-03-05T00:00:00.000Z' }),
    );
    const c = await engine.clusterOf('r1');
    expect(c!.summary).toMatchObject({
      reportCount: 4,
      victimCount: 2,
      lossFen: big + 8,
      byFraudType: { FAKE_LOAN: 3, ORDER_BRUSHING: 1 },
      byRegion: { DG01: 3, DG02: 1 },
      firstReportAt: '2026-01-01T00:00:00.000Z',
      lastReportAt: '2026-03-05T00:00:00.000Z',
      topIdentifiers: [
        { key: B(1), degree: 3 },
        { key: P(1), degree: 2 },
      ],
    });
    expect(c!.crossVictims).toEqual([]);
    await consistent();
    await engine.detach('r4', P(1));
    expect(storedPartition(store)).toEqual([['r1'], ['r2', 'r3', 'r4']]);
    expect((await engine.clusterOf('r1'))!.summary).toMatchObject({ victimCount: 1, lossFen: big });
    expect((await engine.clusterOf('r2'))!.summary).toMatchObject({ victimCount: 2, lossFen: 8 });
    await consistent();
  });

  it('a report without a victimKey is its own victim: counted once, never shared, no victim document', async () => {
    const { engine, store, consistent } = setup();
    const own = { victimKey: undefined };
    await engine.addReport(newReport('r1', [P(1)], own));
    await engine.addReport(newReport('r2', [P(1)], own));
    await engine.addReport(newReport('r3', [B(1)], { victimKey: 'carol' }));
    await engine.addReport(newReport('r4', [B(1)], own));
    expect((await engine.clusterOf('r1'))!.summary.victimCount).toBe(2);
    await engine.addReport(newReport('r5', [P(1), B(1)], { victimKey: 'carol' }));
    const merged = await engine.clusterOf('r1');
    expect(merged!.summary).toMatchObject({ reportCount: 5, victimCount: 4 }); // r1, r2, r4 and carol
    expect(merged!.crossVictims).toEqual([]);
    expect([...store.victims.keys()]).toEqual(['carol']);
    await consistent();
    await engine.detach('r5', P(1));
    expect(storedPartition(store)).toEqual([
      ['r1', 'r2'],
      ['r3', 'r4', 'r5'],
    ]);
    expect((await engine.clusterOf('r1'))!.summary.victimCount).toBe(2);
    expect((await engine.clusterOf('r3'))!.summary.victimCount).toBe(2);
    await consistent();
  });

  it('rejects bad input', async () => {
    const { engine } = setup();
    await expect(engine.addReport(newReport('r1', ['NOKIND']))).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(engine.addReport(newReport('r1', ['SHOE:1']))).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(engine.addReport(newReport('r1', [], { lossFen: 0.5 }))).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(engine.addReport(newReport('r1', [], { regionCode: 'a.b' }))).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    await expect(engine.detach('nope', P(1))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('verifyStore reports a corrupted assignment', async () => {
    const { engine, store } = setup();
    await engine.addReport(newReport('r1', [P(1)]));
    await engine.addReport(newReport('r2', [P(1)]));
    await engine.addReport(newReport('r3', [P(2)]));
    const r2 = store.reports.get('r2')!;
    store.reports.set('r2', { ...r2, clusterId: store.reports.get('r3')!.clusterId });
    const result = await verifyStore(store, { caps: CAPS });
    expect(result.ok).toBe(false);
    expect(result.differences.map((d) => d.kind).sort()).toEqual([
      'MISSING_MERGE',
      'MISSING_SPLIT',
      'SIZE_MISMATCH',
      'SIZE_MISMATCH',
    ]);
  });
});

describe('graph queries', () => {
  it('explainLink returns the shortest report → identifier → report path, null across clusters', async () => {
    const { engine } = setup();
    await engine.addReport(newReport('r1', [P(1)]));
    await engine.addReport(newReport('r2', [P(1), B(1)]));
    await engine.addReport(newReport('r3', [B(1), P(2)]));
    await engine.addReport(newReport('r4', [P(2)]));
    await engine.addReport(newReport('other', [P(9)]));
    expect(await engine.explainLink('r1', 'r4')).toEqual({
      steps: [
        { type: 'REPORT', id: 'r1' },
        { type: 'IDENTIFIER', id: P(1) },
        { type: 'REPORT', id: 'r2' },
        { type: 'IDENTIFIER', id: B(1) },
        { type: 'REPORT', id: 'r3' },
        { type: 'IDENTIFIER', id: P(2) },
        { type: 'REPORT', id: 'r4' },
      ],
      truncated: false,
    });
    await engine.linkReports('r1', 'r4');
    expect((await engine.explainLink('r1', 'r4'))!.steps).toEqual([
      { type: 'REPORT', id: 'r1' },
      { type: 'REPORT', id: 'r4' },
    ]);
    expect(await engine.explainLink('r1', 'other')).toBeNull();
    expect(await engine.explainLink('r1', 'r3', 2)).toEqual({ steps: [], truncated: true });
  });
});

describe('costs (counted store operations)', () => {
  async function fill(engine: LinkingEngine, n: number) {
    for (let i = 0; i < n; i++) await engine.addReport(newReport(`bg${i}`, [P(1000 + (i % 50)), B(100000 + i)]));
  }

  it('a report whose identifiers are all new costs the same O(k) operations whatever the store size', async () => {
    const caps = { ...CAPS, PHONE: 1000, BANK_ACCOUNT: 1000 };
    const costs: number[] = [];
    for (const n of [50, 2000]) {
      const { engine, store } = setup({ caps, pageSize: 16 });
      await fill(engine, n);
      store.resetCounts();
      await engine.addReport(newReport('new', [P(1), B(1), identifierKey('URL', 'https://x.cn/a')]));
      costs.push(store.totalOps());
    }
    expect(costs[0]).toBe(costs[1]);
    // 1 report get + k identifier gets + k (page put + identifier put) + cluster page + cluster put + victim get/put + report put
    expect(costs[0]).toBeLessThanOrEqual(4 * 3 + 8);
  });

  it('merges are union by size and move only page ids (O(#pages of the smaller))', async () => {
    const caps = { ...CAPS, PHONE: 100_000 };
    const { engine, store, consistent } = setup({ caps, pageSize: 4 });
    for (let i = 0; i < 400; i++) await engine.addReport(newReport(`big${i}`, [P(1)]));
    for (let i = 0; i < 9; i++) await engine.addReport(newReport(`small${i}`, [P(2)]));
    const bigRoot = (await engine.clusterOf('big0'))!;
    const smallRoot = (await engine.clusterOf('small0'))!;
    const smallPages = smallRoot.memberPages.length;
    store.resetCounts();
    const events = await engine.addReport(newReport('bridge', [P(1), P(2)]));
    expect(events).toEqual([{ type: 'MERGED', clusterId: bigRoot._id, mergedFrom: [smallRoot._id], size: 410 }]);
    // page documents touched: the identifiers' tails (2), the fold (≤ 2 reads, 1 put, 1 delete), the append (≤ 2)
    const pageOps = store.counts.pages.get + store.counts.pages.put + store.counts.pages.delete;
    expect(pageOps).toBeLessThanOrEqual(smallPages + 6);
    expect(store.counts.reports.get).toBe(1);
    expect(store.totalOps()).toBeLessThan(30);
    await consistent();
  });

  it('recomputeCluster touches only that cluster’s documents', async () => {
    const { engine, store } = setup();
    for (let i = 0; i < 30; i++) await engine.addReport(newReport(`o${i}`, [P(100 + (i % 10))]));
    await engine.addReport(newReport('a1', [P(1)]));
    await engine.addReport(newReport('a2', [P(1), B(1)]));
    await engine.addReport(newReport('a3', [B(1)]));
    const root = (await engine.clusterOf('a1'))!;
    store.resetCounts(true);
    await engine.detach('a2', B(1));
    const touched = store.touched!;
    expect([...touched.reports].sort()).toEqual(['a1', 'a2', 'a3']);
    expect([...touched.identifiers].sort()).toEqual([P(1), B(1)].sort());
    const newClusters = store.clusters.get(root._id)!.splitInto!;
    expect([...touched.clusters].sort()).toEqual([root._id, ...newClusters].sort());
    expect(touched.victims.size).toBe(3);
  });
});
