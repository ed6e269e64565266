/**
 * caseGraph as a paged walk, over HTTP on the real stores: a cluster graph starts at the cluster's most carried
 * identifier and grows ring by ring with `depth`; a page cut at `limit` is connected; paging with small limits
 * returns every node and edge of the unpaged graph exactly once; `rest` equals what the pages left out; a
 * cursor survives the cluster growing between pages; bad, foreign and null cursors.
 *
 * The ring (caps of the linking scenario: 3 for phones and WeChat ids, so no value here becomes a hub):
 *   W1: R1 R2 R3 · P0: R1 · P1: R3 R4 · W2: R4 R5 · P2: R5 R6
 * From W1 (degree 3, the cluster's top identifier): depth 1 adds R1–R3, 2 adds P0 P1, 3 adds R4, 4 adds W2;
 * R5 and R6 lie farther than any depth allows.
 */
import { randomBytes } from 'node:crypto';
import { encodeCursor } from '../src/common/graphql/pagination';
import { startLinkingScenario, submitReportId, waitClusters } from './support/staff';
import type { LoggedIn, TestApp } from './support/test-app';

const PASSWORD = 'staff-password-123';
const uniq = randomBytes(3).toString('hex');

interface Node {
  id: string;
  type: string;
  clusterId: string | null;
  isHub: boolean;
  hiddenNeighbourCount: number;
}
interface Edge {
  source: string;
  target: string;
}
interface Graph {
  nodes: Node[];
  edges: Edge[];
  truncated: boolean;
  startId: string | null;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  rest: {
    clusterId: string | null;
    reports: number;
    loss: string;
    queued: { type: string; kind: string | null; count: number }[];
    changed: boolean;
  };
}

/** the fields caseGraph had before it was paged: what the depth and connectivity tests ask */
const OLD_FIELDS = 'nodes { id type clusterId isHub hiddenNeighbourCount } edges { source target } truncated';
const GRAPH = `${OLD_FIELDS} startId pageInfo { hasNextPage endCursor }
  rest { clusterId reports loss queued { type kind count } changed }`;
const CLUSTER_GRAPH = `query($c: ID!, $d: Int!, $l: Int!, $a: String) {
  caseGraph(root: { clusterId: $c }, depth: $d, limit: $l, after: $a) { ${GRAPH} } }`;
const OLD_CLUSTER_GRAPH = `query($c: ID!, $d: Int!, $l: Int!) {
  caseGraph(root: { clusterId: $c }, depth: $d, limit: $l) { ${OLD_FIELDS} } }`;

const fen = (money: string) => Math.round(Number(money) * 100);
const edgeKey = (e: Edge) => [e.source, e.target].sort().join(' — ');

describe('caseGraph: a connected, paged walk', () => {
  let t: TestApp;
  let inv1: LoggedIn;
  let sup1: LoggedIn;
  let phoneSeq = 0;
  const phoneBase = String(10_000 + Math.floor(Math.random() * 89_999));
  const phone = () => `1392${phoneBase}${String(++phoneSeq).padStart(2, '0')}`;

  const W1 = `ring_${uniq}_w1`;
  const W2 = `ring_${uniq}_w2`;
  let P0: string, P1: string, P2: string;
  const R: string[] = [];
  /** loss in fen of every report of the ring, by id */
  const lossOf = new Map<string, number>();
  let cid: string;

  const key = (kind: string, value: string) => `${kind}:${kind === 'PHONE' ? `+86${value}` : value.toLowerCase()}`;

  const gql = async <T>(who: LoggedIn, query: string, variables: Record<string, unknown> = {}) => {
    const res = await t.gql<T>(query, variables, who.headers);
    return { data: res.body.data as T, errors: res.body.errors };
  };
  const clusterGraph = async (depth: number, limit: number, after?: string | null): Promise<Graph> => {
    const res = await gql<{ caseGraph: Graph }>(inv1, CLUSTER_GRAPH, { c: cid, d: depth, l: limit, a: after });
    expect(res.errors).toBeUndefined();
    return res.data.caseGraph;
  };
  const oldFieldsGraph = async (depth: number, limit: number): Promise<Graph> => {
    const res = await gql<{ caseGraph: Graph }>(inv1, OLD_CLUSTER_GRAPH, { c: cid, d: depth, l: limit });
    expect(res.errors).toBeUndefined();
    return res.data.caseGraph;
  };
  /** Every page of a walk, following endCursor. */
  const allPages = async (depth: number, limit: number, between?: (page: number) => Promise<void>) => {
    const pages: Graph[] = [await clusterGraph(depth, limit)];
    while (pages[pages.length - 1].pageInfo.hasNextPage) {
      await between?.(pages.length);
      pages.push(await clusterGraph(depth, limit, pages[pages.length - 1].pageInfo.endCursor));
      expect(pages.length).toBeLessThan(50);
    }
    return pages;
  };
  const submit = async (ids: { kind: string; value: string }[], lossYuan: number) => {
    const id = await submitReportId(t, ids, { loss: lossYuan.toFixed(2) });
    lossOf.set(id, Math.round(lossYuan * 100));
    return id;
  };

  beforeAll(async () => {
    ({ t, inv1, sup1 } = await startLinkingScenario('cg', PASSWORD));
    [P0, P1, P2] = [phone(), phone(), phone()];
    const w = (value: string) => ({ kind: 'WECHAT_ID', value });
    const p = (value: string) => ({ kind: 'PHONE', value });
    // one at a time, so that every member list is in this order
    const ring = [[w(W1), p(P0)], [w(W1)], [w(W1), p(P1)], [p(P1), w(W2)], [w(W2), p(P2)], [p(P2)]];
    for (const [i, ids] of ring.entries()) {
      R.push(await submit(ids, 10 * (i + 1) + 0.5));
      await waitClusters(t, inv1, [R[i]]);
    }
    const cs = await waitClusters(t, inv1, R);
    expect(new Set(cs).size).toBe(1);
    cid = cs[0];
  });
  afterAll(async () => {
    await t?.close();
  });

  it("starts a cluster's graph at its most carried identifier; depth 1, 2, 3 and 4 each add the next ring", async () => {
    const [w1, p0, p1, w2] = [key('WECHAT_ID', W1), key('PHONE', P0), key('PHONE', P1), key('WECHAT_ID', W2)];
    const rings = [[w1, R[0], R[1], R[2]], [p0, p1], [R[3]], [w2]];
    const ringEdges = [
      [`${w1} — ${R[0]}`, `${w1} — ${R[1]}`, `${w1} — ${R[2]}`],
      [`${p0} — ${R[0]}`, `${p1} — ${R[2]}`],
      [`${p1} — ${R[3]}`],
      [`${w2} — ${R[3]}`],
    ].map((es) => es.map((e) => e.split(' — ').sort().join(' — ')));
    for (const depth of [1, 2, 3, 4]) {
      const g = await oldFieldsGraph(depth, 1000);
      expect(g.truncated).toBe(false);
      expect(g.nodes.map((n) => n.id).sort()).toEqual(rings.slice(0, depth).flat().sort());
      expect(g.edges.map(edgeKey).sort()).toEqual(ringEdges.slice(0, depth).flat().sort());
      expect(g.nodes.every((n) => n.clusterId === cid && !n.isHub)).toBe(true);
    }
    // at depth 4 the walk stops at W2: its other report is hidden, and R5, R6 are what lies beyond
    const g4 = await clusterGraph(4, 1000);
    expect(g4.startId).toBe(w1);
    expect(g4.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    expect(g4.nodes.find((n) => n.id === w2)?.hiddenNeighbourCount).toBe(1);
    expect(g4.nodes.filter((n) => n.id !== w2).every((n) => n.hiddenNeighbourCount === 0)).toBe(true);
    expect(g4.rest).toEqual({
      clusterId: cid,
      reports: 2,
      loss: expect.any(String),
      queued: [],
      changed: false,
    });
    expect(fen(g4.rest.loss)).toBe(lossOf.get(R[4])! + lossOf.get(R[5])!);
  });

  it('a page cut at `limit` is connected: every node is reached from the start through returned edges', async () => {
    const firsts = new Set<string>();
    for (let limit = 1; limit <= 8; limit++) {
      const g = await oldFieldsGraph(4, limit);
      expect(g.nodes).toHaveLength(limit);
      expect(g.truncated).toBe(limit < 8);
      const ids = new Set(g.nodes.map((n) => n.id));
      expect(g.edges.every((e) => ids.has(e.source) && ids.has(e.target))).toBe(true);
      firsts.add(g.nodes[0].id);
      const reached = new Set([g.nodes[0].id]);
      let before = 0;
      while (reached.size > before) {
        before = reached.size;
        for (const e of g.edges)
          if (reached.has(e.source) || reached.has(e.target)) reached.add(e.source).add(e.target);
      }
      expect([...ids].filter((id) => !reached.has(id))).toEqual([]);
      // a report is never shown without an edge to an identifier of it
      for (const n of g.nodes.filter((x) => x.type === 'REPORT'))
        expect(g.edges.some((e) => e.target === n.id || e.source === n.id)).toBe(true);
    }
    // every cut starts at the same node: the start the graph names
    expect([...firsts]).toEqual([(await clusterGraph(4, 1)).startId]);
  });

  it('paging reaches every node and edge of the unpaged graph exactly once, and `rest` is what was left out', async () => {
    const full = await clusterGraph(4, 1000);
    const fullReports = full.nodes.filter((n) => n.type === 'REPORT').map((n) => n.id);
    const beyond = [...lossOf.keys()].filter((id) => !fullReports.includes(id));
    const fullEdges = full.edges.map(edgeKey);
    for (const limit of [1, 2, 3, 5]) {
      const pages = await allPages(4, limit);
      expect(pages).toHaveLength(Math.ceil(full.nodes.length / limit));
      const nodes = pages.flatMap((p) => p.nodes);
      expect(nodes.map((n) => n.id).sort()).toEqual(full.nodes.map((n) => n.id).sort());
      const edges = pages.flatMap((p) => p.edges.map(edgeKey));
      expect(edges.sort()).toEqual([...fullEdges].sort());
      // the last page knows all it will ever show: its hidden neighbours are those of the unpaged graph
      const last = pages[pages.length - 1];
      for (const n of last.nodes)
        expect(n.hiddenNeighbourCount).toBe(full.nodes.find((f) => f.id === n.id)?.hiddenNeighbourCount);
      expect(last.pageInfo.endCursor).toBeNull();

      for (const [k, page] of pages.entries()) {
        expect(page.startId).toBe(full.startId);
        const later = pages.slice(k + 1).flatMap((p) => p.nodes);
        const laterReports = later.filter((n) => n.type === 'REPORT').map((n) => n.id);
        expect(page.rest.reports).toBe(laterReports.length + beyond.length);
        const left = [...laterReports, ...beyond].reduce((s, id) => s + lossOf.get(id)!, 0);
        expect(fen(page.rest.loss)).toBe(left);
        // queued: the later nodes next to a node returned so far (in this ring nothing else is queued)
        const shown = new Set(pages.slice(0, k + 1).flatMap((p) => p.nodes.map((n) => n.id)));
        const next = later.filter((n) =>
          full.edges.some(
            (e) => (e.source === n.id && shown.has(e.target)) || (e.target === n.id && shown.has(e.source)),
          ),
        );
        const expected = new Map<string, number>();
        for (const n of next) {
          const label = n.type === 'REPORT' ? 'REPORT' : `IDENTIFIER ${n.id.slice(0, n.id.indexOf(':'))}`;
          expected.set(label, (expected.get(label) ?? 0) + 1);
        }
        const got = new Map(page.rest.queued.map((q) => [q.kind ? `${q.type} ${q.kind}` : q.type, q.count]));
        expect(got).toEqual(expected);
        expect(page.rest.changed).toBe(false);
      }
    }
  });

  it('bad, expired and foreign cursors are BAD_CURSOR; a null `after` is the first page; a cursor can be asked again', async () => {
    const first = await clusterGraph(4, 2);
    expect((await clusterGraph(4, 2, null)).nodes).toEqual(first.nodes);
    const inline = await gql<{ caseGraph: Graph }>(
      inv1,
      `query($c: ID!) { caseGraph(root: { clusterId: $c }, depth: 4, limit: 2, after: null) { ${GRAPH} } }`,
      { c: cid },
    );
    expect(inline.errors).toBeUndefined();
    expect(inline.data.caseGraph.nodes).toEqual(first.nodes);

    const cursor = first.pageInfo.endCursor as string;
    const second = await clusterGraph(4, 2, cursor);
    expect(second.nodes.map((n) => n.id)).not.toContain(first.nodes[0].id);
    // the same cursor answers the same page again (a retry), and does not move the walk it came from
    expect((await clusterGraph(4, 2, cursor)).nodes).toEqual(second.nodes);

    const badCursor = async (who: LoggedIn, query: string, vars: Record<string, unknown>) => {
      const res = await gql(who, query, vars);
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'BAD_CURSOR',
        field: 'after',
      });
    };
    const reportsCursor = (
      await gql<{ reports: { pageInfo: { endCursor: string } } }>(
        inv1,
        'query { reports(first: 1) { pageInfo { endCursor } } }',
      )
    ).data.reports.pageInfo.endCursor;
    for (const bad of ['not a cursor', 'AAAA', reportsCursor, encodeCursor(`cg1:${'A'.repeat(16)}`)])
      await badCursor(inv1, CLUSTER_GRAPH, { c: cid, d: 4, l: 2, a: bad });
    // another depth, another root, another user: the walk is not theirs to continue
    await badCursor(inv1, CLUSTER_GRAPH, { c: cid, d: 3, l: 2, a: cursor });
    await badCursor(
      inv1,
      'query($r: ID!, $a: String) { caseGraph(root: { reportId: $r }, depth: 4, limit: 2, after: $a) { truncated } }',
      { r: R[0], a: cursor },
    );
    await badCursor(sup1, CLUSTER_GRAPH, { c: cid, d: 4, l: 2, a: cursor });
  });

  it('a cursor survives the cluster growing: what joins the walk ahead of it comes on a later page, what joins behind it is counted in `rest`', async () => {
    let late: string | undefined;
    let behind: string | undefined;
    const pages = await allPages(4, 3, async (page) => {
      if (page === 1) {
        // P1 is not expanded yet: a report joining through it is found by the walk
        late = await submit([{ kind: 'PHONE', value: P1 }], 7.25);
        await waitClusters(t, inv1, [late]);
      }
      if (page === 2) {
        // P0 was expanded on page 2: a report joining through it lies behind the walk
        behind = await submit([{ kind: 'PHONE', value: P0 }], 3.5);
        await waitClusters(t, inv1, [behind]);
      }
    });
    const ids = pages.flatMap((p) => p.nodes.map((n) => n.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(late);
    expect(ids).not.toContain(behind);
    expect(pages[0].rest.changed).toBe(false);
    expect(pages.slice(1).every((p) => p.rest.changed)).toBe(true);
    const edges = pages.flatMap((p) => p.edges.map(edgeKey));
    expect(new Set(edges).size).toBe(edges.length);
    expect(edges).toContain(edgeKey({ source: key('PHONE', P1), target: late! }));

    const last = pages[pages.length - 1];
    const returned = ids.filter((id) => lossOf.has(id));
    const leftOut = [...lossOf.keys()].filter((id) => !returned.includes(id));
    expect(leftOut.sort()).toEqual([R[4], R[5], behind].sort());
    expect(last.rest.reports).toBe(leftOut.length);
    expect(fen(last.rest.loss)).toBe(leftOut.reduce((s, id) => s + lossOf.get(id)!, 0));
  });
});
