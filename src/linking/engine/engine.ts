/**
 * The incremental linking engine. Edges are report ↔ identifier only; a cluster is a connected component of
 * reports over linkable identifiers (see rules.ts) and explicit investigator links, minus detached edges.
 *
 * Union-find lives in the store: a merged cluster becomes an alias (`mergedInto`) of the surviving root, which
 * `find` follows and compresses. Merges are union by size (the smaller list's pages move to the larger, its
 * summary is folded in); anything that can break a cluster (an identifier crossing its cap, NEVER, a detach, an
 * unlink, the warninglist) recomputes only that cluster from its own members.
 *
 * Concurrency: the engine assumes it is the only writer while one operation runs; the caller serialises
 * operations (a Redis lock per linking partition or a single queue consumer). No operation depends on store
 * atomicity.
 *
 * Idempotency (a re-delivered job changes nothing):
 * - addReport: a report whose document exists is a no-op (the report document is written last, after the
 *   identifiers and clusters, so "exists" means "was fully linked" — see the note on crashes below);
 * - setPolicy / setWarninglisted: setting the current value is a no-op;
 * - detach: an already detached key is a no-op; reattach: an attached key is a no-op;
 * - linkReports: an existing link is a no-op; unlinkReports: a missing link is a no-op;
 * - recomputeCluster: a consistent cluster is rewritten with identical values; a dead cluster is a no-op.
 * A crash in the middle of an operation can leave identifier degrees incremented without the report document;
 * `verify` (recluster --verify) detects it and `recluster` rebuilds from the stored edges.
 */
import { emptySummary, addFacts, mergeSummaries, summarize, topN, validateFacts } from './summary';
import { capFor, identifierStatus, isLinkableStatus, kindOfKey, type DegreeCaps } from './rules';
import { MemberLists } from './member-lists';
import type { LinkStore } from './store';
import {
  LINK_POLICIES,
  LinkEngineError,
  type IdentifierStatus,
  type LinkCluster,
  type LinkEvent,
  type LinkIdentifier,
  type LinkPolicy,
  type LinkReport,
  type NewLinkReport,
  type SummaryFacts,
  type TopIdentifier,
} from './types';
import { explainLink, type LinkExplanation } from './graph';

export const DEFAULT_PAGE_SIZE = 256;
export const DEFAULT_TOP_IDENTIFIERS = 10;

export interface LinkingEngineOptions {
  /** degree cap per identifier kind, e.g. DEFAULT_DEGREE_CAPS */
  caps: DegreeCaps;
  /** consulted once, when an identifier document is created (see setWarninglisted for list updates) */
  isWarninglisted: (key: string) => boolean;
  /** items per member page (default 256) */
  pageSize?: number;
  /** length of ClusterSummary.topIdentifiers (default 10) */
  topIdentifiers?: number;
  /**
   * Identifiers known to end above their cap (a rebuild, which has every report up front: see
   * ReclusterService): never linked through while they climb to it, so that the cluster they would join is not
   * split again when they cross it. The partition at the end is the same; only DEFAULT identifiers are meant.
   */
  endsAboveCap?: ReadonlySet<string>;
}

/** Tiny array-based union-find for recomputing one cluster in memory. */
class LocalUnionFind {
  private readonly parent: number[];
  private readonly size: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
    this.size = new Array<number>(n).fill(1);
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]];
      x = this.parent[x];
    }
    return x;
  }
  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
  }
}

function deadOrAlias(id: string, extra: Partial<LinkCluster>): LinkCluster {
  return { _id: id, size: 0, memberPages: [], crossVictims: [], summary: emptySummary(), ...extra };
}

export class LinkingEngine {
  readonly lists: MemberLists;
  readonly topCount: number;

  constructor(
    readonly store: LinkStore,
    readonly options: LinkingEngineOptions,
  ) {
    this.lists = new MemberLists(store, options.pageSize ?? DEFAULT_PAGE_SIZE);
    this.topCount = options.topIdentifiers ?? DEFAULT_TOP_IDENTIFIERS;
  }

  // ---------------------------------------------------------------- rules

  statusOf(ident: Pick<LinkIdentifier, '_id' | 'degree' | 'policy' | 'warninglisted'>): IdentifierStatus {
    return identifierStatus(ident, capFor(this.options.caps, ident._id));
  }

  isLinkable(ident: Pick<LinkIdentifier, '_id' | 'degree' | 'policy' | 'warninglisted'>): boolean {
    if (ident.policy === 'DEFAULT' && this.options.endsAboveCap?.has(ident._id)) return false;
    return isLinkableStatus(this.statusOf(ident));
  }

  private newIdentifier(key: string): LinkIdentifier {
    const ident: LinkIdentifier = {
      _id: key,
      kind: kindOfKey(key),
      degree: 0,
      policy: 'DEFAULT',
      warninglisted: this.options.isWarninglisted(key),
      status: 'ACTIVE',
      memberPages: [],
    };
    ident.status = this.statusOf(ident);
    return ident;
  }

  private validKey(key: string): string {
    try {
      capFor(this.options.caps, key);
    } catch (e) {
      throw new LinkEngineError('BAD_INPUT', (e as Error).message);
    }
    return key;
  }

  // ---------------------------------------------------------------- reads

  /** The root of a cluster id (follows aliases and compresses the path). A dead cluster is its own root. */
  async find(clusterId: string): Promise<LinkCluster> {
    let c = await this.store.getCluster(clusterId);
    if (!c) throw new LinkEngineError('NOT_FOUND', `cluster ${clusterId} not found`);
    const path: LinkCluster[] = [];
    while (c.mergedInto !== undefined) {
      path.push(c);
      const next: LinkCluster | undefined = await this.store.getCluster(c.mergedInto);
      if (!next) throw new Error(`cluster ${c._id} is an alias of missing ${c.mergedInto}`);
      c = next;
    }
    for (const p of path) {
      if (p.mergedInto !== c._id) {
        p.mergedInto = c._id;
        await this.store.putCluster(p);
      }
    }
    return c;
  }

  async clusterOf(reportId: string): Promise<LinkCluster | undefined> {
    const r = await this.store.getReport(reportId);
    return r ? this.find(r.clusterId) : undefined;
  }

  /** Every member report id of a cluster (reads all its pages; use cluster.memberPages to page instead). */
  async members(clusterId: string): Promise<string[]> {
    const root = await this.find(clusterId);
    return this.lists.readAll(root.memberPages);
  }

  /** Shortest path report → identifier → report … between two reports, or null when they are not linked. */
  explainLink(fromReportId: string, toReportId: string, maxVisited?: number): Promise<LinkExplanation | null> {
    return explainLink(this, fromReportId, toReportId, maxVisited);
  }

  // ---------------------------------------------------------------- operations

  /**
   * Adds a report and its edges. Cost: O(k) identifier reads/writes for k identifiers, one page append per
   * identifier and for the cluster, plus the merges (O(#pages of each smaller cluster)) and, only when an
   * identifier crosses its cap, one recompute of the cluster it held.
   */
  async addReport(input: NewLinkReport): Promise<LinkEvent[]> {
    if (!input._id) throw new LinkEngineError('BAD_INPUT', 'report id is required');
    try {
      validateFacts(input.summaryFacts);
    } catch (e) {
      throw new LinkEngineError('BAD_INPUT', (e as Error).message);
    }
    const keys = [...new Set(input.identifierKeys)].map((k) => this.validKey(k));
    if (await this.store.getReport(input._id)) return [];

    const found = await this.store.getManyIdentifiers(keys);
    const idents = keys.map((k, i) => found[i] ?? this.newIdentifier(k));
    const toSplit = new Set<string>();
    for (const ident of idents) {
      const was = this.isLinkable(ident);
      ident.degree++;
      await this.lists.append(ident.memberPages, input._id);
      ident.status = this.statusOf(ident);
      if (was && !this.isLinkable(ident) && ident.clusterId !== undefined) {
        toSplit.add(ident.clusterId);
        delete ident.clusterId;
      }
      await this.store.putIdentifier(ident);
    }

    const events: LinkEvent[] = [];
    let linkable = idents.filter((i) => this.isLinkable(i));
    if (toSplit.size > 0) {
      const roots = new Set<string>();
      for (const cid of toSplit) roots.add((await this.find(cid))._id);
      for (const r of roots) events.push(...(await this.recomputeCluster(r)));
      // the recompute rewrote the clusterId of linkable identifiers: read ours again
      linkable = (await this.store.getManyIdentifiers(linkable.map((i) => i._id))).filter(
        (i): i is LinkIdentifier => i !== undefined,
      );
    }

    const roots = await this.resolveRoots(linkable.map((i) => i.clusterId));
    let root: LinkCluster;
    if (roots.length === 0) {
      root = deadOrAlias(this.store.newId('cl'), {});
    } else {
      const merged = await this.mergeRoots(roots);
      root = merged.root;
      if (merged.mergedFrom.length > 0) {
        events.push({ type: 'MERGED', clusterId: root._id, mergedFrom: merged.mergedFrom, size: root.size + 1 });
      } else {
        events.push({ type: 'GREW', clusterId: root._id, size: root.size + 1 });
      }
    }
    if (roots.length === 0) events.push({ type: 'CREATED', clusterId: root._id, size: 1 });

    await this.lists.append(root.memberPages, input._id);
    root.size++;
    addFacts(root.summary, input.summaryFacts);
    const report: LinkReport = {
      _id: input._id,
      identifierKeys: keys,
      detachedKeys: [],
      explicitLinks: [],
      clusterId: root._id,
      summaryFacts: { ...input.summaryFacts },
    };
    await this.addVictim(root, report);
    root.summary.topIdentifiers = topN(
      [...root.summary.topIdentifiers, ...linkable.map((i) => ({ key: i._id, degree: i.degree }))],
      this.topCount,
    );
    await this.store.putCluster(root);
    for (const ident of linkable) {
      if (ident.clusterId !== root._id) {
        ident.clusterId = root._id;
        await this.store.putIdentifier(ident);
      }
    }
    await this.store.putReport(report);
    return events;
  }

  /**
   * Sets an investigator's policy. NEVER (or DEFAULT above the cap) recomputes the identifier's cluster;
   * ALWAYS (or DEFAULT at/below the cap) merges the clusters of all its reports, O(degree).
   */
  async setPolicy(key: string, policy: LinkPolicy): Promise<LinkEvent[]> {
    this.validKey(key);
    if (!LINK_POLICIES.includes(policy)) throw new LinkEngineError('BAD_INPUT', `unknown policy ${String(policy)}`);
    const stored = await this.store.getIdentifier(key);
    if (stored ? stored.policy === policy : policy === 'DEFAULT') return [];
    const ident = stored ?? this.newIdentifier(key);
    const was = this.isLinkable(ident);
    ident.policy = policy;
    return this.afterLinkabilityChange(ident, was);
  }

  /**
   * Applies a warninglist change to one identifier (the warninglist is read when an identifier is created; a
   * new list version is rolled out by calling this for each added or removed entry).
   */
  async setWarninglisted(key: string, warninglisted: boolean): Promise<LinkEvent[]> {
    this.validKey(key);
    const stored = await this.store.getIdentifier(key);
    if (!stored) {
      // nothing links through it yet; store the override only if it differs from what creation would read
      const fresh = this.newIdentifier(key);
      if (fresh.warninglisted === warninglisted) return [];
      fresh.warninglisted = warninglisted;
      fresh.status = this.statusOf(fresh);
      await this.store.putIdentifier(fresh);
      return [];
    }
    if (stored.warninglisted === warninglisted) return [];
    const was = this.isLinkable(stored);
    stored.warninglisted = warninglisted;
    return this.afterLinkabilityChange(stored, was);
  }

  /** Removes one edge (the victim typed their own number, …). A bridge removal splits the cluster. */
  async detach(reportId: string, key: string): Promise<LinkEvent[]> {
    const report = await this.mustReport(reportId);
    if (report.detachedKeys.includes(key)) return [];
    if (!report.identifierKeys.includes(key)) {
      throw new LinkEngineError('NOT_FOUND', `report ${reportId} does not carry ${key}`);
    }
    const ident = await this.mustIdentifier(key);
    const was = this.isLinkable(ident);
    report.identifierKeys = report.identifierKeys.filter((k) => k !== key);
    report.detachedKeys.push(key);
    await this.store.putReport(report);
    ident.degree--;
    await this.lists.remove(ident.memberPages, reportId);
    ident.status = this.statusOf(ident);
    const now = this.isLinkable(ident);
    if (was) {
      // the edge may have been a bridge: recompute the report's cluster (which also rewrites this identifier's
      // clusterId when other members still carry it)
      if (ident.degree === 0 || !now) delete ident.clusterId;
      await this.store.putIdentifier(ident);
      return this.recomputeCluster(report.clusterId);
    }
    if (now) {
      // a HUB fell back to its cap
      await this.store.putIdentifier(ident);
      return this.linkIdentifierReports(ident);
    }
    await this.store.putIdentifier(ident);
    return [];
  }

  /** Undoes a detach. */
  async reattach(reportId: string, key: string): Promise<LinkEvent[]> {
    const report = await this.mustReport(reportId);
    if (report.identifierKeys.includes(key)) return [];
    if (!report.detachedKeys.includes(key)) {
      throw new LinkEngineError('NOT_FOUND', `report ${reportId} has no detached ${key}`);
    }
    const ident = (await this.store.getIdentifier(key)) ?? this.newIdentifier(key);
    const was = this.isLinkable(ident);
    report.detachedKeys = report.detachedKeys.filter((k) => k !== key);
    report.identifierKeys.push(key);
    await this.store.putReport(report);
    ident.degree++;
    await this.lists.append(ident.memberPages, reportId);
    ident.status = this.statusOf(ident);
    const now = this.isLinkable(ident);
    if (was && !now) {
      const cid = ident.clusterId;
      delete ident.clusterId;
      await this.store.putIdentifier(ident);
      return cid === undefined ? [] : this.recomputeCluster(cid);
    }
    await this.store.putIdentifier(ident);
    if (now) {
      if (was && ident.clusterId !== undefined) {
        return this.mergeByIdentifier(ident, [ident.clusterId, report.clusterId]);
      }
      return this.linkIdentifierReports(ident);
    }
    return [];
  }

  /** An explicit investigator link between two reports (stored on both). */
  async linkReports(a: string, b: string): Promise<LinkEvent[]> {
    if (a === b) throw new LinkEngineError('BAD_INPUT', 'cannot link a report to itself');
    const ra = await this.mustReport(a);
    const rb = await this.mustReport(b);
    if (ra.explicitLinks.includes(b) && rb.explicitLinks.includes(a)) return [];
    if (!ra.explicitLinks.includes(b)) ra.explicitLinks.push(b);
    if (!rb.explicitLinks.includes(a)) rb.explicitLinks.push(a);
    await this.store.putReport(ra);
    await this.store.putReport(rb);
    const roots = await this.resolveRoots([ra.clusterId, rb.clusterId]);
    const { root, mergedFrom } = await this.mergeRoots(roots);
    await this.store.putCluster(root);
    return mergedFrom.length > 0 ? [{ type: 'MERGED', clusterId: root._id, mergedFrom, size: root.size }] : [];
  }

  /** Removes an explicit link; the cluster is recomputed (it splits if the link was a bridge). */
  async unlinkReports(a: string, b: string): Promise<LinkEvent[]> {
    const ra = await this.mustReport(a);
    const rb = await this.mustReport(b);
    if (!ra.explicitLinks.includes(b) && !rb.explicitLinks.includes(a)) return [];
    ra.explicitLinks = ra.explicitLinks.filter((x) => x !== b);
    rb.explicitLinks = rb.explicitLinks.filter((x) => x !== a);
    await this.store.putReport(ra);
    await this.store.putReport(rb);
    return this.recomputeCluster(ra.clusterId);
  }

  /**
   * Recomputes the components of one cluster from its own members (BFS/union-find over their linkable
   * identifiers and explicit links, restricted to the members). One component: the cluster keeps its id and
   * gets a summary recomputed from scratch. Several: one new cluster per component (new ids, full pages), the
   * members' and linkable identifiers' clusterId rewritten, the old cluster marked dead with splitInto, its
   * pages deleted. Cost O(members + their edges); no other cluster is read or written.
   */
  async recomputeCluster(clusterId: string): Promise<LinkEvent[]> {
    const root = await this.find(clusterId);
    if (root.dead) return [];
    const memberIds = await this.lists.readAll(root.memberPages);
    const reports = (await this.store.getManyReports(memberIds)).map((r, i) => {
      if (!r) throw new Error(`cluster ${root._id} lists missing report ${memberIds[i]}`);
      return r;
    });
    const index = new Map(memberIds.map((id, i) => [id, i]));
    const keys = [...new Set(reports.flatMap((r) => r.identifierKeys))];
    const identDocs = await this.store.getManyIdentifiers(keys);
    const idents = new Map<string, LinkIdentifier>();
    keys.forEach((k, i) => {
      const d = identDocs[i];
      if (d) idents.set(k, d);
    });
    const uf = new LocalUnionFind(reports.length);
    const firstOfKey = new Map<string, number>();
    reports.forEach((r, i) => {
      for (const k of r.identifierKeys) {
        const ident = idents.get(k);
        if (!ident || !this.isLinkable(ident)) continue;
        const f = firstOfKey.get(k);
        if (f === undefined) firstOfKey.set(k, i);
        else uf.union(f, i);
      }
      for (const other of r.explicitLinks) {
        const j = index.get(other);
        if (j !== undefined) uf.union(i, j);
      }
    });
    const groups = new Map<number, number[]>();
    reports.forEach((_, i) => {
      const g = uf.find(i);
      const list = groups.get(g);
      if (list) list.push(i);
      else groups.set(g, [i]);
    });
    const comps = [...groups.values()];
    const compOfReport = new Map<string, number>();
    comps.forEach((c, ci) => c.forEach((i) => compOfReport.set(reports[i]._id, ci)));
    const linkableByComp: TopIdentifier[][] = comps.map(() => []);
    for (const [k, i] of firstOfKey) {
      const ident = idents.get(k);
      if (ident) linkableByComp[compOfReport.get(reports[i]._id) ?? 0].push({ key: k, degree: ident.degree });
    }
    const summaries = comps.map((c, ci) =>
      summarize(
        c.map((i) => reports[i].summaryFacts),
        linkableByComp[ci],
        this.topCount,
      ),
    );

    if (comps.length === 1) {
      root.summary = summaries[0];
      await this.store.putCluster(root);
      await this.fixIdentifiers(idents, firstOfKey, () => root._id);
      return [];
    }

    // split: cross victims per component (a victim is cross if one of its reports is outside the component)
    const victimKeys = [
      ...new Set(reports.map((r) => r.summaryFacts.victimKey).filter((v): v is string => v !== undefined)),
    ];
    const victimDocs = await this.store.getManyVictims(victimKeys);
    const victimReports = new Map<string, string[]>();
    victimKeys.forEach((v, i) => victimReports.set(v, victimDocs[i]?.reportIds ?? []));
    const newIds = comps.map(() => this.store.newId('cl'));
    for (let ci = 0; ci < comps.length; ci++) {
      const c = comps[ci];
      const cross = new Set<string>();
      for (const i of c) {
        const v = reports[i].summaryFacts.victimKey;
        if (v !== undefined && (victimReports.get(v) ?? []).some((rid) => compOfReport.get(rid) !== ci)) cross.add(v);
      }
      const memberPages = await this.lists.create(c.map((i) => reports[i]._id));
      await this.store.putCluster({
        _id: newIds[ci],
        size: c.length,
        memberPages,
        crossVictims: [...cross],
        summary: summaries[ci],
      });
      for (const i of c) {
        reports[i].clusterId = newIds[ci];
        await this.store.putReport(reports[i]);
      }
    }
    await this.fixIdentifiers(
      idents,
      firstOfKey,
      (k) => newIds[compOfReport.get(reports[firstOfKey.get(k) ?? 0]._id) ?? 0],
    );
    await this.lists.deleteAll(root.memberPages);
    await this.store.putCluster(deadOrAlias(root._id, { dead: true, splitInto: newIds }));
    return [{ type: 'SPLIT', clusterId: root._id, splitInto: newIds, size: root.size }];
  }

  // ---------------------------------------------------------------- internals

  private async mustReport(id: string): Promise<LinkReport> {
    const r = await this.store.getReport(id);
    if (!r) throw new LinkEngineError('NOT_FOUND', `report ${id} not found`);
    return r;
  }

  private async mustIdentifier(key: string): Promise<LinkIdentifier> {
    const i = await this.store.getIdentifier(key);
    if (!i) throw new LinkEngineError('NOT_FOUND', `identifier ${key} not found`);
    return i;
  }

  /** Linkable identifiers get their component's cluster id, the others lose theirs. */
  private async fixIdentifiers(
    idents: Map<string, LinkIdentifier>,
    linkableKeys: Map<string, number>,
    clusterFor: (key: string) => string,
  ): Promise<void> {
    for (const [k, ident] of idents) {
      if (linkableKeys.has(k)) {
        const cid = clusterFor(k);
        if (ident.clusterId !== cid) {
          ident.clusterId = cid;
          await this.store.putIdentifier(ident);
        }
      } else if (ident.clusterId !== undefined) {
        delete ident.clusterId;
        await this.store.putIdentifier(ident);
      }
    }
  }

  private async afterLinkabilityChange(ident: LinkIdentifier, was: boolean): Promise<LinkEvent[]> {
    ident.status = this.statusOf(ident);
    const now = this.isLinkable(ident);
    if (was && !now) {
      const cid = ident.clusterId;
      delete ident.clusterId;
      await this.store.putIdentifier(ident);
      return cid === undefined ? [] : this.recomputeCluster(cid);
    }
    await this.store.putIdentifier(ident);
    if (!was && now) return this.linkIdentifierReports(ident);
    return [];
  }

  /** The identifier became linkable: merge the clusters of all its reports. O(degree). */
  private async linkIdentifierReports(ident: LinkIdentifier): Promise<LinkEvent[]> {
    const reportIds = await this.lists.readAll(ident.memberPages);
    if (reportIds.length === 0) return [];
    const reports = await this.store.getManyReports(reportIds);
    return this.mergeByIdentifier(
      ident,
      reports.map((r) => r?.clusterId),
    );
  }

  private async mergeByIdentifier(ident: LinkIdentifier, clusterIds: (string | undefined)[]): Promise<LinkEvent[]> {
    const roots = await this.resolveRoots(clusterIds);
    if (roots.length === 0) return [];
    const { root, mergedFrom } = await this.mergeRoots(roots);
    root.summary.topIdentifiers = topN(
      [...root.summary.topIdentifiers, { key: ident._id, degree: ident.degree }],
      this.topCount,
    );
    await this.store.putCluster(root);
    if (ident.clusterId !== root._id) {
      ident.clusterId = root._id;
      await this.store.putIdentifier(ident);
    }
    return mergedFrom.length > 0 ? [{ type: 'MERGED', clusterId: root._id, mergedFrom, size: root.size }] : [];
  }

  /** Distinct roots of the given cluster ids (undefined ids skipped). */
  private async resolveRoots(clusterIds: readonly (string | undefined)[]): Promise<LinkCluster[]> {
    const seen = new Map<string, LinkCluster>();
    const asked = new Set<string>();
    for (const id of clusterIds) {
      if (id === undefined || asked.has(id)) continue;
      asked.add(id);
      const root = await this.find(id);
      if (root.dead) throw new Error(`cluster ${id} resolves to dead cluster ${root._id}`);
      seen.set(root._id, root);
    }
    return [...seen.values()];
  }

  /**
   * Union by size: every other root is folded into the largest (ties: smallest id) and becomes its alias.
   * The returned root is NOT stored; the caller stores it after its own changes.
   */
  private async mergeRoots(roots: LinkCluster[]): Promise<{ root: LinkCluster; mergedFrom: string[] }> {
    const sorted = [...roots].sort((a, b) => b.size - a.size || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    const [root, ...rest] = sorted;
    for (const small of rest) await this.absorb(root, small);
    return { root, mergedFrom: rest.map((c) => c._id) };
  }

  /** Folds root `small` into root `large` (large is not stored here; small becomes its alias). */
  private async absorb(large: LinkCluster, small: LinkCluster): Promise<void> {
    await this.lists.concat(large.memberPages, small.memberPages);
    // exact distinct victims: a victim in both clusters has reports outside each, so it is in both crossVictims
    // lists; looking at the smaller list is enough
    let overlap = 0;
    const cross = new Set(large.crossVictims);
    for (const v of small.crossVictims) {
      const doc = await this.store.getVictim(v);
      const reports = await this.store.getManyReports(doc?.reportIds ?? []);
      let inLarge = false;
      let inSmall = false;
      let outside = false;
      for (const r of reports) {
        if (!r) continue;
        const c = (await this.find(r.clusterId))._id;
        if (c === large._id) inLarge = true;
        else if (c === small._id) inSmall = true;
        else outside = true;
      }
      if (inLarge && inSmall) overlap++;
      if (outside) cross.add(v);
      else cross.delete(v);
    }
    large.crossVictims = [...cross];
    large.summary = mergeSummaries(large.summary, small.summary, overlap, this.topCount);
    large.size += small.size;
    await this.store.putCluster(deadOrAlias(small._id, { mergedInto: large._id }));
  }

  /**
   * Records the report's victim and keeps victimCount / crossVictims exact: the victim counts once more in
   * `root` unless another of its reports is already there; if it has reports in other clusters it is a cross
   * victim of all of them. Cost O(reports of that victim).
   */
  private async addVictim(root: LinkCluster, report: LinkReport): Promise<void> {
    const facts: SummaryFacts = report.summaryFacts;
    const v = facts.victimKey;
    if (v === undefined) {
      // its own victim: new to this cluster, in no other, nothing to store
      root.summary.victimCount++;
      return;
    }
    const doc = (await this.store.getVictim(v)) ?? { _id: v, reportIds: [] };
    const others = await this.store.getManyReports(doc.reportIds.filter((id) => id !== report._id));
    let already = false;
    const otherRoots = new Map<string, LinkCluster>();
    for (const r of others) {
      if (!r) continue;
      const c = await this.find(r.clusterId);
      if (c._id === root._id) already = true;
      else otherRoots.set(c._id, c);
    }
    if (!already) root.summary.victimCount++;
    if (otherRoots.size > 0) {
      if (!root.crossVictims.includes(v)) root.crossVictims.push(v);
      for (const c of otherRoots.values()) {
        if (!c.crossVictims.includes(v)) {
          c.crossVictims.push(v);
          await this.store.putCluster(c);
        }
      }
    }
    if (!doc.reportIds.includes(report._id)) doc.reportIds.push(report._id);
    await this.store.putVictim(doc);
  }
}
