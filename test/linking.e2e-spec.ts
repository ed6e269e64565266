/**
 * Linking end to end: reports submitted through the public `submitReport` over HTTP run the whole pipeline
 * (submit → report.index → report.link under the Redis lock → clusterUpdated over WebSocket), then the staff
 * API: merges, a hub crossing its (tiny) cap splitting a cluster, NEVER/ALWAYS policies, detach, explicit
 * links, explainLink, caseGraph (hub node, truncation), unit scoping, the judgement log — and after all of it
 * the stored partition verifies against the from-scratch reference (the same verify `recluster --verify` runs),
 * also after a full recluster.
 */
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { LinkStoreRepository } from '../src/linking/link-store.repository';
import { OUTBOX_REDELIVERY_MS } from '../src/linking/link-hold.service';
import { Queues } from '../src/queue/queue.constants';
import { ReclusterService } from '../src/linking/recluster.service';
import { REDIS } from '../src/redis/redis.module';
import { storeOf } from './support/reports';
import { clusterIdOf, startLinkingScenario, submitReportId } from './support/staff';
import { NO_FINDINGS, verifyFindings } from './support/verify';
import { collectEvents, LoggedIn, TestApp, waitForChannelSubscribers } from './support/test-app';

const PASSWORD = 'staff-password-123';
const uniq = randomBytes(3).toString('hex');

const CLUSTER_FIELDS =
  'id reportCount victimCount totalLoss regions { key count } fraudTypes { key count } identifiers { kind value degree }';

describe('linking: clusters, judgements and the case graph over the real pipeline', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let inv1: LoggedIn;
  let inv2: LoggedIn;
  let sup1: LoggedIn;
  let phoneSeq = 0;

  const phoneBase = String(10_000 + Math.floor(Math.random() * 89_999));
  /** a fresh CN mobile number (11 digits) */
  const phone = () => `1391${phoneBase}${String(++phoneSeq).padStart(2, '0')}`;
  const wx = (name: string) => `ring_${uniq}_${name}`;

  /** Submits through the public API; returns the report id. */
  const submit = (identifiers: { kind: string; value: string }[], over: Record<string, unknown> = {}) =>
    submitReportId(t, identifiers, over);

  const gql = async <T>(who: LoggedIn, query: string, variables: Record<string, unknown> = {}) => {
    const res = await t.gql<T>(query, variables, who.headers);
    return { data: res.body.data as T, errors: res.body.errors };
  };

  const clusterOf = (reportId: string) => clusterIdOf(t, admin, reportId);

  /** Waits until every report is linked (clusterId set). */
  const waitLinked = async (...ids: string[]): Promise<string[]> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const cs = await Promise.all(ids.map(clusterOf));
      if (cs.every((c) => c !== null)) return cs;
      if (Date.now() > deadline) throw new Error(`not linked: ${ids.filter((_, i) => !cs[i]).join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const sameCluster = async (...ids: string[]) => new Set(await waitLinked(...ids)).size === 1;

  beforeAll(async () => {
    ({ t, admin, inv1, inv2, sup1 } = await startLinkingScenario('l', PASSWORD, { LINK_BATCH_SIZE: '50' }));
  });
  afterAll(async () => {
    await t?.close();
  });

  // the shared reports of the scenario
  let A: string, B: string, C: string, D: string;
  const B1 = wx('bank1');
  const P2 = { kind: 'PHONE', value: '' };

  it('merges reports that share an identifier and announces it on clusterUpdated', async () => {
    const ws = t.ws(admin.connectionParams);
    const events = collectEvents<{
      clusterUpdated: { type: string; clusterId: string; size: number; regionCodes: string[]; mergedFrom: string[] };
    }>(
      ws,
      'subscription { clusterUpdated(regionCode: "DG01", singleReports: true) { type clusterId size regionCodes mergedFrom } }',
      {},
      4,
      30_000,
    );
    await waitForChannelSubscribers('linking.clusterUpdated');
    P2.value = phone();
    A = await submit(
      [
        { kind: 'PHONE', value: phone() },
        { kind: 'WECHAT_ID', value: B1 },
      ],
      { loss: '100.10', reporterContact: '13800000001' },
    );
    await waitLinked(A);
    B = await submit([{ kind: 'WECHAT_ID', value: B1 }], { loss: '0.01', reporterContact: '13800000001' });
    C = await submit([P2], { loss: '5' });
    await waitLinked(B, C);
    D = await submit([P2, { kind: 'WECHAT_ID', value: B1 }], { loss: '1000' });
    expect(await sameCluster(A, B, C, D)).toBe(true);

    const got = (await events).map((e) => e.clusterUpdated);
    expect(got.map((e) => e.type)).toEqual(expect.arrayContaining(['CREATED', 'GREW', 'MERGED']));
    expect(got.every((e) => e.regionCodes.includes('DG01'))).toBe(true);

    const cid = await clusterOf(A);
    const c = await gql<{ cluster: Record<string, unknown> }>(
      inv1,
      `query($id: ID!) { cluster(id: $id) { ${CLUSTER_FIELDS} } }`,
      { id: cid },
    );
    expect(c.errors).toBeUndefined();
    expect(c.data.cluster).toMatchObject({
      id: cid,
      reportCount: 4,
      victimCount: 3,
      totalLoss: '1105.11',
      regions: [{ key: 'DG01', count: 4 }],
    });
    expect(c.data.cluster.identifiers).toEqual(expect.arrayContaining([{ kind: 'WECHAT_ID', value: B1, degree: 3 }]));

    // reports(filter: {clusterId}) pages through the member pages
    const p1 = await gql<{
      reports: {
        edges: { node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
        totalCount: number;
      };
    }>(
      inv1,
      'query($f: ReportFilter) { reports(filter: $f, first: 3) { edges { node { id } } pageInfo { hasNextPage endCursor } totalCount } }',
      { f: { clusterId: cid } },
    );
    expect(p1.errors).toBeUndefined();
    expect(p1.data.reports.totalCount).toBe(4);
    expect(p1.data.reports.pageInfo.hasNextPage).toBe(true);
    const p2 = await gql<{ reports: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean } } }>(
      inv1,
      'query($f: ReportFilter, $a: String) { reports(filter: $f, first: 3, after: $a) { edges { node { id } } pageInfo { hasNextPage } } }',
      { f: { clusterId: cid }, a: p1.data.reports.pageInfo.endCursor },
    );
    const all = [...p1.data.reports.edges, ...p2.data.reports.edges].map((e) => e.node.id).sort();
    expect(all).toEqual([A, B, C, D].sort());
    expect(p2.data.reports.pageInfo.hasNextPage).toBe(false);
  });

  it('explainLink returns the shortest report → identifier → report chain, and null across clusters', async () => {
    const ex = await gql<{ explainLink: { steps: { type: string; id: string }[]; length: number } | null }>(
      inv1,
      'query($a: ID!, $b: ID!) { explainLink(fromReportId: $a, toReportId: $b) { steps { type id label } length truncated } }',
      { a: A, b: C },
    );
    expect(ex.errors).toBeUndefined();
    expect(ex.data.explainLink?.steps.map((s) => s.type)).toEqual([
      'REPORT',
      'IDENTIFIER',
      'REPORT',
      'IDENTIFIER',
      'REPORT',
    ]);
    expect(ex.data.explainLink?.steps.map((s) => s.id)).toEqual([A, `WECHAT_ID:${B1}`, D, `PHONE:+86${P2.value}`, C]);
    expect(ex.data.explainLink?.length).toBe(2);
    const lone = await submit([{ kind: 'QQ_ID', value: `9${Date.now()}`.slice(0, 10) }]);
    await waitLinked(lone);
    const none = await gql<{ explainLink: unknown }>(
      inv1,
      'query($a: ID!, $b: ID!) { explainLink(fromReportId: $a, toReportId: $b) { length } }',
      { a: A, b: lone },
    );
    expect(none.errors).toBeUndefined();
    expect(none.data.explainLink).toBeNull();
  });

  it('a NEVER policy splits the cluster, DEFAULT restores it; both go into the judgement log with the reason', async () => {
    const cid = await clusterOf(A);
    const ws = t.ws(admin.connectionParams);
    const split = collectEvents<{ clusterUpdated: { type: string; splitInto: string[] } }>(
      ws,
      'subscription($c: ID) { clusterUpdated(clusterId: $c) { type splitInto } }',
      { c: cid },
      1,
      20_000,
    );
    await waitForChannelSubscribers('linking.clusterUpdated');
    const set = await gql<{
      setIdentifierLinkPolicy: { policy: string; linkable: boolean; status: string; degree: number };
    }>(
      sup1,
      'mutation($v: String!) { setIdentifierLinkPolicy(kind: WECHAT_ID, value: $v, policy: NEVER, reason: "shared family account, not the scammer") { policy linkable status degree } }',
      { v: B1 },
    );
    expect(set.errors).toBeUndefined();
    expect(set.data.setIdentifierLinkPolicy).toEqual({ policy: 'NEVER', linkable: false, status: 'ACTIVE', degree: 3 });
    expect((await split)[0].clusterUpdated.type).toBe('SPLIT');
    // A and B now stand alone; C and D still share P2
    const [a, b, c, d] = await waitLinked(A, B, C, D);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(c).toBe(d);

    const back = await gql<{ setIdentifierLinkPolicy: { linkable: boolean } }>(
      sup1,
      'mutation($v: String!) { setIdentifierLinkPolicy(kind: WECHAT_ID, value: $v, policy: DEFAULT, reason: "confirmed: the mule account") { linkable } }',
      { v: B1 },
    );
    expect(back.data.setIdentifierLinkPolicy.linkable).toBe(true);
    expect(await sameCluster(A, B, C, D)).toBe(true);

    const noReason = await gql(
      sup1,
      'mutation($v: String!) { setIdentifierLinkPolicy(kind: WECHAT_ID, value: $v, policy: NEVER, reason: "  ") { policy } }',
      { v: B1 },
    );
    expect(noReason.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  });

  it('detachIdentifier removes one edge (a bridge: the cluster splits); linkReports joins explicitly', async () => {
    const det = await gql<{ detachIdentifier: { id: string; identifiers: { value: string; detached: boolean }[] } }>(
      inv1,
      'mutation($r: ID!, $v: String!) { detachIdentifier(reportId: $r, kind: WECHAT_ID, value: $v, reason: "victim typed a friend\'s account") { id identifiers { value detached } } }',
      { r: D, v: B1 },
    );
    expect(det.errors).toBeUndefined();
    expect(det.data.detachIdentifier.identifiers).toEqual(expect.arrayContaining([{ value: B1, detached: true }]));
    const [a, b, c, d] = await waitLinked(A, B, C, D);
    expect(a).toBe(b);
    expect(c).toBe(d);
    expect(a).not.toBe(c);

    const notCarried = await gql(
      inv1,
      'mutation($r: ID!) { detachIdentifier(reportId: $r, kind: QQ_ID, value: "123456789", reason: "x") { id } }',
      { r: A },
    );
    expect(notCarried.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const link = await gql<{ linkReports: { id: string; reportCount: number } }>(
      inv1,
      'mutation($a: ID!, $b: ID!) { linkReports(fromReportId: $a, toReportId: $b, reason: "same script, same bank branch") { id reportCount } }',
      { a: A, b: C },
    );
    expect(link.errors).toBeUndefined();
    expect(link.data.linkReports.reportCount).toBe(4);
    expect(await sameCluster(A, B, C, D)).toBe(true);
    const ex = await gql<{ explainLink: { steps: { type: string; id: string }[] } }>(
      inv1,
      'query($a: ID!, $b: ID!) { explainLink(fromReportId: $a, toReportId: $b) { steps { type id } } }',
      { a: B, b: C },
    );
    // B -B1- A, then A ⇢ C by the investigator's link (two adjacent REPORT steps)
    expect(ex.data.explainLink.steps.map((s) => s.id)).toEqual([B, `WECHAT_ID:${B1}`, A, C]);
    const self = await gql(
      inv1,
      'mutation($a: ID!) { linkReports(fromReportId: $a, toReportId: $a, reason: "x") { id } }',
      { a: A },
    );
    expect(self.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  let hubMembers: string[] = [];
  const HUB = wx('kefu');

  it('an identifier crossing its degree cap becomes a HUB and splits the cluster it held; ALWAYS links it again', async () => {
    // cap WECHAT_ID=3: three reports link through HUB, the fourth makes it a hub
    hubMembers = [];
    for (let i = 0; i < 3; i++)
      hubMembers.push(
        await submit([
          { kind: 'WECHAT_ID', value: HUB },
          { kind: 'QQ_ID', value: `7${uniq.length}${i}${Date.now() % 1e6}` },
        ]),
      );
    expect(await sameCluster(...hubMembers)).toBe(true);
    const before = await clusterOf(hubMembers[0]);
    const ws = t.ws(admin.connectionParams);
    const split = collectEvents<{ clusterUpdated: { type: string; splitInto: string[] } }>(
      ws,
      'subscription($c: ID) { clusterUpdated(clusterId: $c) { type splitInto } }',
      { c: before },
      1,
      20_000,
    );
    await waitForChannelSubscribers('linking.clusterUpdated');
    hubMembers.push(await submit([{ kind: 'WECHAT_ID', value: HUB }]));
    const ev = (await split)[0].clusterUpdated;
    expect(ev.type).toBe('SPLIT');
    expect(ev.splitInto).toHaveLength(3);
    const cs = await waitLinked(...hubMembers);
    expect(new Set(cs).size).toBe(4);

    const ident = await gql<{
      identifier: { status: string; degree: number; linkable: boolean; clusterIds: string[] };
    }>(inv1, 'query($v: String!) { identifier(kind: WECHAT_ID, value: $v) { status degree linkable clusterIds } }', {
      v: HUB,
    });
    expect(ident.data.identifier).toMatchObject({ status: 'HUB', degree: 4, linkable: false });
    expect(ident.data.identifier.clusterIds.sort()).toEqual([...cs].sort());

    const hubs = await gql<{
      hubIdentifiers: {
        edges: {
          node: { identifier: { value: string }; degree: number; preview: { clusters: number; reports: number } };
        }[];
      };
    }>(
      sup1,
      'query { hubIdentifiers(first: 50) { edges { node { identifier { value } degree preview { clusters reports truncated } } } totalCount } }',
    );
    expect(hubs.errors).toBeUndefined();
    const mine = hubs.data.hubIdentifiers.edges.find((e) => e.node.identifier.value === HUB);
    expect(mine?.node).toMatchObject({ degree: 4, preview: { clusters: 4, reports: 4 } });

    // caseGraph from a hub member: the hub is one node, never expanded, with its hidden neighbours counted
    const g = await gql<{
      caseGraph: {
        nodes: { id: string; type: string; isHub: boolean; hiddenNeighbourCount: number }[];
        edges: unknown[];
        truncated: boolean;
      };
    }>(
      inv1,
      'query($r: ID!) { caseGraph(root: { reportId: $r }, depth: 2) { nodes { id type label clusterId isHub hiddenNeighbourCount } edges { source target } truncated } }',
      { r: hubMembers[3] },
    );
    expect(g.errors).toBeUndefined();
    const hubNode = g.data.caseGraph.nodes.find((n) => n.id === `WECHAT_ID:${HUB}`);
    expect(hubNode).toMatchObject({ type: 'IDENTIFIER', isHub: true, hiddenNeighbourCount: 3 });
    expect(g.data.caseGraph.nodes.filter((n) => n.type === 'REPORT')).toHaveLength(1);
    expect(g.data.caseGraph.truncated).toBe(false);

    const always = await gql<{ setIdentifierLinkPolicy: { linkable: boolean; status: string } }>(
      sup1,
      'mutation($v: String!) { setIdentifierLinkPolicy(kind: WECHAT_ID, value: $v, policy: ALWAYS, reason: "one call centre persona") { linkable status } }',
      { v: HUB },
    );
    expect(always.data.setIdentifierLinkPolicy).toEqual({ linkable: true, status: 'HUB' });
    expect(await sameCluster(...hubMembers)).toBe(true);
    const queue = await gql<{ hubIdentifiers: { edges: { node: { identifier: { value: string } } }[] } }>(
      sup1,
      'query { hubIdentifiers(first: 100) { edges { node { identifier { value } } } } }',
    );
    expect(queue.data.hubIdentifiers.edges.map((e) => e.node.identifier.value)).not.toContain(HUB);
  });

  it('caseGraph of a cluster stops at `limit` nodes and says so', async () => {
    const cid = await clusterOf(hubMembers[0]);
    const g = await gql<{ caseGraph: { nodes: unknown[]; truncated: boolean } }>(
      inv1,
      'query($c: ID!) { caseGraph(root: { clusterId: $c }, depth: 2, limit: 3) { nodes { id } edges { source target } truncated } }',
      { c: cid },
    );
    expect(g.errors).toBeUndefined();
    expect(g.data.caseGraph.nodes).toHaveLength(3);
    expect(g.data.caseGraph.truncated).toBe(true);
    const full = await gql<{ caseGraph: { nodes: { type: string }[]; truncated: boolean } }>(
      inv1,
      'query($c: ID!) { caseGraph(root: { clusterId: $c }) { nodes { type } truncated } }',
      { c: cid },
    );
    expect(full.data.caseGraph.truncated).toBe(false);
    expect(full.data.caseGraph.nodes.filter((n) => n.type === 'REPORT')).toHaveLength(4);
    const two = await gql(inv1, 'query($c: ID!) { caseGraph(root: { clusterId: $c, reportId: "x" }) { truncated } }', {
      c: cid,
    });
    expect(two.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'root' });
  });

  it('unit scoping: a DG02-only cluster is FORBIDDEN to an investigator of DG01 and absent from their lists', async () => {
    const Q = wx('dg02');
    const x = await submit([{ kind: 'WECHAT_ID', value: Q }], { regionCode: 'DG02' });
    const y = await submit([{ kind: 'WECHAT_ID', value: Q }], { regionCode: 'DG02' });
    expect(await sameCluster(x, y)).toBe(true);
    const cid = (await clusterOf(x)) as string;
    const forbidden = await gql(inv1, 'query($id: ID!) { cluster(id: $id) { id } }', { id: cid });
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(
      (await gql(inv1, 'query($id: ID!) { report(id: $id) { id } }', { id: x })).errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await gql(inv1, 'query($id: ID!) { caseGraph(root: { reportId: $id }) { truncated } }', { id: x })).errors?.[0]
        .extensions?.code,
    ).toBe('FORBIDDEN');
    const own = await gql<{ cluster: { reportCount: number } }>(
      inv2,
      'query($id: ID!) { cluster(id: $id) { reportCount } }',
      { id: cid },
    );
    expect(own.data.cluster.reportCount).toBe(2);
    const list1 = await gql<{ clusters: { edges: { node: { id: string } }[] } }>(
      inv1,
      'query { clusters(first: 100) { edges { node { id } } } }',
    );
    const list2 = await gql<{ clusters: { edges: { node: { id: string } }[] } }>(
      inv2,
      'query { clusters(first: 100, filter: { regionCode: "DG02" }) { edges { node { id } } } }',
    );
    expect(list1.data.clusters.edges.map((e) => e.node.id)).not.toContain(cid);
    expect(list2.data.clusters.edges.map((e) => e.node.id)).toContain(cid);
    // a DG02 investigator cannot judge DG01 reports
    const judge = await gql(
      inv2,
      'mutation($a: ID!, $b: ID!) { linkReports(fromReportId: $a, toReportId: $b, reason: "x") { id } }',
      { a: A, b: x },
    );
    expect(judge.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('lists clusters sorted by size, loss and growth', async () => {
    for (const sort of ['SIZE', 'LOSS', 'GROWTH', 'RECENT']) {
      const res = await gql<{
        clusters: { edges: { node: { id: string; reportCount: number; growth: number } }[]; totalCount: number };
      }>(
        admin,
        `query { clusters(first: 10, sort: ${sort}) { edges { node { id reportCount growth totalLoss } } totalCount } }`,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.clusters.totalCount).toBeGreaterThanOrEqual(3);
      if (sort === 'SIZE') {
        const sizes = res.data.clusters.edges.map((e) => e.node.reportCount);
        expect(sizes).toEqual([...sizes].sort((p, q) => q - p));
      }
      if (sort === 'GROWTH') {
        const growth = res.data.clusters.edges.map((e) => e.node.growth);
        expect(growth).toEqual([...growth].sort((p, q) => q - p));
      }
    }
  });

  it('keeps the judgement log: every judgement with its reason, scoped to the units concerned', async () => {
    const log = await gql<{
      linkJudgements: { edges: { node: { action: string; reason: string; objectId: string } }[]; totalCount: number };
    }>(
      sup1,
      'query { linkJudgements(first: 50) { edges { node { action reason objectId actorId unitCodes } } totalCount } }',
    );
    expect(log.errors).toBeUndefined();
    const entries = log.data.linkJudgements.edges.map((e) => e.node);
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['LINK_POLICY_SET', 'IDENTIFIER_DETACHED', 'REPORTS_LINKED']),
    );
    expect(entries.map((e) => e.reason)).toEqual(
      expect.arrayContaining([
        'shared family account, not the scammer',
        "victim typed a friend's account",
        'same script, same bank branch',
        'one call centre persona',
      ]),
    );
    const dg02 = await gql<{ linkJudgements: { edges: { node: { reason: string } }[] } }>(
      inv2,
      'query { linkJudgements(first: 50) { edges { node { reason } } } }',
    );
    expect(dg02.data.linkJudgements.edges.map((e) => e.node.reason)).not.toContain(
      'shared family account, not the scammer',
    );
  });

  it('a commit interrupted after its commit point is redone by the next holder; lost Redis version hints are rebuilt', async () => {
    const conn = storeOf(t);
    const repo = t.app.get(LinkStoreRepository);
    const redis = t.app.get<Redis>(REDIS);
    const journal = conn.collection<{ _id: string; [k: string]: unknown }>('link_journal');
    const [current] = await repo.getManyVersioned('reports', [A]);
    expect(current.doc).toBeDefined();
    // what a holder that crashed right after its commit point leaves: the journal and its marker, nothing applied
    const writes = [{ col: 'reports', id: A, doc: current.doc, version: current.version + 1 }];
    await journal.updateOne(
      { _id: 'chunk:0' },
      { $set: { opId: 'crashed-op', data: JSON.stringify(writes) } },
      { upsert: true },
    );
    const counter = await journal.findOne({ _id: 'counter' });
    await journal.insertOne({
      _id: 'commit',
      opId: 'crashed-op',
      chunks: 1,
      n: Number(counter?.n ?? 0) + 1,
      at: new Date(),
    });
    expect((await repo.getManyVersioned('reports', [A]))[0].version).toBe(current.version);

    // the next holder (any judgement) redoes it before anything else
    const touch =
      'mutation($v: String!) { setIdentifierLinkPolicy(kind: QQ_ID, value: $v, policy: DEFAULT, reason: "recovery probe") { policy } }';
    expect((await gql(sup1, touch, { v: '5566778899' })).errors).toBeUndefined();
    expect(await journal.findOne({ _id: 'commit' })).toBeNull();
    expect((await repo.getManyVersioned('reports', [A]))[0]).toMatchObject({
      version: current.version + 1,
      doc: current.doc,
    });

    // Redis loses the version hints (a restart without persistence): the commit counters differ, the next
    // holder rebuilds the hints from the store before it reads
    await redis.del(
      `${t.cfg.queue.prefix}:link:commits`,
      `${t.cfg.queue.prefix}:link:v:reports`,
      `${t.cfg.queue.prefix}:link:v:clusters`,
    );
    expect((await gql(sup1, touch, { v: '5566778899' })).errors).toBeUndefined();
    expect((await repo.getManyVersioned('reports', [A]))[0].version).toBe(current.version + 1);
    expect(await sameCluster(A, B, C, D)).toBe(true);
  });

  it('events of a holder that died after its commit are delivered by a later hold (subscription and job)', async () => {
    const journal = storeOf(t).collection<{ _id: string; [k: string]: unknown }>('link_journal');
    const cid = (await clusterOf(A)) as string;
    const at = new Date(Date.now() - 2 * OUTBOX_REDELIVERY_MS);
    // what a holder leaves when it dies between its commit and the delivery: the outbox in the journal
    const opId = `crashed-${uniq}`;
    await journal.insertOne({
      _id: `outbox:${opId}`,
      opId,
      at,
      events: [{ type: 'GREW', clusterId: cid, mergedFrom: [], splitInto: [], size: 4, regionCodes: ['DG01'], at }],
    });
    const ws = t.ws(admin.connectionParams);
    const got = collectEvents<{ clusterUpdated: { type: string; clusterId: string; size: number } }>(
      ws,
      'subscription($c: ID) { clusterUpdated(clusterId: $c) { type clusterId size } }',
      { c: cid },
      1,
      20_000,
    );
    await waitForChannelSubscribers('linking.clusterUpdated');
    const touch =
      'mutation($v: String!) { setIdentifierLinkPolicy(kind: QQ_ID, value: $v, policy: DEFAULT, reason: "outbox probe") { policy } }';
    expect((await gql(sup1, touch, { v: '5566778899' })).errors).toBeUndefined();
    expect(await got).toEqual([{ clusterUpdated: { type: 'GREW', clusterId: cid, size: 4 } }]);
    expect(await journal.findOne({ _id: `outbox:${opId}` })).toBeNull();
    const job = await t.app.get<Queue>(getQueueToken(Queues.EVENTS)).getJob(`cluster.updated:${opId}:0`);
    expect(job?.data).toMatchObject({ eventId: `${opId}:0`, type: 'GREW', clusterId: cid, size: 4 });
    await ws.dispose();
  });

  it('after all of it the stored partition verifies; recluster rebuilds the same partition', async () => {
    const recluster = t.app.get(ReclusterService);
    // every queued link job has run (the last submissions are linked: waitLinked above)
    const v = await recluster.verify();
    expect(verifyFindings(v)).toEqual(NO_FINDINGS);
    expect(v.ok).toBe(true);
    const partition = async () => {
      const ids = [A, B, C, D, ...hubMembers];
      const cs = await Promise.all(ids.map(clusterOf));
      const groups = new Map<string, string[]>();
      ids.forEach((id, i) => groups.set(cs[i] as string, [...(groups.get(cs[i] as string) ?? []), id]));
      return [...groups.values()].map((g) => g.sort()).sort();
    };
    const before = await partition();
    const r = await recluster.recluster();
    expect(r.reports).toBe(v.reportCount);
    expect(await partition()).toEqual(before);
    expect((await recluster.verify()).ok).toBe(true);
  });
});
