import { Injectable } from '@nestjs/common';
import { Scope } from '../auth/scope';
import { ReadOnlyLinkStore } from './buffered-link-store';
import {
  LinkEngineError,
  LinkingEngine,
  type GraphRoot,
  type LinkCluster,
  type LinkIdentifier,
  type LinkReport,
  type Neighbourhood,
} from './engine';
import { LinkLoaders } from './link-loaders';
import { clusterVisible } from './link-scope';
import { IdentifierQueryService } from './identifier-query.service';
import { LinkQueryService } from './link-query.service';
import { LinkStoreRepository } from './link-store.repository';
import { LinkingError, LinkingErrorCode } from './linking.errors';
import { prefetchClusterChains } from './link-prefetch';
import { LinkingService } from './linking.service';
import type { GraphRootInput } from './dto/linking.args';
import { CaseGraph, GraphNode, LinkExplanation } from './models/linking.models';

/**
 * caseGraph and explainLink: the engine's read-only walks (src/linking/engine/graph.ts) on a ReadOnlyLinkStore.
 * Before the walk, `warm` reads the neighbourhood level by level with parallel primary-key reads (reports →
 * their identifiers → the identifiers' member pages → those reports …, at most `limit` nodes, hubs never
 * expanded), so the engine's own sequential walk then runs from the cache: the cost depends on the
 * neighbourhood (depth, limit) and never on the size of the store. Labels are batched through the loaders.
 */
@Injectable()
export class CaseGraphService {
  constructor(
    private readonly repo: LinkStoreRepository,
    private readonly query: LinkQueryService,
    private readonly identifiers: IdentifierQueryService,
    private readonly linking: LinkingService,
  ) {}

  private engine(): { engine: LinkingEngine; store: ReadOnlyLinkStore } {
    const store = new ReadOnlyLinkStore(this.repo);
    return { engine: new LinkingEngine(store, this.linking.options), store };
  }

  async caseGraph(
    scope: Scope,
    root: GraphRootInput,
    depth: number,
    limit: number,
    L: LinkLoaders,
  ): Promise<CaseGraph> {
    const given = [root.reportId, root.clusterId, root.identifier].filter((x) => x !== undefined && x !== null);
    if (given.length !== 1) {
      throw new LinkingError(
        LinkingErrorCode.INVALID_GRAPH_ROOT,
        'root: give exactly one of reportId, clusterId, identifier',
        'root',
      );
    }
    let graphRoot: GraphRoot;
    if (root.reportId) {
      await this.query.requireLinkedReport(scope, root.reportId, L, 'root.reportId');
      graphRoot = { reportId: root.reportId };
    } else if (root.clusterId) {
      const c = await this.query.cluster(scope, root.clusterId, L);
      if (!c)
        throw new LinkingError(LinkingErrorCode.CLUSTER_NOT_FOUND, `No cluster ${root.clusterId}`, 'root.clusterId');
      graphRoot = { clusterId: c.id };
    } else {
      const id = root.identifier as NonNullable<GraphRootInput['identifier']>;
      const key = this.identifiers.keyOf(id.kind, id.value, 'root.identifier.value');
      if (!(await this.identifiers.visibleIdentifier(scope, key, L)))
        throw new LinkingError(
          LinkingErrorCode.IDENTIFIER_NOT_FOUND,
          'No report carries this identifier',
          'root.identifier',
        );
      graphRoot = { identifierKey: key };
    }
    const { engine, store } = this.engine();
    await this.warm(store, graphRoot, depth, limit);
    let nb: Neighbourhood;
    try {
      nb = await engine.neighbourhood(graphRoot, depth, limit);
    } catch (e) {
      if (e instanceof LinkEngineError && e.code === 'NOT_FOUND')
        throw new LinkingError(LinkingErrorCode.CLUSTER_NOT_FOUND, e.message, 'root');
      throw e;
    }
    return this.scoped(scope, nb, store, L, graphRoot);
  }

  /**
   * The walk's nodes the user may see: reports and linkable identifiers of visible clusters, and hubs (they
   * belong to no cluster) next to one of those or at the root. A walk from a visible root stays in its cluster
   * except through explicit links, so this rarely removes anything; what it removes is counted in the
   * hiddenNeighbourCount of the nodes that lost an edge (counted, not shown). The clusters are in the walk's
   * cache already (the engine resolved every node's root).
   */
  private async scoped(
    scope: Scope,
    nb: Neighbourhood,
    store: ReadOnlyLinkStore,
    L: LinkLoaders,
    root: GraphRoot,
  ): Promise<CaseGraph> {
    const clusterIds = [...new Set(nb.nodes.map((n) => n.clusterId).filter((c): c is string => !!c))];
    const clusters = await Promise.all(
      clusterIds.map(async (id) => store.inspect<LinkCluster>('clusters', id) ?? (await L.root(id))),
    );
    const visible = new Set(
      clusters.filter((c): c is LinkCluster => !!c && clusterVisible(scope, c)).map((c) => c._id),
    );
    const hubs = new Set(nb.nodes.filter((n) => !n.clusterId).map((n) => n.id));
    const kept = new Set(nb.nodes.filter((n) => n.clusterId && visible.has(n.clusterId)).map((n) => n.id));
    if ('identifierKey' in root && hubs.has(root.identifierKey)) kept.add(root.identifierKey);
    for (const e of nb.edges) {
      if (hubs.has(e.source) && kept.has(e.target)) kept.add(e.source);
      if (hubs.has(e.target) && kept.has(e.source)) kept.add(e.target);
    }
    const edges = nb.edges.filter((e) => kept.has(e.source) && kept.has(e.target));
    const lost = new Map<string, number>();
    for (const e of nb.edges)
      if (!(kept.has(e.source) && kept.has(e.target)))
        for (const end of [e.source, e.target]) lost.set(end, (lost.get(end) ?? 0) + 1);
    const nodes: GraphNode[] = nb.nodes
      .filter((n) => kept.has(n.id))
      .map((n) => ({
        id: n.id,
        type: n.type,
        label: n.type === 'REPORT' ? reportLabel(store, n.id) : identifierLabel(n.id),
        clusterId: n.clusterId ?? null,
        isHub: n.isHub,
        hiddenNeighbourCount: n.hiddenNeighbourCount + (lost.get(n.id) ?? 0),
      }));
    return { nodes, edges, truncated: nb.truncated };
  }

  /** null when the reports are in different clusters; both must be visible. */
  async explainLink(scope: Scope, fromId: string, toId: string, L: LinkLoaders): Promise<LinkExplanation | null> {
    await this.query.requireLinkedReport(scope, fromId, L, 'fromReportId');
    await this.query.requireLinkedReport(scope, toId, L, 'toReportId');
    const { engine, store } = this.engine();
    const ex = await engine.explainLink(fromId, toId);
    if (!ex) return null;
    return {
      steps: ex.steps.map((s) => ({
        type: s.type,
        id: s.id,
        label: s.type === 'REPORT' ? reportLabel(store, s.id) : identifierLabel(s.id),
      })),
      length: Math.max(0, ex.steps.filter((s) => s.type === 'REPORT').length - 1),
      truncated: ex.truncated,
    };
  }

  /**
   * Level-by-level parallel reads of what the walk will read (a cache warmer: correctness stays with the
   * engine's walk). Stops expanding once `limit` nodes are known.
   */
  private async warm(store: ReadOnlyLinkStore, root: GraphRoot, depth: number, limit: number): Promise<void> {
    const seen = new Set<string>();
    let reports: string[] = [];
    let idents: string[] = [];
    if ('reportId' in root) reports = [root.reportId];
    else if ('identifierKey' in root) idents = [root.identifierKey];
    else {
      await store.prefetch('clusters', [root.clusterId]);
      const c = store.inspect<LinkCluster>('clusters', root.clusterId);
      const pages = c?.memberPages ?? [];
      await store.prefetch('pages', pages.slice(0, Math.ceil(limit / 64) + 1));
      for (const p of pages) {
        const items = store.inspect<{ items: string[] }>('pages', p)?.items;
        if (!items) break;
        reports.push(...items);
        if (reports.length >= limit) break;
      }
      reports = reports.slice(0, limit);
    }
    for (let level = 0; level <= depth && (reports.length || idents.length) && seen.size < limit; level++) {
      await Promise.all([store.prefetch('reports', reports), store.prefetch('identifiers', idents)]);
      const nextIdents: string[] = [];
      const nextReports: string[] = [];
      const clusterIds: string[] = [];
      for (const id of reports) {
        const r = store.inspect<LinkReport>('reports', id);
        seen.add(`R${id}`);
        if (!r) continue;
        clusterIds.push(r.clusterId);
        for (const k of r.identifierKeys) if (!seen.has(`I${k}`)) nextIdents.push(k);
        for (const o of r.explicitLinks) if (!seen.has(`R${o}`)) nextReports.push(o);
      }
      const pageIds: string[] = [];
      for (const k of idents) {
        const i = store.inspect<LinkIdentifier>('identifiers', k);
        seen.add(`I${k}`);
        if (!i) continue;
        if (i.clusterId) clusterIds.push(i.clusterId);
        if (i.status === 'ACTIVE' && level < depth) pageIds.push(...i.memberPages.slice(0, Math.ceil(limit / 64) + 1));
      }
      await Promise.all([store.prefetch('pages', pageIds), prefetchClusterChains(store, clusterIds)]);
      for (const p of pageIds)
        for (const rid of store.inspect<{ items: string[] }>('pages', p)?.items ?? [])
          if (!seen.has(`R${rid}`)) nextReports.push(rid);
      if (level === depth) break;
      const room = Math.max(0, limit - seen.size);
      reports = [...new Set(nextReports)].slice(0, room);
      idents = [...new Set(nextIdents)].slice(0, room);
    }
  }
}

/**
 * A report node's label from its link document (already read by the walk, so labels cost no read):
 * `FAKE_LOAN · DG01 · 2026-01-02` (fraud type, region, day it happened). Details: `report(id)`.
 */
function reportLabel(store: ReadOnlyLinkStore, id: string): string {
  const f = store.inspect<LinkReport>('reports', id)?.summaryFacts;
  return f ? `${f.fraudType} · ${f.regionCode} · ${f.occurredAt.slice(0, 10)}` : id;
}

/** An identifier key `KIND:value` shown as its value. */
function identifierLabel(key: string): string {
  return key.slice(key.indexOf(':') + 1);
}
