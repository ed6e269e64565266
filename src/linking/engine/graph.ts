/**
 * Read-only graph walks over the stored edges, by primary key only: explainLink (why are two reports in one
 * cluster?) and neighbourhood (the caseGraph query). Neither expands a non-linkable identifier (HUB, NEVER,
 * WARNINGLISTED): such a node is returned once with hiddenNeighbourCount, which is what keeps a hub carried by
 * 10,000 reports from turning a graph into a hairball (OpenCTI's 500-node wall).
 */
import type { LinkingEngine } from './engine';
import { LinkEngineError, type IdentifierStatus, type LinkIdentifier, type LinkReport } from './types';

export const DEFAULT_EXPLAIN_MAX_VISITED = 10_000;

export type LinkStep = { type: 'REPORT'; id: string } | { type: 'IDENTIFIER'; id: string };

export interface LinkExplanation {
  /**
   * report, identifier, report, … ending at the target; two adjacent REPORT steps are an explicit
   * investigator link. Empty when `truncated`.
   */
  steps: LinkStep[];
  /** the reports are in one cluster but the search stopped at maxVisited before reaching the target */
  truncated: boolean;
}

/**
 * Breadth-first over reports, one hop = report → linkable identifier → report or an explicit link, so the path
 * has the fewest intermediate reports. Returns null when the reports are in different clusters (then no path
 * exists, by the cluster invariant) — that check is two reads. Stops after `maxVisited` reports + identifiers.
 */
export async function explainLink(
  engine: LinkingEngine,
  fromReportId: string,
  toReportId: string,
  maxVisited = DEFAULT_EXPLAIN_MAX_VISITED,
): Promise<LinkExplanation | null> {
  const store = engine.store;
  const [from, to] = await store.getManyReports([fromReportId, toReportId]);
  if (!from) throw new LinkEngineError('NOT_FOUND', `report ${fromReportId} not found`);
  if (!to) throw new LinkEngineError('NOT_FOUND', `report ${toReportId} not found`);
  if (fromReportId === toReportId) return { steps: [{ type: 'REPORT', id: fromReportId }], truncated: false };
  if ((await engine.find(from.clusterId))._id !== (await engine.find(to.clusterId))._id) return null;

  const prev = new Map<string, { report: string; via?: string }>();
  prev.set(fromReportId, { report: '' });
  const seenKeys = new Set<string>();
  let visited = 1;
  let frontier: LinkReport[] = [from];
  const build = (): LinkExplanation => {
    const steps: LinkStep[] = [];
    let cur = toReportId;
    while (cur !== fromReportId) {
      steps.push({ type: 'REPORT', id: cur });
      const p = prev.get(cur);
      if (!p) break;
      if (p.via !== undefined) steps.push({ type: 'IDENTIFIER', id: p.via });
      cur = p.report;
    }
    steps.push({ type: 'REPORT', id: fromReportId });
    return { steps: steps.reverse(), truncated: false };
  };
  while (frontier.length > 0) {
    const nextIds: string[] = [];
    for (const r of frontier) {
      for (const other of r.explicitLinks) {
        if (prev.has(other)) continue;
        prev.set(other, { report: r._id });
        if (other === toReportId) return build();
        nextIds.push(other);
      }
      const keys = r.identifierKeys.filter((k) => !seenKeys.has(k));
      const idents = await store.getManyIdentifiers(keys);
      for (const ident of idents) {
        if (!ident) continue;
        seenKeys.add(ident._id);
        if (++visited > maxVisited) return { steps: [], truncated: true };
        if (!engine.isLinkable(ident)) continue;
        for (const other of await engine.lists.readAll(ident.memberPages)) {
          if (prev.has(other)) continue;
          prev.set(other, { report: r._id, via: ident._id });
          if (other === toReportId) return build();
          nextIds.push(other);
        }
      }
    }
    visited += nextIds.length;
    if (visited > maxVisited) return { steps: [], truncated: true };
    frontier = (await store.getManyReports(nextIds)).filter((r): r is LinkReport => r !== undefined);
  }
  return null;
}

export type GraphRoot = { reportId: string } | { clusterId: string } | { identifierKey: string };

export interface GraphNode {
  /** report id, or identifier key */
  id: string;
  type: 'REPORT' | 'IDENTIFIER';
  /** reports: their cluster root; linkable identifiers: theirs */
  clusterId?: string;
  /** identifiers only */
  status?: IdentifierStatus;
  /** a non-linkable identifier (HUB, NEVER, WARNINGLISTED): never expanded */
  isHub: boolean;
  /** neighbours that exist but are not in the returned graph */
  hiddenNeighbourCount: number;
}

export interface GraphEdge {
  source: string;
  target: string;
}

export interface Neighbourhood {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** the walk stopped at `limit` nodes */
  truncated: boolean;
}

/**
 * Level-by-level walk (depth = number of edges from the root; report ↔ identifier edges and explicit report ↔
 * report links), every read by primary key, at most `limit` nodes. A cluster root starts from its members
 * (paged, stopping at the limit).
 */
export async function neighbourhood(
  engine: LinkingEngine,
  root: GraphRoot,
  depth: number,
  limit: number,
): Promise<Neighbourhood> {
  const store = engine.store;
  const nodes = new Map<string, GraphNode & { total: number }>();
  const edges = new Map<string, GraphEdge>();
  const neighboursShown = new Map<string, Set<string>>();
  const reports = new Map<string, LinkReport>();
  const idents = new Map<string, LinkIdentifier>();
  let truncated = false;
  // ids are namespaced: an identifier key always contains ':'; report ids are used as given
  const nodeId = (type: 'REPORT' | 'IDENTIFIER', id: string) => `${type}|${id}`;

  const addReportNode = async (r: LinkReport): Promise<boolean> => {
    const id = nodeId('REPORT', r._id);
    if (nodes.has(id)) return true;
    if (nodes.size >= limit) {
      truncated = true;
      return false;
    }
    reports.set(r._id, r);
    nodes.set(id, {
      id: r._id,
      type: 'REPORT',
      clusterId: (await engine.find(r.clusterId))._id,
      isHub: false,
      hiddenNeighbourCount: 0,
      total: r.identifierKeys.length + r.explicitLinks.length,
    });
    return true;
  };
  const addIdentNode = async (i: LinkIdentifier): Promise<boolean> => {
    const id = nodeId('IDENTIFIER', i._id);
    if (nodes.has(id)) return true;
    if (nodes.size >= limit) {
      truncated = true;
      return false;
    }
    idents.set(i._id, i);
    const linkable = engine.isLinkable(i);
    nodes.set(id, {
      id: i._id,
      type: 'IDENTIFIER',
      ...(linkable && i.clusterId !== undefined ? { clusterId: (await engine.find(i.clusterId))._id } : {}),
      status: engine.statusOf(i),
      isHub: !linkable,
      hiddenNeighbourCount: 0,
      total: i.degree,
    });
    return true;
  };
  const addEdge = (a: string, b: string) => {
    const key = a < b ? `${a}>${b}` : `${b}>${a}`;
    if (edges.has(key)) return;
    edges.set(key, { source: a, target: b });
    for (const [x, y] of [
      [a, b],
      [b, a],
    ]) {
      const s = neighboursShown.get(x) ?? new Set<string>();
      s.add(y);
      neighboursShown.set(x, s);
    }
  };

  let frontier: string[] = [];
  if ('reportId' in root) {
    const r = await store.getReport(root.reportId);
    if (!r) throw new LinkEngineError('NOT_FOUND', `report ${root.reportId} not found`);
    await addReportNode(r);
    frontier = [nodeId('REPORT', r._id)];
  } else if ('identifierKey' in root) {
    const i = await store.getIdentifier(root.identifierKey);
    if (!i) throw new LinkEngineError('NOT_FOUND', `identifier ${root.identifierKey} not found`);
    await addIdentNode(i);
    frontier = [nodeId('IDENTIFIER', i._id)];
  } else {
    const c = await engine.find(root.clusterId);
    outer: for (const pid of c.memberPages) {
      const page = await store.getPage(pid);
      for (const rid of page?.items ?? []) {
        const r = await store.getReport(rid);
        if (!r) continue;
        if (!(await addReportNode(r))) break outer;
        frontier.push(nodeId('REPORT', rid));
      }
    }
  }

  for (let level = 0; level < depth && frontier.length > 0 && !truncated; level++) {
    const next: string[] = [];
    for (const nid of frontier) {
      if (truncated) break;
      const node = nodes.get(nid);
      if (!node) continue;
      if (node.type === 'REPORT') {
        const r = reports.get(node.id);
        if (!r) continue;
        const found = await store.getManyIdentifiers(r.identifierKeys);
        for (const i of found) {
          if (!i) continue;
          const isNew = !nodes.has(nodeId('IDENTIFIER', i._id));
          if (!(await addIdentNode(i))) break;
          addEdge(nid, nodeId('IDENTIFIER', i._id));
          if (isNew) next.push(nodeId('IDENTIFIER', i._id));
        }
        for (const other of r.explicitLinks) {
          if (truncated) break;
          const isNew = !nodes.has(nodeId('REPORT', other));
          if (isNew) {
            const o = await store.getReport(other);
            if (!o || !(await addReportNode(o))) continue;
            next.push(nodeId('REPORT', other));
          }
          addEdge(nid, nodeId('REPORT', other));
        }
      } else {
        const i = idents.get(node.id);
        if (!i || node.isHub) continue; // hubs are never expanded
        outer: for (const pid of i.memberPages) {
          const page = await store.getPage(pid);
          for (const rid of page?.items ?? []) {
            const isNew = !nodes.has(nodeId('REPORT', rid));
            if (isNew) {
              const r = await store.getReport(rid);
              if (!r) continue;
              if (!(await addReportNode(r))) break outer;
              next.push(nodeId('REPORT', rid));
            }
            addEdge(nid, nodeId('REPORT', rid));
          }
        }
      }
    }
    frontier = next;
  }

  const out: GraphNode[] = [];
  const typed = new Map<string, string>();
  for (const [nid, n] of nodes) typed.set(nid, n.id);
  for (const [nid, n] of nodes) {
    const { total, ...node } = n;
    node.hiddenNeighbourCount = Math.max(0, total - (neighboursShown.get(nid)?.size ?? 0));
    out.push(node);
  }
  return {
    nodes: out,
    edges: [...edges.values()].map((e) => ({
      source: typed.get(e.source) ?? e.source,
      target: typed.get(e.target) ?? e.target,
    })),
    truncated,
  };
}
