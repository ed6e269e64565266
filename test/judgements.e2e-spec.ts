/**
 * Undoing judgements over HTTP on the real pipeline (issue #16): unlinkReports removes an investigator's explicit
 * link (the reports fall apart again), reattachIdentifier moves a detached identifier back (the report rejoins
 * the identifier's cluster). Both refuse what there is nothing to undo (CONFLICT), need a reason, are scoped
 * to the user's units like linkReports / detachIdentifier, never answer INTERNAL to explicit nulls, and are
 * listed by linkJudgements.
 */
import { randomBytes } from 'node:crypto';
import { clusterIdOf, startLinkingScenario, submitReportId, waitClusters } from './support/staff';
import type { GqlResponse, LoggedIn, TestApp } from './support/test-app';

const PASSWORD = 'staff-password-123';
const uniq = randomBytes(3).toString('hex');

const UNLINK = `mutation($a: ID!, $b: ID!, $r: String!) {
  unlinkReports(fromReportId: $a, toReportId: $b, reason: $r) { id reportCount } }`;
const LINK = `mutation($a: ID!, $b: ID!, $r: String!) {
  linkReports(fromReportId: $a, toReportId: $b, reason: $r) { id reportCount } }`;
const DETACH = `mutation($k: IdentifierKind!, $v: String!, $id: ID!, $r: String!) {
  detachIdentifier(kind: $k, value: $v, reportId: $id, reason: $r) { id } }`;
const REATTACH = `mutation($k: IdentifierKind!, $v: String!, $id: ID!, $r: String!) {
  reattachIdentifier(kind: $k, value: $v, reportId: $id, reason: $r) { id clusterId identifiers { kind value detached } } }`;
const EXPLAIN = 'query($a: ID!, $b: ID!) { explainLink(fromReportId: $a, toReportId: $b) { length } }';

type Errors = NonNullable<GqlResponse['body']['errors']>;
const ext = (errors: Errors | undefined) => errors?.[0]?.extensions;

describe('judgements: unlinkReports and reattachIdentifier', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let inv1: LoggedIn;
  let inv2: LoggedIn;
  let sup1: LoggedIn;
  let phoneSeq = 0;
  const phoneBase = String(10_000 + Math.floor(Math.random() * 89_999));
  /** a fresh CN mobile number */
  const phone = () => ({ kind: 'PHONE', value: `1393${phoneBase}${String(++phoneSeq).padStart(2, '0')}` });
  const wechat = (name: string) => ({ kind: 'WECHAT_ID', value: `jg_${uniq}_${name}` });

  const gql = async <T>(who: LoggedIn, query: string, variables: Record<string, unknown> = {}) => {
    const res = await t.gql<T>(query, variables, who.headers);
    return { data: res.body.data as T, errors: res.body.errors };
  };
  const clusterOf = (id: string) => clusterIdOf(t, admin, id);
  const explain = async (a: string, b: string) =>
    (await gql<{ explainLink: { length: number } | null }>(admin, EXPLAIN, { a, b })).data.explainLink;

  // DG01: X and Y share nothing; Z1 and Z2 share the WeChat id W (Z2 also carries a phone of its own)
  let X: string, Y: string, Z1: string, Z2: string;
  const W = wechat('w');
  // DG02: V1 and V2 share nothing; V3 carries WV with V1
  let V1: string, V2: string, V3: string;
  const WV = wechat('wv');

  beforeAll(async () => {
    ({ t, admin, inv1, inv2, sup1 } = await startLinkingScenario('jg', PASSWORD));
    X = await submitReportId(t, [phone()]);
    Y = await submitReportId(t, [phone()]);
    Z1 = await submitReportId(t, [W]);
    Z2 = await submitReportId(t, [W, phone()]);
    const dg02 = { regionCode: 'DG02' };
    V1 = await submitReportId(t, [phone(), WV], dg02);
    V2 = await submitReportId(t, [phone()], dg02);
    V3 = await submitReportId(t, [WV], dg02);
    await waitClusters(t, admin, [X, Y, Z1, Z2, V1, V2, V3]);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('unlinkReports', () => {
    it('undoes linkReports: the two reports are in different clusters again and explainLink is null', async () => {
      const link = await gql<{ linkReports: { id: string; reportCount: number } }>(inv1, LINK, {
        a: X,
        b: Y,
        r: 'same caller script',
      });
      expect(link.errors).toBeUndefined();
      expect(link.data.linkReports.reportCount).toBe(2);
      expect(await clusterOf(X)).toBe(await clusterOf(Y));
      expect(await explain(X, Y)).not.toBeNull();

      const unlink = await gql<{ unlinkReports: { id: string; reportCount: number } }>(inv1, UNLINK, {
        a: X,
        b: Y,
        r: 'different call centres after all',
      });
      expect(unlink.errors).toBeUndefined();
      // the cluster of fromReportId afterwards
      expect(unlink.data.unlinkReports).toEqual({ id: await clusterOf(X), reportCount: 1 });
      expect(await clusterOf(X)).not.toBe(await clusterOf(Y));
      expect(await explain(X, Y)).toBeNull();
    });

    it('a pair that is not linked explicitly is CONFLICT (NOT_LINKED), also when it shares an identifier', async () => {
      for (const [a, b] of [
        [X, Y], // linked before, unlinked since
        [Y, X],
        [Z1, Z2], // one cluster through W, but no investigator's link
      ]) {
        const res = await gql(inv1, UNLINK, { a, b, r: 'not the same ring' });
        expect(ext(res.errors)).toMatchObject({ code: 'CONFLICT', reason: 'NOT_LINKED' });
        expect(res.data).toBeNull();
      }
      // nothing changed
      expect(await clusterOf(Z1)).toBe(await clusterOf(Z2));
      const self = await gql(inv1, UNLINK, { a: X, b: X, r: 'x' });
      expect(ext(self.errors)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SELF_LINK' });
    });

    it("another unit's reports are FORBIDDEN, and so is naming another unit's report as fromReportId", async () => {
      const link = await gql(inv2, LINK, { a: V1, b: V2, r: 'same mule account' });
      expect(link.errors).toBeUndefined();
      const foreign = await gql(inv1, UNLINK, { a: V1, b: V2, r: 'x' });
      expect(ext(foreign.errors)).toMatchObject({ code: 'FORBIDDEN' });
      const mixed = await gql(inv1, UNLINK, { a: X, b: V2, r: 'x' });
      expect(ext(mixed.errors)).toMatchObject({ code: 'FORBIDDEN' });
      expect(await clusterOf(V1)).toBe(await clusterOf(V2));

      // a ring of both units (linked by an admin): DG01 may undo the link from its own report's side only, so
      // that the cluster it gets back is one it may see
      const both = await gql(admin, LINK, { a: Y, b: V2, r: 'one ring across two towns' });
      expect(both.errors).toBeUndefined();
      const fromForeign = await gql(inv1, UNLINK, { a: V2, b: Y, r: 'not one ring' });
      expect(ext(fromForeign.errors)).toMatchObject({ code: 'FORBIDDEN', reason: 'OUT_OF_UNIT' });
      expect(await clusterOf(Y)).toBe(await clusterOf(V2));
      const fromOwn = await gql<{ unlinkReports: { id: string; reportCount: number } }>(inv1, UNLINK, {
        a: Y,
        b: V2,
        r: 'not one ring',
      });
      expect(fromOwn.errors).toBeUndefined();
      expect(fromOwn.data.unlinkReports).toEqual({ id: await clusterOf(Y), reportCount: 1 });
      // the DG02 link V1 ⇢ V2 is still there
      expect(await clusterOf(V2)).toBe(await clusterOf(V1));
    });
  });

  describe('reattachIdentifier', () => {
    it("undoes detachIdentifier: the report is back in the identifier's cluster", async () => {
      const det = await gql(inv1, DETACH, { k: W.kind, v: W.value, id: Z2, r: 'victim typed a friend’s id' });
      expect(det.errors).toBeUndefined();
      expect(await clusterOf(Z2)).not.toBe(await clusterOf(Z1));
      expect(await explain(Z1, Z2)).toBeNull();

      const re = await gql<{
        reattachIdentifier: {
          id: string;
          clusterId: string;
          identifiers: { kind: string; value: string; detached: boolean }[];
        };
      }>(inv1, REATTACH, { k: W.kind, v: W.value, id: Z2, r: 'the victim confirmed it was the scammer’s id' });
      expect(re.errors).toBeUndefined();
      expect(re.data.reattachIdentifier.id).toBe(Z2);
      expect(re.data.reattachIdentifier.clusterId).toBe(await clusterOf(Z1));
      expect(re.data.reattachIdentifier.identifiers).toEqual(
        expect.arrayContaining([{ kind: 'WECHAT_ID', value: W.value, detached: false }]),
      );
      expect(await clusterOf(Z2)).toBe(await clusterOf(Z1));
      expect(await explain(Z1, Z2)).toEqual({ length: 1 });
    });

    it('an identifier that is not detached is CONFLICT; one the report never carried is BAD_USER_INPUT', async () => {
      for (const id of [Z1, Z2]) {
        const res = await gql(inv1, REATTACH, { k: W.kind, v: W.value, id, r: 'x' });
        expect(ext(res.errors)).toMatchObject({ code: 'CONFLICT', reason: 'IDENTIFIER_NOT_DETACHED', field: 'value' });
      }
      const never = await gql(inv1, REATTACH, { k: W.kind, v: W.value, id: X, r: 'x' });
      expect(ext(never.errors)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'IDENTIFIER_NOT_CARRIED' });
      const unknown = await gql(inv1, REATTACH, { k: W.kind, v: W.value, id: 'r_nosuchreport', r: 'x' });
      expect(ext(unknown.errors)).toMatchObject({ code: 'NOT_FOUND' });
    });

    it("another unit's report is FORBIDDEN, and its identifier stays detached", async () => {
      const det = await gql(inv2, DETACH, { k: WV.kind, v: WV.value, id: V3, r: 'the victim’s own id' });
      expect(det.errors).toBeUndefined();
      const foreign = await gql(inv1, REATTACH, { k: WV.kind, v: WV.value, id: V3, r: 'x' });
      expect(ext(foreign.errors)).toMatchObject({ code: 'FORBIDDEN' });
      expect(await clusterOf(V3)).not.toBe(await clusterOf(V1));
      const own = await gql(inv2, REATTACH, { k: WV.kind, v: WV.value, id: V3, r: 'it was the scammer’s after all' });
      expect(own.errors).toBeUndefined();
      expect(await clusterOf(V3)).toBe(await clusterOf(V1));
    });
  });

  describe('arguments', () => {
    /** [mutation, document, its variables but the reason] (a function: the reports exist once beforeAll ran) */
    const calls: [string, string, () => Record<string, unknown>][] = [
      ['unlinkReports', UNLINK, () => ({ a: Z1, b: Z2 })],
      ['reattachIdentifier', REATTACH, () => ({ k: W.kind, v: W.value, id: Z2 })],
    ];
    /** The document with `null` written in place of variable `name` (its declaration removed). */
    const inlineNull = (query: string, name: string) =>
      query
        .replace(new RegExp(`\\$${name}: [A-Za-z]+!(, )?`), '')
        .replace(', )', ')')
        .replace(new RegExp(`\\$${name}\\b`), 'null');

    it.each(calls)('%s: a missing or blank reason is BAD_USER_INPUT', async (_name, query, vars) => {
      for (const r of ['', '   ', '\t']) {
        const res = await gql(inv1, query, { ...vars(), r });
        expect(ext(res.errors)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
      }
      const unset = await gql(inv1, query, vars());
      expect(ext(unset.errors)).toMatchObject({ code: 'BAD_USER_INPUT' });
      // left out of the document altogether
      const noArg = await gql(inv1, query.replace(', reason: $r', '').replace(', $r: String!', ''), vars());
      expect(ext(noArg.errors)).toMatchObject({ code: 'BAD_USER_INPUT' });
    });

    it.each(calls)(
      '%s: an explicit null for any argument is BAD_USER_INPUT, never INTERNAL',
      async (_name, query, vars) => {
        const all: Record<string, unknown> = { ...vars(), r: 'why' };
        for (const name of Object.keys(all)) {
          const asVariable = await gql(inv1, query, { ...all, [name]: null });
          expect(ext(asVariable.errors)).toMatchObject({ code: 'BAD_USER_INPUT' });
          const rest = Object.fromEntries(Object.entries(all).filter(([k]) => k !== name));
          const inline = await gql(inv1, inlineNull(query, name), rest);
          expect(ext(inline.errors)).toMatchObject({ code: 'BAD_USER_INPUT' });
          expect(inline.errors?.[0].message).toMatch(/null|Expected/i);
        }
      },
    );
  });

  it('the judgement log lists both undoings with their reasons', async () => {
    const log = await gql<{
      linkJudgements: { edges: { node: { action: string; reason: string; objectId: string; unitCodes: string[] } }[] };
    }>(sup1, 'query { linkJudgements(first: 50) { edges { node { action reason objectId unitCodes } } } }');
    expect(log.errors).toBeUndefined();
    const entries = log.data.linkJudgements.edges.map((e) => e.node);
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'REPORTS_UNLINKED',
          reason: 'different call centres after all',
          objectId: `${X}~${Y}`,
          unitCodes: ['DG01'],
        }),
        expect.objectContaining({
          action: 'IDENTIFIER_REATTACHED',
          reason: 'the victim confirmed it was the scammer’s id',
          objectId: `${Z2}~WECHAT_ID:${W.value}`,
        }),
      ]),
    );
    // refused attempts leave no entry
    expect(entries.filter((e) => e.reason === 'not the same ring')).toEqual([]);
    // DG02's own undoing is not DG01's business
    expect(entries.map((e) => e.reason)).not.toContain('it was the scammer’s after all');
  });
});
