/**
 * The split preview: before setIdentifierLinkPolicy(NEVER) or detachIdentifier, linkPolicyPreview / detachPreview
 * say which cluster would split and into what; the mutation then does exactly that. Scoped like the staff API:
 * reports of other units are counted, not shown.
 */
import { randomBytes } from 'node:crypto';
import { clusterIdOf, LinkingScenario, startLinkingScenario, submitReportId } from './support/staff';
import { LoggedIn } from './support/test-app';

const PASSWORD = 'split-preview-password-123';
const uniq = randomBytes(3).toString('hex');
const wx = (name: string) => `sp_${uniq}_${name}`;

interface Part {
  size: number;
  leaves: boolean;
  reportIds: string[];
  hiddenReportCount: number;
  regionCodes: string[];
}
interface Split {
  clusterId: string | null;
  size: number;
  partCount: number;
  parts: Part[];
}
interface Preview {
  splitClusters: number;
  clustersAfterSplits: number;
  reportsAffected: number;
  splits: Split[];
}

const SPLITS =
  'splitClusters clustersAfterSplits reportsAffected splits { clusterId size partCount parts { size leaves reportIds hiddenReportCount regionCodes } }';
const POLICY_PREVIEW = `query($k: IdentifierKind!, $v: String!) { linkPolicyPreview(kind: $k, value: $v, policy: NEVER) { ${SPLITS} } }`;
const DETACH_PREVIEW = `query($r: ID!, $k: IdentifierKind!, $v: String!) { detachPreview(reportId: $r, kind: $k, value: $v) { ${SPLITS} } }`;
const SET_NEVER =
  'mutation($k: IdentifierKind!, $v: String!) { setIdentifierLinkPolicy(kind: $k, value: $v, policy: NEVER, reason: "shared by unrelated victims") { policy } }';
const DETACH =
  'mutation($r: ID!, $k: IdentifierKind!, $v: String!) { detachIdentifier(reportId: $r, kind: $k, value: $v, reason: "the victim typed their own id") { id } }';

describe('split preview', () => {
  let s: LinkingScenario;

  beforeAll(async () => {
    s = await startLinkingScenario(`sp${uniq}`, PASSWORD);
  });
  afterAll(() => s.t.close());

  const gql = async <T>(who: LoggedIn, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const res = await s.t.gql<T>(query, variables, who.headers);
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data as T;
  };

  /** Waits until the reports are all linked into one cluster. */
  const oneCluster = async (ids: string[]): Promise<string[]> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const cs = await Promise.all(ids.map((id) => clusterIdOf(s.t, s.admin, id)));
      if (cs.every((c) => c !== null) && new Set(cs).size === 1) return ids;
      if (Date.now() > deadline) throw new Error(`not one cluster: ${JSON.stringify(cs)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  /** Submits reports (each a list of WeChat ids), in order; returns their ids. */
  const submitAll = async (reports: string[][], regionCode = 'DG01'): Promise<string[]> => {
    const ids = [];
    for (const r of reports)
      ids.push(
        await submitReportId(
          s.t,
          r.map((v) => ({ kind: 'WECHAT_ID', value: wx(v) })),
          { regionCode },
        ),
      );
    return ids;
  };

  const ring = async (reports: string[][], regionCode = 'DG01') => oneCluster(await submitAll(reports, regionCode));

  /** The members of a report's cluster, sorted (as ADMIN, who sees every unit). */
  const membersWith = async (reportId: string): Promise<string[]> => {
    const cid = await clusterIdOf(s.t, s.admin, reportId);
    const data = await gql<{ reports: { edges: { node: { id: string } }[] } }>(
      s.admin,
      'query($c: ID!) { reports(filter: { clusterId: $c }, first: 100) { edges { node { id } } } }',
      { c: cid },
    );
    return data.reports.edges.map((e) => e.node.id).sort();
  };

  /** The clusters after the change are the parts of the preview (seen by ADMIN: every id shown). */
  const expectDone = async (split: Split, before: string[]) => {
    const leaving = split.parts.filter((p) => p.leaves).flatMap((p) => p.reportIds);
    for (const p of split.parts.filter((x) => x.leaves)) {
      expect(p.reportIds).toHaveLength(p.size);
      expect(await membersWith(p.reportIds[0])).toEqual(p.reportIds);
    }
    const staying = before.filter((id) => !leaving.includes(id));
    const stays = split.parts.find((p) => !p.leaves);
    expect(staying).toHaveLength(stays?.size ?? -1);
    expect(await membersWith(staying[0])).toEqual(staying);
  };

  it('NEVER on a bridge: the preview names the reports that leave, and the change splits exactly so', async () => {
    // r1-r3 through X; r1-r2 through L; r3-r4-r5 through R: NEVER on X leaves {r1, r2} and {r3, r4, r5}
    const ids = await ring([['x', 'l'], ['l'], ['x', 'r'], ['r'], ['r']]);
    const before = [...ids].sort();
    const cid = await clusterIdOf(s.t, s.admin, ids[0]);
    const { linkPolicyPreview: p } = await gql<{ linkPolicyPreview: Preview }>(s.sup1, POLICY_PREVIEW, {
      k: 'WECHAT_ID',
      v: wx('x'),
    });
    expect(p).toMatchObject({ splitClusters: 1, clustersAfterSplits: 2, reportsAffected: 5 });
    expect(p.splits).toEqual([
      {
        clusterId: cid,
        size: 5,
        partCount: 2,
        parts: [
          { size: 3, leaves: false, reportIds: [], hiddenReportCount: 0, regionCodes: ['DG01'] },
          { size: 2, leaves: true, reportIds: [ids[0], ids[1]].sort(), hiddenReportCount: 0, regionCodes: ['DG01'] },
        ],
      },
    ]);
    expect(await membersWith(ids[0])).toEqual(before); // a preview changes nothing

    await gql(s.sup1, SET_NEVER, { k: 'WECHAT_ID', v: wx('x') });
    await expectDone(p.splits[0], before);
  });

  it('NEVER on an identifier that is no bridge: no split previewed, none done', async () => {
    const ids = await ring([['p', 'q'], ['p', 'q'], ['q']]);
    const before = [...ids].sort();
    const cid = await clusterIdOf(s.t, s.admin, ids[0]);
    const { linkPolicyPreview: p } = await gql<{ linkPolicyPreview: Preview }>(s.sup1, POLICY_PREVIEW, {
      k: 'WECHAT_ID',
      v: wx('p'),
    });
    expect(p).toEqual({ splitClusters: 0, clustersAfterSplits: 0, reportsAffected: 0, splits: [] });
    await gql(s.sup1, SET_NEVER, { k: 'WECHAT_ID', v: wx('p') });
    expect(await clusterIdOf(s.t, s.admin, ids[0])).toBe(cid);
    expect(await membersWith(ids[0])).toEqual(before);
  });

  it('detach: the preview of a bridge removal equals the split the detach does; a non-bridge splits nothing', async () => {
    // d0 holds D1 and D2; d1 only D1, d2 and d3 only D2: detaching D1 from d1 leaves d1 alone
    const ids = await ring([['d1', 'd2'], ['d1'], ['d2'], ['d2', 'e']]);
    const before = [...ids].sort();
    const cid = await clusterIdOf(s.t, s.admin, ids[0]);
    // d3's E links nothing else: detaching it splits nothing
    const none = await gql<{ detachPreview: Preview }>(s.inv1, DETACH_PREVIEW, {
      r: ids[3],
      k: 'WECHAT_ID',
      v: wx('e'),
    });
    expect(none.detachPreview.splits).toEqual([]);

    const { detachPreview: p } = await gql<{ detachPreview: Preview }>(s.inv1, DETACH_PREVIEW, {
      r: ids[1],
      k: 'WECHAT_ID',
      v: wx('d1'),
    });
    expect(p.splits).toEqual([
      {
        clusterId: cid,
        size: 4,
        partCount: 2,
        parts: [
          { size: 3, leaves: false, reportIds: [], hiddenReportCount: 0, regionCodes: ['DG01'] },
          { size: 1, leaves: true, reportIds: [ids[1]], hiddenReportCount: 0, regionCodes: ['DG01'] },
        ],
      },
    ]);
    await gql(s.inv1, DETACH, { r: ids[1], k: 'WECHAT_ID', v: wx('d1') });
    await expectDone(p.splits[0], before);

    // refused as the mutation is: an identifier the report does not carry, a report of another unit
    const notCarried = await s.t.gql(DETACH_PREVIEW, { r: ids[2], k: 'WECHAT_ID', v: wx('d1') }, s.inv1.headers);
    expect(notCarried.body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'IDENTIFIER_NOT_CARRIED',
      field: 'value',
    });
    const foreign = await s.t.gql(DETACH_PREVIEW, { r: ids[0], k: 'WECHAT_ID', v: wx('d2') }, s.inv2.headers);
    expect(foreign.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it("scoping: other units' reports are counted, not shown; a cluster not yours keeps its id to itself", async () => {
    // DG01: m0 {S, T}, m1 {T}, m2 {T}; DG02: m3 {S, U}, m4 {U}. NEVER on S: DG01's three stay, DG02's two leave.
    const dg01 = await submitAll([['s', 't'], ['t'], ['t']]);
    const dg02 = await submitAll([['s', 'u'], ['u']], 'DG02');
    const all = await oneCluster([...dg01, ...dg02]);
    const cid = await clusterIdOf(s.t, s.admin, dg01[0]);
    expect(await membersWith(dg02[0])).toEqual([...all].sort());
    const asSup = await gql<{ linkPolicyPreview: Preview }>(s.sup1, POLICY_PREVIEW, { k: 'WECHAT_ID', v: wx('s') });
    expect(asSup.linkPolicyPreview.splits).toEqual([
      {
        clusterId: cid,
        size: 5,
        partCount: 2,
        parts: [
          { size: 3, leaves: false, reportIds: [], hiddenReportCount: 0, regionCodes: ['DG01'] },
          { size: 2, leaves: true, reportIds: [], hiddenReportCount: 2, regionCodes: ['DG02'] },
        ],
      },
    ]);
    const asAdmin = await gql<{ linkPolicyPreview: Preview }>(s.admin, POLICY_PREVIEW, { k: 'WECHAT_ID', v: wx('s') });
    expect(asAdmin.linkPolicyPreview.splits[0].parts[1]).toMatchObject({
      reportIds: [...dg02].sort(),
      hiddenReportCount: 0,
    });

    // a cluster of DG02 only: its split is counted for a DG01 supervisor, without its id or reports
    const other = await ring([['v', 'w'], ['w'], ['v']], 'DG02');
    const hidden = await gql<{ linkPolicyPreview: Preview }>(s.sup1, POLICY_PREVIEW, { k: 'WECHAT_ID', v: wx('v') });
    expect(hidden.linkPolicyPreview.splits).toEqual([
      {
        clusterId: null,
        size: 3,
        partCount: 2,
        parts: [
          { size: 2, leaves: false, reportIds: [], hiddenReportCount: 2, regionCodes: ['DG02'] },
          { size: 1, leaves: true, reportIds: [], hiddenReportCount: 1, regionCodes: ['DG02'] },
        ],
      },
    ]);

    await gql(s.admin, SET_NEVER, { k: 'WECHAT_ID', v: wx('s') });
    await expectDone(asAdmin.linkPolicyPreview.splits[0], [...all].sort());
    await gql(s.admin, SET_NEVER, { k: 'WECHAT_ID', v: wx('v') });
    expect(await membersWith(other[2])).toEqual([other[2]]);
    expect(await membersWith(other[0])).toEqual([other[0], other[1]].sort());
  });
});
