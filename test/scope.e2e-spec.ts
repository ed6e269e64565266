/**
 * What investigators may see and receive, over the real API (issue 22): graph walks and identifier answers
 * scoped like clusters; imported open intelligence shared with every investigator; link policies a
 * supervisor's decision with a preview, never ALWAYS on a warninglisted value; growth by the time of the fraud;
 * clusterUpdated filters checked when the stream starts, single-report events on request, and open streams
 * that end or re-scope within seconds when their user is disabled, logs out or changes units.
 */
import type { Client } from 'graphql-ws';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STREAM_RECHECK_MS } from '../src/sessions/live-principals';
import { ImportService } from '../src/imports/import.service';
import { storeOf } from './support/reports';
import { clusterIdOf, createStaff, startLinkingScenario, submitReportId } from './support/staff';
import { LoggedIn, TestApp, waitForChannelSubscribers } from './support/test-app';

jest.setTimeout(120_000);

const PASSWORD = 'staff-password-123';
const uniq = randomBytes(3).toString('hex');
const CHANNEL = 'linking.clusterUpdated';

interface GqlErr {
  message: string;
  extensions?: Record<string, unknown>;
}
interface ClusterEventOut {
  type: string;
  clusterId: string;
  size: number;
  regionCodes: string[];
}

/** One subscription's messages as they come: data, errors, and whether it completed. */
class Stream {
  readonly events: ClusterEventOut[] = [];
  readonly errors: GqlErr[] = [];
  completed = false;
  readonly dispose: () => void;

  constructor(client: Client, query: string, variables: Record<string, unknown> = {}) {
    this.dispose = client.subscribe<{ clusterUpdated: ClusterEventOut }>(
      { query, variables },
      {
        next: (v) => {
          if (v.errors) this.errors.push(...(v.errors as GqlErr[]));
          if (v.data?.clusterUpdated) this.events.push(v.data.clusterUpdated);
        },
        error: (e) => this.errors.push({ message: JSON.stringify(e) }),
        complete: () => (this.completed = true),
      },
    );
  }

  async until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline)
        throw new Error(`${what}: not after ${timeoutMs} ms (${JSON.stringify({ e: this.events, x: this.errors })})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const EVENT_FIELDS = 'type clusterId size regionCodes';

describe('scope: graph walks, shared intelligence, link policies, growth and cluster streams', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let inv1: LoggedIn;
  let inv2: LoggedIn;
  let sup1: LoggedIn;
  const wx = (name: string) => `sc_${uniq}_${name}`;

  const submit = (identifiers: { kind: string; value: string }[], over: Record<string, unknown> = {}) =>
    submitReportId(t, identifiers, over);

  const gql = async <T>(who: LoggedIn, query: string, variables: Record<string, unknown> = {}) => {
    const res = await t.gql<T>(query, variables, who.headers);
    return { data: res.body.data as T, errors: res.body.errors };
  };

  const clusterOf = (reportId: string) => clusterIdOf(t, admin, reportId);

  /** Waits until every report is in one cluster; returns its id. */
  const oneCluster = async (...ids: string[]): Promise<string> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const cs = await Promise.all(ids.map(clusterOf));
      if (cs.every((c) => c !== null) && new Set(cs).size === 1) return cs[0];
      if (Date.now() > deadline) throw new Error(`not one cluster: ${JSON.stringify(cs)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  /** Submits a fresh DG01 pair and waits until every stream has its event: they are all subscribed. */
  const barrier = async (...streams: Stream[]) => {
    await waitForChannelSubscribers(CHANNEL);
    const v = wx(`b${randomBytes(3).toString('hex')}`);
    const ids = [await submit([{ kind: 'WECHAT_ID', value: v }]), await submit([{ kind: 'WECHAT_ID', value: v }])];
    const cid = await oneCluster(...ids);
    for (const s of streams) await s.until('the barrier pair', () => s.events.some((e) => e.clusterId === cid));
  };

  const createUser = (email: string, roles: string[], unitCodes: string[]) =>
    createStaff(t, admin, email, PASSWORD, roles, unitCodes);

  beforeAll(async () => {
    ({ t, admin, inv1, inv2, sup1 } = await startLinkingScenario('sc', PASSWORD));
  });
  afterAll(async () => {
    await t?.close();
  });

  it("an identifier-rooted graph and identifier() of another unit's value are FORBIDDEN; hubs are counted, not shown", async () => {
    const Q = wx('dg02');
    const x = await submit([{ kind: 'WECHAT_ID', value: Q }], { regionCode: 'DG02' });
    const y = await submit([{ kind: 'WECHAT_ID', value: Q }], { regionCode: 'DG02' });
    const cid = await oneCluster(x, y);

    const graph =
      'query($v: String!) { caseGraph(root: { identifier: { kind: WECHAT_ID, value: $v } }, depth: 4) { nodes { id type clusterId hiddenNeighbourCount } } }';
    const ident = 'query($v: String!) { identifier(kind: WECHAT_ID, value: $v) { degree status clusterIds } }';
    const g1 = await gql<{ caseGraph: { nodes: { id: string; clusterId: string | null }[] } }>(inv1, graph, { v: Q });
    expect(g1.data?.caseGraph?.nodes ?? []).toEqual([]);
    expect(g1.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OUT_OF_UNIT' });
    expect(JSON.stringify(g1)).not.toContain(cid);
    const i1 = await gql(inv1, ident, { v: Q });
    expect(i1.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OUT_OF_UNIT' });
    expect(JSON.stringify(i1)).not.toContain('"degree"');

    // the unit it belongs to sees it all
    const g2 = await gql<{ caseGraph: { nodes: { id: string; type: string; clusterId: string }[] } }>(inv2, graph, {
      v: Q,
    });
    expect(g2.errors).toBeUndefined();
    expect(
      g2.data.caseGraph.nodes
        .filter((n) => n.type === 'REPORT')
        .map((n) => n.id)
        .sort(),
    ).toEqual([x, y].sort());
    expect((await gql<{ identifier: { degree: number } }>(inv2, ident, { v: Q })).data.identifier.degree).toBe(2);

    // a hub carried in both units: visible to DG01 through its own report, its degree counts every carrier
    const H = wx('hub');
    const carriers = [
      await submit([{ kind: 'WECHAT_ID', value: H }], { regionCode: 'DG01' }),
      ...(await Promise.all([1, 2, 3].map(() => submit([{ kind: 'WECHAT_ID', value: H }], { regionCode: 'DG02' })))),
    ];
    for (const r of carriers) await oneCluster(r);
    const deadline = Date.now() + 20_000;
    let hub: { degree: number; status: string } | undefined;
    while (hub?.status !== 'HUB' && Date.now() < deadline) {
      hub = (await gql<{ identifier: { degree: number; status: string } }>(inv1, ident, { v: H })).data?.identifier;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(hub).toMatchObject({ degree: 4, status: 'HUB' });
    const hg = await gql<{ caseGraph: { nodes: { type: string; hiddenNeighbourCount: number }[] } }>(inv1, graph, {
      v: H,
    });
    expect(hg.errors).toBeUndefined();
    expect(hg.data.caseGraph.nodes).toEqual([expect.objectContaining({ type: 'IDENTIFIER', hiddenNeighbourCount: 4 })]);
  });

  it('imported open intelligence is shared with every investigator; a mixed cluster shows its unit the external members', async () => {
    const W = `0x${randomBytes(20).toString('hex')}`;
    const W2 = `0x${randomBytes(20).toString('hex')}`;
    const dg02 = await submit([{ kind: 'CRYPTO_WALLET', value: W }], { regionCode: 'DG02', channel: 'WEBSITE' });
    await oneCluster(dg02);
    const base = 900_000_000 + Math.floor(Math.random() * 1_000_000);
    const yamlText = [
      `- id: ${base}`,
      `  name: shared-a-${uniq}`,
      `  category: Scamming`,
      `  addresses:`,
      `    - "${W2}"`,
      `- id: ${base + 1}`,
      `  name: shared-b-${uniq}`,
      `  category: Scamming`,
      `  addresses:`,
      `    - "${W2}"`,
      `- id: ${base + 2}`,
      `  name: mixed-${uniq}`,
      `  category: Scamming`,
      `  addresses:`,
      `    - "${W}"`,
      '',
    ].join('\n');
    const file = join(mkdtempSync(join(tmpdir(), 'siqian-scope-')), 'scams.yaml');
    writeFileSync(file, yamlText);
    const summary = await t.app.get(ImportService).run('etherscamdb', file);
    expect(summary).toMatchObject({ imported: 3, rejected: [] });
    const external = await storeOf(t)
      .collection('reports')
      .find({ regionCode: 'EXTERNAL' }, { projection: { _id: 1, 'original.addresses': 1 } })
      .toArray();
    const byWallet = (w: string) =>
      external.filter((d) => (d.original as { addresses?: string[] }).addresses?.includes(w)).map((d) => String(d._id));
    const [a, b] = byWallet(W2);
    const [m] = byWallet(W);
    const sharedCluster = await oneCluster(a, b);
    const mixed = await oneCluster(m, dg02);

    // a new investigator of a unit without reports reads the shared intelligence
    const inv5 = await createUser('scinv5@siqian.test', ['INVESTIGATOR'], ['DG05']);
    const list = await gql<{ reports: { totalCount: number; edges: { node: { id: string } }[] } }>(
      inv5,
      'query { reports(first: 100, filter: { regionCode: "EXTERNAL" }) { totalCount edges { node { id } } } }',
    );
    expect(list.errors).toBeUndefined();
    expect(list.data.reports.edges.map((e) => e.node.id)).toEqual(expect.arrayContaining([a, b, m]));
    const clusters = await gql<{ clusters: { edges: { node: { id: string } }[] } }>(
      inv5,
      'query { clusters(first: 100) { edges { node { id } } } }',
    );
    expect(clusters.data.clusters.edges.map((e) => e.node.id)).toContain(sharedCluster);
    expect(clusters.data.clusters.edges.map((e) => e.node.id)).not.toContain(mixed);
    const c = await gql<{ cluster: { reportCount: number } }>(
      inv5,
      'query($id: ID!) { cluster(id: $id) { reportCount } }',
      {
        id: sharedCluster,
      },
    );
    expect(c.data.cluster.reportCount).toBe(2);

    // the mixed cluster is DG02's case data: DG02 sees its external member, DG05 reads the member but not the cluster
    const own = await gql<{ cluster: { reports: { edges: { node: { id: string; regionCode: string } }[] } } }>(
      inv2,
      'query($id: ID!) { cluster(id: $id) { reports(first: 10) { edges { node { id regionCode } } } } }',
      { id: mixed },
    );
    expect(own.data.cluster.reports.edges.map((e) => e.node.id).sort()).toEqual([dg02, m].sort());
    const member = await gql<{ report: { id: string; clusterId: string | null } }>(
      inv5,
      'query($id: ID!) { report(id: $id) { id clusterId } }',
      { id: m },
    );
    expect(member.errors).toBeUndefined();
    expect(member.data.report).toEqual({ id: m, clusterId: null });
    const forbidden = await gql(inv5, 'query($id: ID!) { cluster(id: $id) { id } }', { id: mixed });
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(
      (await gql(inv5, 'query($id: ID!) { report(id: $id) { id } }', { id: dg02 })).errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
  });

  it('setIdentifierLinkPolicy is a SUPERVISOR decision with a preview; ALWAYS on a warninglisted value is refused', async () => {
    const P = wx('policy');
    const x = await submit([{ kind: 'WECHAT_ID', value: P }], { regionCode: 'DG02' });
    const y = await submit([{ kind: 'WECHAT_ID', value: P }], { regionCode: 'DG02' });
    const cid = await oneCluster(x, y);
    const SET =
      'mutation($k: IdentifierKind!, $v: String!, $p: LinkPolicy!) { setIdentifierLinkPolicy(kind: $k, value: $v, policy: $p, reason: "checked") { policy linkable } }';
    const PREVIEW =
      'query($k: IdentifierKind!, $v: String!, $p: LinkPolicy!) { linkPolicyPreview(kind: $k, value: $v, policy: $p) { identifier { degree } refusal mergedClusters splitClusters clustersAfterSplits reportsAffected regionCodes } }';

    const byInvestigator = await gql(inv1, SET, { k: 'WECHAT_ID', v: P, p: 'NEVER' });
    expect(byInvestigator.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_ROLE' });
    // the review queue lists hubs of every unit: it goes with the decision
    const queue = await gql(inv1, 'query { hubIdentifiers(first: 5) { totalCount } }');
    expect(queue.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_ROLE' });
    expect((await gql(sup1, 'query { hubIdentifiers(first: 5) { totalCount } }')).errors).toBeUndefined();
    expect(await clusterOf(x)).toBe(cid);

    const preview = await gql<{ linkPolicyPreview: Record<string, unknown> }>(sup1, PREVIEW, {
      k: 'WECHAT_ID',
      v: P,
      p: 'NEVER',
    });
    expect(preview.errors).toBeUndefined();
    expect(preview.data.linkPolicyPreview).toEqual({
      identifier: { degree: 2 },
      refusal: null,
      mergedClusters: 0,
      splitClusters: 1,
      clustersAfterSplits: 2,
      reportsAffected: 2,
      regionCodes: ['DG02'],
    });
    expect(await clusterOf(x)).toBe(cid); // a preview changes nothing
    expect((await gql(inv1, PREVIEW, { k: 'WECHAT_ID', v: P, p: 'NEVER' })).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );

    const done = await gql<{ setIdentifierLinkPolicy: { policy: string } }>(sup1, SET, {
      k: 'WECHAT_ID',
      v: P,
      p: 'NEVER',
    });
    expect(done.errors).toBeUndefined();
    expect(await clusterOf(x)).not.toBe(await clusterOf(y));

    const warned = await gql(sup1, SET, { k: 'PHONE', v: '95588', p: 'ALWAYS' });
    expect(warned.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'IDENTIFIER_WARNINGLISTED',
      field: 'policy',
    });
    expect(warned.errors?.[0].message).toMatch(/warninglist/);
    const warnedPreview = await gql<{ linkPolicyPreview: { refusal: string | null } }>(sup1, PREVIEW, {
      k: 'PHONE',
      v: '95588',
      p: 'ALWAYS',
    });
    expect(warnedPreview.data.linkPolicyPreview.refusal).toMatch(/warninglist/);
  });

  it('growth counts reports by the time of the fraud, not by the time they were linked', async () => {
    const old = new Date(Date.now() - 2 * 365 * 86_400_000).toISOString();
    const O = wx('old');
    const N = wx('new');
    const o = await Promise.all([1, 2, 3].map(() => submit([{ kind: 'WECHAT_ID', value: O }], { occurredAt: old })));
    const n = await Promise.all([1, 2].map(() => submit([{ kind: 'WECHAT_ID', value: N }])));
    const oldCluster = await oneCluster(...o);
    const newCluster = await oneCluster(...n);
    const growth = async (id: string) =>
      (
        await gql<{ cluster: { growth: number; reportCount: number } }>(
          inv1,
          'query($id: ID!) { cluster(id: $id) { growth reportCount } }',
          { id },
        )
      ).data.cluster;
    expect(await growth(oldCluster)).toEqual({ growth: 0, reportCount: 3 });
    expect(await growth(newCluster)).toEqual({ growth: 2, reportCount: 2 });
  });

  it('clusterUpdated refuses empty and out-of-scope filters; single-report events only on request', async () => {
    const ws = t.ws(inv1.connectionParams);
    const refused = async (variables: Record<string, unknown>) => {
      const s = new Stream(
        ws,
        `subscription($c: ID, $r: String) { clusterUpdated(clusterId: $c, regionCode: $r) { ${EVENT_FIELDS} } }`,
        variables,
      );
      await s.until('refused', () => s.errors.length > 0 || s.completed);
      s.dispose();
      return s.errors[0]?.extensions;
    };
    expect(await refused({ r: 'DG02' })).toMatchObject({ code: 'FORBIDDEN', reason: 'OUT_OF_UNIT' });
    expect(await refused({ c: '' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'clusterId' });
    expect(await refused({ r: '' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'regionCode' });
    expect(await refused({ c: 'no-such-cluster' })).toMatchObject({ code: 'NOT_FOUND' });

    const plain = new Stream(ws, `subscription { clusterUpdated { ${EVENT_FIELDS} } }`);
    const singles = new Stream(ws, `subscription { clusterUpdated(singleReports: true) { ${EVENT_FIELDS} } }`);
    await barrier(plain, singles);
    const S = wx('single');
    const one = await submit([{ kind: 'WECHAT_ID', value: S }]);
    const lone = await oneCluster(one);
    await singles.until('the single report event', () => singles.events.some((e) => e.clusterId === lone));
    expect(singles.events.find((e) => e.clusterId === lone)).toMatchObject({ type: 'CREATED', size: 1 });
    await submit([{ kind: 'WECHAT_ID', value: S }]);
    await plain.until('the pair', () => plain.events.some((e) => e.clusterId === lone && e.size === 2));
    expect(plain.events.filter((e) => e.size < 2)).toEqual([]);
    expect(plain.errors).toEqual([]);
    plain.dispose();
    singles.dispose();
  });

  it('open streams end within seconds when the user is disabled, logs out, loses the role or the unit, and re-scope with their units', async () => {
    const u1 = await createUser(`scs1${uniq}@siqian.test`, ['INVESTIGATOR'], ['DG01']);
    const u2 = await createUser(`scs2${uniq}@siqian.test`, ['INVESTIGATOR'], ['DG01']);
    const u3 = await createUser(`scs3${uniq}@siqian.test`, ['INVESTIGATOR'], ['DG01']);
    const u4 = await createUser(`scs4${uniq}@siqian.test`, ['INVESTIGATOR'], ['DG01']);
    const q = `subscription { clusterUpdated { ${EVENT_FIELDS} } }`;
    const disabled = new Stream(t.ws(u1.connectionParams), q);
    const loggedOut = new Stream(t.ws(u2.connectionParams), q);
    const regional = new Stream(
      t.ws(u3.connectionParams),
      `subscription { clusterUpdated(regionCode: "DG01") { ${EVENT_FIELDS} } }`,
    );
    const moved = new Stream(t.ws(u4.connectionParams), q);
    const u5 = await createUser(`scs5${uniq}@siqian.test`, ['INVESTIGATOR'], ['DG01']);
    const demoted = new Stream(t.ws(u5.connectionParams), q);
    await barrier(disabled, loggedOut, regional, moved, demoted);

    const ok = (r: { errors?: unknown }) => expect(r.errors).toBeUndefined();
    const started = Date.now();
    ok(
      await gql(admin, 'mutation($i: UserStatusInput!) { disableUser(input: $i) { id } }', {
        i: { userId: u1.userId },
      }),
    );
    ok(await gql(u2, 'mutation { logout }'));
    ok(
      await gql(admin, 'mutation($i: SetUserUnitsInput!) { setUserUnits(input: $i) { id } }', {
        i: { userId: u3.userId, unitCodes: ['DG03'] },
      }),
    );
    ok(
      await gql(admin, 'mutation($i: SetUserUnitsInput!) { setUserUnits(input: $i) { id } }', {
        i: { userId: u4.userId, unitCodes: ['DG02'] },
      }),
    );
    ok(
      await gql(admin, 'mutation($i: SetUserRolesInput!) { setUserRoles(input: $i) { id } }', {
        i: { userId: u5.userId, roles: ['OUTREACH'] },
      }),
    );
    for (const [s, code] of [
      [disabled, 'UNAUTHENTICATED'],
      [loggedOut, 'UNAUTHENTICATED'],
      [regional, 'FORBIDDEN'],
      [demoted, 'FORBIDDEN'],
    ] as const) {
      await s.until(`ended with ${code}`, () => s.completed, 10_000);
      expect(s.errors.map((e) => e.extensions?.code)).toEqual([code]);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(moved.completed).toBe(false);

    // re-scoped: a DG01 pair no longer reaches the user moved to DG02; a DG02 pair does
    await new Promise((r) => setTimeout(r, STREAM_RECHECK_MS + 500));
    const A = wx('mv1');
    const B = wx('mv2');
    const a = await Promise.all([1, 2].map(() => submit([{ kind: 'WECHAT_ID', value: A }], { regionCode: 'DG01' })));
    const aCluster = await oneCluster(...a);
    const b = await Promise.all([1, 2].map(() => submit([{ kind: 'WECHAT_ID', value: B }], { regionCode: 'DG02' })));
    const bCluster = await oneCluster(...b);
    await moved.until('the DG02 pair', () => moved.events.some((e) => e.clusterId === bCluster && e.size === 2));
    expect(moved.events.map((e) => e.clusterId)).not.toContain(aCluster);
    moved.dispose();
  });
});
