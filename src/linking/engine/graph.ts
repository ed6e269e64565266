/**
 * Read-only graph walk over the stored edges, by primary key only: explainLink (why are two reports in one
 * cluster?). It never expands a non-linkable identifier (HUB, NEVER, WARNINGLISTED). The caseGraph walk, paged,
 * is src/linking/graph-walk.ts.
 */
import type { LinkingEngine } from './engine';
import { LinkEngineError, type LinkReport } from './types';

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
