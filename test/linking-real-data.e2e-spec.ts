/**
 * Linking on real data. ../shared/data/scams.yaml (EtherScamDB) is imported through the import service (which
 * links in bulk), then the clusters are computed INDEPENDENTLY here — the YAML parsed whole by js-yaml, each
 * record's URL and addresses normalised with the identifier library, degrees counted, the warninglist and the
 * default degree caps applied, a union-find of its own — and the stored partition must equal it exactly.
 * Platform domains (twitter.com …) must link nothing. Then the FTC Do-Not-Call file: the 42 complaints about
 * +1 315-232-8257 are one cluster of 42 reports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { PROJECT_ROOT } from '../src/config/config';
import {
  DEFAULT_DEGREE_CAPS,
  identifierKey,
  normalizeIdentifier,
  warninglistLookup,
  type IdentifierKind,
} from '../src/identifiers';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { contentDigest, importId } from '../src/imports/content-key';
import { ImportService } from '../src/imports/import.service';
import type { LinkCluster, LinkIdentifier, LinkReport } from '../src/linking/engine';
import { LinkStoreRepository } from '../src/linking/link-store.repository';
import { ReclusterService } from '../src/linking/recluster.service';
import { Queues } from '../src/queue/queue.constants';
import { loginAsAdmin, LoggedIn, startTestApp, TestApp } from './support/test-app';
import { Receipt, SUBMIT, validReport } from './support/reports';
import { NO_FINDINGS, verifyFindings } from './support/verify';

const DATA = join(PROJECT_ROOT, '..', 'shared', 'data');
const SCAMS = join(DATA, 'scams.yaml');
const DNC = join(DATA, 'dnc_complaint_numbers_2021-07-08.csv');

interface Scam {
  id?: unknown;
  url?: unknown;
  coin?: unknown;
  addresses?: unknown;
}

/**
 * The independent reference: report id -> identifier keys, straight from the file. A record is a report unless
 * the same record came before; the first record of a source id is `etherscamdb:<id>`, another record of that id
 * `etherscamdb:<id>~<digest of its content>` (the import's key rule, content-key.ts: only the ids' spelling is
 * taken from it).
 */
function scamsEdges(): Map<string, string[]> {
  const records = yaml.load(readFileSync(SCAMS, 'utf8'), { schema: yaml.JSON_SCHEMA }) as Scam[];
  const edges = new Map<string, string[]>();
  const firstOfId = new Map<number, string>();
  const keysOf = (kind: IdentifierKind, value: string, coin?: string): string[] => {
    const n = normalizeIdentifier({ kind, value }, { coin });
    return n.ok ? [n.identifier, ...n.derived].map((i) => identifierKey(i.kind, i.value)) : [];
  };
  for (const r of records) {
    if (typeof r.id !== 'number') continue;
    const keys = new Set<string>();
    if (typeof r.url === 'string' && r.url.trim()) for (const k of keysOf('URL', r.url)) keys.add(k);
    // the record's coin names the chain of its addresses (an address of an unknown coin is kept as written)
    const coin = typeof r.coin === 'string' ? r.coin : undefined;
    for (const a of Array.isArray(r.addresses) ? r.addresses : [])
      for (const k of keysOf('CRYPTO_WALLET', String(a), coin)) keys.add(k);
    if (keys.size === 0) continue;
    const digest = contentDigest('etherscamdb', r as Record<string, unknown>);
    const first = firstOfId.get(r.id);
    if (first === digest) continue;
    if (first === undefined) firstOfId.set(r.id, digest);
    edges.set(importId('etherscamdb', String(r.id), first === undefined ? undefined : digest), [...keys]);
  }
  return edges;
}

const warninglisted = (key: string) => {
  const i = key.indexOf(':');
  return warninglistLookup({ kind: key.slice(0, i) as IdentifierKind, value: key.slice(i + 1) }) !== undefined;
};

/** Connected components under the rules, with a union-find of its own. */
function components(edges: Map<string, string[]>): string[][] {
  const degree = new Map<string, number>();
  for (const keys of edges.values()) for (const k of keys) degree.set(k, (degree.get(k) ?? 0) + 1);
  const parent = new Map<string, string>([...edges.keys()].map((id) => [id, id]));
  const find = (x: string): string => {
    while (parent.get(x) !== x) {
      parent.set(x, parent.get(parent.get(x) as string) as string);
      x = parent.get(x) as string;
    }
    return x;
  };
  const first = new Map<string, string>();
  for (const [id, keys] of edges) {
    for (const k of keys) {
      const kind = k.slice(0, k.indexOf(':')) as IdentifierKind;
      if (warninglisted(k) || (degree.get(k) ?? 0) > DEFAULT_DEGREE_CAPS[kind]) continue;
      const f = first.get(k);
      if (f === undefined) first.set(k, id);
      else parent.set(find(id), find(f));
    }
  }
  const groups = new Map<string, string[]>();
  for (const id of edges.keys()) groups.set(find(id), [...(groups.get(find(id)) ?? []), id]);
  return canonical(groups.values());
}

function canonical(groups: Iterable<string[]>): string[][] {
  return [...groups].map((g) => [...g].sort()).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

// Slow: about 5.5 minutes on 2 idle cores (the FTC file is 14,034 rows, each imported, indexed and linked);
// the timeouts leave room for a machine busy with other work.
describe('linking on real data (EtherScamDB, FTC Do-Not-Call)', () => {
  let t: TestApp;
  let admin: LoggedIn;

  beforeAll(async () => {
    t = await startTestApp({ LINK_BATCH_SIZE: '500' });
    admin = await loginAsAdmin(t);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  /** The cluster (aliases resolved) of every stored report whose id starts with `prefix`. */
  const clusterOf = async (prefix: string, app: TestApp = t): Promise<Map<string, string>> => {
    const repo = app.app.get(LinkStoreRepository);
    const clusters = new Map((await repo.scanLatest('clusters')).map((c) => [c._id, c as unknown as LinkCluster]));
    const root = (id: string) => {
      let c = clusters.get(id);
      while (c?.mergedInto) c = clusters.get(c.mergedInto);
      return c?._id ?? `missing:${id}`;
    };
    const of = new Map<string, string>();
    for (const r of (await repo.scanLatest('reports')) as unknown as LinkReport[])
      if (r._id.startsWith(prefix)) of.set(r._id, root(r.clusterId));
    return of;
  };
  /** The stored partition of the reports whose id starts with `prefix` (link documents, aliases resolved). */
  const stored = async (prefix: string, app: TestApp = t): Promise<string[][]> => {
    const groups = new Map<string, string[]>();
    for (const [id, g] of await clusterOf(prefix, app)) groups.set(g, [...(groups.get(g) ?? []), id]);
    return canonical(groups.values());
  };
  /** `cluster.updated` events published so far (jobs on the events queue, in any state). */
  const events = async (app: TestApp = t): Promise<number> => {
    const queue: Queue = app.app.get<Queue>(getQueueToken(Queues.EVENTS));
    const counts: Record<string, number> = { ...(await queue.getJobCounts()) };
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };

  it('EtherScamDB: the stored clusters equal an independent connected-components computation over the file', async () => {
    const eventsBefore = await events();
    const summary = await t.app.get(ImportService).run('etherscamdb', SCAMS);
    const edges = scamsEdges();
    expect(summary.imported).toBe(edges.size);

    const expected = components(edges);
    const multi = expected.filter((g) => g.length > 1);
    const largest = multi.map((g) => g.length).sort((a, b) => b - a);
    process.stdout.write(
      `etherscamdb: ${edges.size} reports, ${expected.length} clusters, ${multi.length} with more than one report, largest ${largest.slice(0, 8).join(', ')}\n`,
    );
    const got = await stored('etherscamdb:');
    const gotMulti = got.filter((g) => g.length > 1);
    expect(gotMulti.length).toBe(multi.length);
    expect(gotMulti.map((g) => g.length).sort((a, b) => b - a)).toEqual(largest);
    expect(got).toEqual(expected);
    // the NEO address 19 records share (found in the raw text of the file, not by the library) links them
    const neo = (yaml.load(readFileSync(SCAMS, 'utf8'), { schema: yaml.JSON_SCHEMA }) as Scam[])
      .filter((r) => Array.isArray(r.addresses) && r.addresses.includes('ATVMaR3SXKRBtwCNgPjV5k2YzEgzMDYeaf'))
      .map((r) => `etherscamdb:${String(r.id)}`);
    expect(neo).toHaveLength(19);
    const neoGroup = got.find((g) => g.includes(neo[0])) ?? [];
    for (const id of neo) expect(neoGroup).toContain(id);
    // the figures the data gives under the default caps and the warninglist (derived above, pinned here)
    expect({ multi: multi.length, largest: largest.slice(0, 3) }).toEqual(PINNED_SCAMS);
    // the store's first data: linked by one rebuild, which publishes no cluster.updated event (holds do)
    expect(await events()).toBe(eventsBefore);
  }, 300_000);

  it('EtherScamDB into a store that already has links: linked in holds, to the same clusters', async () => {
    const t2 = await startTestApp({ LINK_BATCH_SIZE: '500' });
    try {
      const receipt = await t2.gql<{ submitReport: Receipt }>(SUBMIT, {
        input: validReport({ identifiers: [{ value: '13900001111' }] }),
      });
      expect(receipt.body.errors).toBeUndefined();
      const repo = t2.app.get(LinkStoreRepository);
      const deadline = Date.now() + 20_000;
      while (await repo.nothingLinked()) {
        if (Date.now() > deadline) throw new Error('the public report was not linked within 20 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      const eventsBefore = await events(t2);
      const summary = await t2.app.get(ImportService).run('etherscamdb', SCAMS);
      expect(summary.imported).toBe(scamsEdges().size);
      expect(await stored('etherscamdb:', t2)).toEqual(components(scamsEdges()));
      // linked hold by hold: every hold publishes its clusters' events
      expect(await events(t2)).toBeGreaterThan(eventsBefore + 400);
      expect(verifyFindings(await t2.app.get(ReclusterService).verify())).toEqual(NO_FINDINGS);
    } finally {
      await t2.close();
    }
  }, 300_000);

  it('platform domains (twitter.com …) link nothing', async () => {
    const edges = scamsEdges();
    const platformKeys = [...new Set([...edges.values()].flat().filter(warninglisted))];
    expect(platformKeys).toContain('DOMAIN:twitter.com');
    const repo = t.app.get(LinkStoreRepository);
    const docs = (await repo.getMany('identifiers', platformKeys)) as (LinkIdentifier | undefined)[];
    for (const d of docs) {
      expect(d).toMatchObject({ warninglisted: true, status: 'WARNINGLISTED' });
      expect(d?.clusterId).toBeUndefined();
    }
    const twitter = await t.gql<{
      identifier: { status: string; linkable: boolean; degree: number; clusterIds: string[] };
    }>(
      'query { identifier(kind: DOMAIN, value: "twitter.com") { status linkable degree clusterIds } }',
      {},
      admin.headers,
    );
    const ident = twitter.body.data?.identifier;
    expect(ident).toMatchObject({ status: 'WARNINGLISTED', linkable: false });
    expect(ident?.degree).toBeGreaterThanOrEqual(17);
    // the reports pointing at twitter.com stay in as many clusters as their other identifiers make
    const carriers = [...edges].filter(([, keys]) => keys.includes('DOMAIN:twitter.com')).map(([id]) => id);
    const ref = components(edges);
    const refClusters = new Set(carriers.map((id) => ref.findIndex((g) => g.includes(id))));
    expect(new Set(ident?.clusterIds).size).toBe(refClusters.size);
    expect(refClusters.size).toBeGreaterThan(carriers.length / 2);
  }, 60_000);

  it('FTC Do-Not-Call: the 42 complaints about +13152328257 are one cluster of 42 reports', async () => {
    const before = await clusterOf('etherscamdb:');
    await t.app.get(ImportService).run('ftc-dnc', DNC);
    // a second import links in holds: the clusters of the first keep their ids
    expect(await clusterOf('etherscamdb:')).toEqual(before);
    const res = await t.gql<{ identifier: { degree: number; clusterIds: string[] } }>(
      'query { identifier(kind: PHONE, value: "+13152328257") { degree clusterIds } }',
      {},
      admin.headers,
    );
    expect(res.body.data?.identifier.degree).toBe(42);
    expect(res.body.data?.identifier.clusterIds).toHaveLength(1);
    const cluster = await t.gql<{ cluster: { reportCount: number; victimCount: number } }>(
      'query($id: ID!) { cluster(id: $id) { reportCount victimCount } }',
      { id: res.body.data?.identifier.clusterIds[0] },
      admin.headers,
    );
    expect(cluster.body.data?.cluster).toEqual({ reportCount: 42, victimCount: 42 });
  }, 600_000);

  it('the whole store verifies against the from-scratch reference', async () => {
    const v = await t.app.get(ReclusterService).verify();
    expect(verifyFindings(v)).toEqual(NO_FINDINGS);
  }, 300_000);
});

describe('the first-data rebuild of an import', () => {
  it('links every unlinked stored report at once, and gives up writing nothing above its bound', async () => {
    // no worker: the submitted reports stay unlinked, as an import's do until its end
    const t = await startTestApp({ WORKER_IN_API: 'false' });
    try {
      for (const value of ['13900002222', '13900003333', '13900003333 / 6222021234567890123']) {
        const res = await t.gql<{ submitReport: Receipt }>(SUBMIT, {
          input: validReport({ identifiers: [{ value: value.split(' / ')[0] }], narrative: value }),
        });
        expect(res.body.errors).toBeUndefined();
      }
      const repo = t.app.get(LinkStoreRepository);
      const rebuild = t.app.get(ReclusterService);
      expect(await rebuild.linkFirstData(2)).toBeUndefined(); // three reports: more than the bound
      expect(await repo.nothingLinked()).toBe(true);
      expect(await repo.reclusterInterrupted()).toBe(false);
      const done = await rebuild.linkFirstData(3);
      expect(done).toMatchObject({ reports: 3, newlyLinked: 3, clusters: 2, multiReportClusters: 1 });
      expect(await repo.nothingLinked()).toBe(false);
      expect(await repo.reclusterInterrupted()).toBe(false);
      expect(await rebuild.linkFirstData(3)).toBeUndefined(); // once anything is linked: holds, not a rebuild
    } finally {
      await t.close();
    }
  }, 60_000);
});

/** Derived from scams.yaml by `components` above (default caps, warninglist v1 + platform-domains 1.1.0); pinned so a drift is seen. */
const PINNED_SCAMS = { multi: 457, largest: [38, 33, 33] };
