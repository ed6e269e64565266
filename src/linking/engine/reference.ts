/**
 * The reference semantics, computed from scratch with a plain union-find over all reports: what every test and
 * `recluster --verify` compares the incremental state with. Deliberately independent of the engine's code paths
 * (only the linkability rule in rules.ts is shared).
 */
import { capFor, identifierStatus, isLinkableStatus, type DegreeCaps } from './rules';
import type { LinkStore } from './store';
import type { LinkCluster, LinkIdentifier, LinkPolicy } from './types';

export interface ReferenceInput {
  /** every report with the identifier keys it was submitted with (before detaches) */
  reports: readonly { id: string; identifierKeys: readonly string[] }[];
  /** investigator policies (keys absent: DEFAULT) */
  policies: ReadonlyMap<string, LinkPolicy>;
  /** edges removed by investigators */
  detaches: readonly { reportId: string; key: string }[];
  /** explicit investigator links */
  links: readonly (readonly [string, string])[];
  caps: DegreeCaps;
  isWarninglisted: (key: string) => boolean;
}

/** A partition in canonical form: members sorted, components sorted by their first member. */
export type Partition = string[][];

export function canonicalPartition(groups: Iterable<Iterable<string>>): Partition {
  const out = [...groups].map((g) => [...g].sort()).filter((g) => g.length > 0);
  out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return out;
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  add(x: string): void {
    if (!this.parent.has(x)) this.parent.set(x, x);
  }
  find(x: string): string {
    let r = x;
    while (this.parent.get(r) !== r) r = this.parent.get(r) ?? r;
    let c = x;
    while (c !== r) {
      const n = this.parent.get(c) ?? r;
      this.parent.set(c, r);
      c = n;
    }
    return r;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

/** Edges in force: submitted edges minus detaches, one per (report, key). */
export function edgesInForce(input: Pick<ReferenceInput, 'reports' | 'detaches'>): Map<string, Set<string>> {
  const detached = new Set(input.detaches.map((d) => `${d.reportId}\u0000${d.key}`));
  const edges = new Map<string, Set<string>>();
  for (const r of input.reports) {
    edges.set(r.id, new Set(r.identifierKeys.filter((k) => !detached.has(`${r.id}\u0000${k}`))));
  }
  return edges;
}

/** The clusters the rules define, from scratch. */
export function referencePartition(input: ReferenceInput): Partition {
  const edges = edgesInForce(input);
  const degree = new Map<string, number>();
  for (const keys of edges.values()) for (const k of keys) degree.set(k, (degree.get(k) ?? 0) + 1);
  const uf = new UnionFind();
  const firstCarrier = new Map<string, string>();
  for (const [id, keys] of edges) {
    uf.add(id);
    for (const k of keys) {
      const status = identifierStatus(
        {
          degree: degree.get(k) ?? 0,
          policy: input.policies.get(k) ?? 'DEFAULT',
          warninglisted: input.isWarninglisted(k),
        },
        capFor(input.caps, k),
      );
      if (!isLinkableStatus(status)) continue;
      const first = firstCarrier.get(k);
      if (first === undefined) firstCarrier.set(k, id);
      else uf.union(first, id);
    }
  }
  for (const [a, b] of input.links) {
    if (edges.has(a) && edges.has(b)) uf.union(a, b);
  }
  const groups = new Map<string, string[]>();
  for (const id of edges.keys()) {
    const r = uf.find(id);
    const g = groups.get(r);
    if (g) g.push(id);
    else groups.set(r, [id]);
  }
  return canonicalPartition(groups.values());
}

export type VerifyDifference =
  | { kind: 'MISSING_MERGE'; reportIds: string[]; clusterIds: string[] }
  | { kind: 'MISSING_SPLIT'; clusterId: string; reportIds: string[] }
  | { kind: 'BAD_CLUSTER_REF'; reportId: string; clusterId: string; problem: string }
  | { kind: 'DEGREE_MISMATCH'; key: string; stored: number; actual: number }
  | { kind: 'MISSING_IDENTIFIER'; key: string }
  | { kind: 'SIZE_MISMATCH'; clusterId: string; stored: number; actual: number }
  | { kind: 'WARNINGLIST_OUTDATED'; key: string; stored: boolean; current: boolean };

export interface VerifyResult {
  ok: boolean;
  reportCount: number;
  clusterCount: number;
  differences: VerifyDifference[];
}

/**
 * Compares the stored assignment (aliases resolved, read-only: no path compression) with the reference
 * partition computed from the stored edges, explicit links and identifier policies. Partitions are compared
 * as partitions: cluster ids do not matter. With `isWarninglisted`, identifiers whose stored flag differs from
 * the current list are reported too (roll the change out with setWarninglisted). Full scan: batch use only.
 */
export async function verifyStore(
  store: LinkStore,
  options: { caps: DegreeCaps; isWarninglisted?: (key: string) => boolean; maxDifferences?: number },
): Promise<VerifyResult> {
  const max = options.maxDifferences ?? 1000;
  const differences: VerifyDifference[] = [];
  const push = (d: VerifyDifference) => {
    if (differences.length < max) differences.push(d);
  };
  const reports: { id: string; identifierKeys: string[] }[] = [];
  const links: [string, string][] = [];
  const storedCluster = new Map<string, string>();
  const rootCache = new Map<string, LinkCluster | undefined>();
  const resolve = async (id: string): Promise<LinkCluster | undefined> => {
    if (rootCache.has(id)) return rootCache.get(id);
    let c = await store.getCluster(id);
    let hops = 0;
    while (c?.mergedInto !== undefined && hops++ < 10_000) c = await store.getCluster(c.mergedInto);
    rootCache.set(id, c);
    return c;
  };
  const carriers = new Map<string, number>();
  for await (const r of store.scanReports()) {
    reports.push({ id: r._id, identifierKeys: r.identifierKeys });
    for (const k of r.identifierKeys) carriers.set(k, (carriers.get(k) ?? 0) + 1);
    for (const other of r.explicitLinks) if (r._id < other) links.push([r._id, other]);
    const root = await resolve(r.clusterId);
    if (!root) push({ kind: 'BAD_CLUSTER_REF', reportId: r._id, clusterId: r.clusterId, problem: 'missing' });
    else if (root.dead) push({ kind: 'BAD_CLUSTER_REF', reportId: r._id, clusterId: r.clusterId, problem: 'dead' });
    else storedCluster.set(r._id, root._id);
  }
  const idents = new Map<string, LinkIdentifier>();
  for (const [key, actual] of carriers) {
    const doc = await store.getIdentifier(key);
    if (!doc) {
      push({ kind: 'MISSING_IDENTIFIER', key });
      continue;
    }
    idents.set(key, doc);
    if (doc.degree !== actual) push({ kind: 'DEGREE_MISMATCH', key, stored: doc.degree, actual });
    const current = options.isWarninglisted?.(key);
    if (current !== undefined && current !== doc.warninglisted) {
      push({ kind: 'WARNINGLIST_OUTDATED', key, stored: doc.warninglisted, current });
    }
  }
  const policies = new Map<string, LinkPolicy>();
  for (const [k, d] of idents) policies.set(k, d.policy);
  const partition = referencePartition({
    reports,
    policies,
    detaches: [],
    links,
    caps: options.caps,
    isWarninglisted: (k) => idents.get(k)?.warninglisted ?? false,
  });
  const refOf = new Map<string, number>();
  partition.forEach((g, i) => g.forEach((id) => refOf.set(id, i)));
  for (const g of partition) {
    const clusters = new Set(g.map((id) => storedCluster.get(id)).filter((c): c is string => c !== undefined));
    if (clusters.size > 1) push({ kind: 'MISSING_MERGE', reportIds: g, clusterIds: [...clusters].sort() });
  }
  const byCluster = new Map<string, string[]>();
  for (const [rid, cid] of storedCluster) {
    const l = byCluster.get(cid);
    if (l) l.push(rid);
    else byCluster.set(cid, [rid]);
  }
  for (const [cid, members] of byCluster) {
    const comps = new Set(members.map((id) => refOf.get(id)));
    if (comps.size > 1) push({ kind: 'MISSING_SPLIT', clusterId: cid, reportIds: members.sort() });
    const root = rootCache.get(cid) ?? (await store.getCluster(cid));
    if (root && root.size !== members.length) {
      push({ kind: 'SIZE_MISMATCH', clusterId: cid, stored: root.size, actual: members.length });
    }
  }
  return { ok: differences.length === 0, reportCount: reports.length, clusterCount: byCluster.size, differences };
}
