import { Injectable } from '@nestjs/common';
import { Scope } from '../auth/scope';
import { ReadOnlyLinkStore } from './buffered-link-store';
import { LinkEngineError, LinkingEngine, type LinkReport } from './engine';
import { GraphCursors } from './graph-cursors';
import { startWalk, walkPage, type WalkPage, type WalkRoot } from './graph-walk';
import { LinkLoaders } from './link-loaders';
import { clusterVisible } from './link-scope';
import { IdentifierQueryService } from './identifier-query.service';
import { LinkQueryService } from './link-query.service';
import { LinkStoreRepository } from './link-store.repository';
import { LinkingError, LinkingErrorCode } from './linking.errors';
import { LinkingService } from './linking.service';
import type { GraphRootInput } from './dto/linking.args';
import { CaseGraph, LinkExplanation } from './models/linking.models';
import type { IdentifierKind } from '../reports/enums';

/**
 * caseGraph and explainLink, read-only on a ReadOnlyLinkStore (primary-key reads through a per-request cache).
 * caseGraph pages a breadth-first walk (graph-walk.ts) whose state waits in Redis between pages (GraphCursors);
 * explainLink is the engine's own walk (src/linking/engine/graph.ts). Scope: the root is checked on every page
 * and every node's cluster on the walk (link-scope.ts).
 */
@Injectable()
export class CaseGraphService {
  constructor(
    private readonly repo: LinkStoreRepository,
    private readonly query: LinkQueryService,
    private readonly identifiers: IdentifierQueryService,
    private readonly linking: LinkingService,
    private readonly cursors: GraphCursors,
  ) {}

  private engine(): { engine: LinkingEngine; store: ReadOnlyLinkStore } {
    const store = new ReadOnlyLinkStore(this.repo);
    return { engine: new LinkingEngine(store, this.linking.options), store };
  }

  async caseGraph(
    user: { scope: Scope; userId: string },
    args: { root: GraphRootInput; depth: number; limit: number; after?: string | null },
    L: LinkLoaders,
  ): Promise<CaseGraph> {
    const { scope, userId } = user;
    const root = await this.rootOf(scope, args.root, L);
    // what a cursor continues: the root as asked (a merged cluster's old id still names it) and the depth
    const asked =
      'reportId' in root
        ? `R|${root.reportId}`
        : 'identifierKey' in root
          ? `I|${root.identifierKey}`
          : `C|${args.root.clusterId}`;
    const graph = `${asked}|${args.depth}`;
    const { engine, store } = this.engine();
    const state =
      (await this.cursors.load(args.after, userId, graph)) ?? (await startWalk(engine, store, root, args.depth));
    let page: WalkPage;
    try {
      page = await walkPage(engine, store, state, args.limit, (c) => clusterVisible(scope, c));
    } catch (e) {
      // a cluster gone under the walk (its documents are read as the walk goes)
      if (e instanceof LinkEngineError && e.code === 'NOT_FOUND')
        throw new LinkingError(LinkingErrorCode.CLUSTER_NOT_FOUND, e.message, 'root');
      throw e;
    }
    const endCursor = page.hasNextPage ? await this.cursors.save(userId, graph, state, args.after) : undefined;
    const { rest } = page;
    return {
      nodes: page.nodes.map((n) => ({
        ...n,
        label: n.type === 'REPORT' ? reportLabel(store, n.id) : identifierLabel(n.id),
        clusterId: n.clusterId ?? null,
      })),
      edges: page.edges,
      truncated: page.hasNextPage,
      startId: page.startId ?? null,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor },
      rest: {
        clusterId: rest.clusterId ?? null,
        reports: rest.reports,
        loss: rest.lossFen,
        queued: [
          ...(rest.queuedReports ? [{ type: 'REPORT', kind: null, count: rest.queuedReports }] : []),
          ...[...rest.queuedIdentifiers]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([kind, count]) => ({ type: 'IDENTIFIER', kind: kind as IdentifierKind, count })),
        ],
        changed: rest.changed,
      },
    };
  }

  /** The root the user may see, or the typed error; a cluster root is resolved to its live cluster. */
  private async rootOf(scope: Scope, root: GraphRootInput, L: LinkLoaders): Promise<WalkRoot> {
    const given = [root.reportId, root.clusterId, root.identifier].filter((x) => x !== undefined && x !== null);
    if (given.length !== 1) {
      throw new LinkingError(
        LinkingErrorCode.INVALID_GRAPH_ROOT,
        'root: give exactly one of reportId, clusterId, identifier',
        'root',
      );
    }
    if (root.reportId) {
      await this.query.requireLinkedReport(scope, root.reportId, L, 'root.reportId');
      return { reportId: root.reportId };
    }
    if (root.clusterId) {
      const c = await this.query.cluster(scope, root.clusterId, L);
      const cluster = c && (await L.root(c.id));
      if (!cluster)
        throw new LinkingError(LinkingErrorCode.CLUSTER_NOT_FOUND, `No cluster ${root.clusterId}`, 'root.clusterId');
      return { cluster };
    }
    const id = root.identifier as NonNullable<GraphRootInput['identifier']>;
    const key = this.identifiers.keyOf(id.kind, id.value, 'root.identifier.value');
    if (!(await this.identifiers.visibleIdentifier(scope, key, L)))
      throw new LinkingError(
        LinkingErrorCode.IDENTIFIER_NOT_FOUND,
        'No report carries this identifier',
        'root.identifier',
      );
    return { identifierKey: key };
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
