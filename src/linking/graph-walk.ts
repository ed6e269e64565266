/**
 * The caseGraph walk, one page at a time: breadth-first from one seed node, a node returned once, in the order
 * it was found, so every returned node but the seed has an edge to a node returned before it — a page cut at
 * `limit` is still a connected graph, and the next page carries on from the saved state (WalkState, plain JSON).
 *
 * - Edges are report ↔ identifier (the report's identifiers in force) and explicit report ↔ report links. An edge
 *   is returned once, on the page of its later end, and only between returned nodes.
 * - Non-linkable identifiers (HUB, NEVER, WARNINGLISTED) are returned but never expanded, as before.
 * - A node of a cluster the user may not see is never returned nor expanded; it counts in its neighbours'
 *   hiddenNeighbourCount like every neighbour not returned (yet).
 * - Every read is by primary key, in a few parallel rounds per page (`warm`); the cost of a page depends on
 *   `limit` and on the member lists of the identifiers it expands, never on the size of the store.
 */
import type { ReadOnlyLinkStore } from './buffered-link-store';
import { kindOfKey, type LinkCluster, type LinkIdentifier, type LinkingEngine, type LinkReport } from './engine';
import { prefetchClusterChains } from './link-prefetch';

/** A node of the walk: `R|<report id>` or `I|<identifier key>` (both kinds of id may contain ':'). */
type NodeRef = string;
const reportRef = (id: string): NodeRef => `R|${id}`;
const identRef = (key: string): NodeRef => `I|${key}`;
const isReport = (ref: NodeRef) => ref.startsWith('R|');
const idOf = (ref: NodeRef) => ref.slice(2);

export interface WalkState {
  depth: number;
  /** the node the walk starts from; for a cluster root, see `seedOf` */
  seed: NodeRef;
  /** found and not returned yet, in the order found: [node, edges from the seed] */
  queue: [NodeRef, number][];
  /** returned on a page */
  returned: NodeRef[];
  /** found, never returned: out of the user's scope, or gone from the store */
  dropped: NodeRef[];
  /** identifier key → returned reports carrying it while it is not returned (its edges, due when it is) */
  pending: Record<string, string[]>;
  /** the seed's cluster when the walk began (`<id>:<reports>:<loss>`): `changed` compares with it */
  began?: string;
  /** returned reports of the seed's cluster and their loss, counted for the cluster as `mark` says */
  counted?: { mark: string; reports: number; lossFen: number };
}

export interface WalkNode {
  id: string;
  type: 'REPORT' | 'IDENTIFIER';
  clusterId?: string;
  isHub: boolean;
  /** neighbours that exist and are not returned on this page nor an earlier one */
  hiddenNeighbourCount: number;
}

/** What lies beyond a page: the seed's cluster minus what the walk returned, and the queue by type. */
export interface WalkRest {
  clusterId?: string;
  reports: number;
  lossFen: number;
  /** queued reports, and queued identifiers by kind */
  queuedReports: number;
  queuedIdentifiers: Map<string, number>;
  /** the seed's cluster is not the one the walk began in (it grew, merged or split since) */
  changed: boolean;
}

export interface WalkPage {
  /** the id of the walk's start node (undefined for a cluster without members) */
  startId?: string;
  nodes: WalkNode[];
  edges: { source: string; target: string }[];
  hasNextPage: boolean;
  rest: WalkRest;
}

export type WalkRoot = { reportId: string } | { identifierKey: string } | { cluster: LinkCluster };

/**
 * The seed: the report or identifier itself; for a cluster, its most carried linkable identifier (identifiers
 * first, then their reports), or its first member when nothing but explicit links holds it.
 */
export async function startWalk(
  engine: LinkingEngine,
  store: ReadOnlyLinkStore,
  root: WalkRoot,
  depth: number,
): Promise<WalkState> {
  const state = (seed: NodeRef): WalkState => ({
    depth,
    seed,
    queue: [[seed, 0]],
    returned: [],
    dropped: [],
    pending: {},
  });
  if ('reportId' in root) return state(reportRef(root.reportId));
  if ('identifierKey' in root) return state(identRef(root.identifierKey));
  const c = root.cluster;
  const top = c.summary.topIdentifiers[0];
  const ident = top && (await store.getIdentifier(top.key));
  if (ident?.clusterId && engine.isLinkable(ident) && (await engine.find(ident.clusterId))._id === c._id)
    return state(identRef(ident._id));
  const first = c.memberPages.length ? (await store.getPage(c.memberPages[0]))?.items[0] : undefined;
  return first ? state(reportRef(first)) : { ...state(''), queue: [] };
}

export async function walkPage(
  engine: LinkingEngine,
  store: ReadOnlyLinkStore,
  state: WalkState,
  limit: number,
  visible: (c: LinkCluster) => boolean,
): Promise<WalkPage> {
  const returned = new Set(state.returned);
  const seen = new Set([...state.returned, ...state.dropped, ...state.queue.map(([ref]) => ref)]);
  const nodes: WalkNode[] = [];
  const edges: { source: NodeRef; target: NodeRef }[] = [];
  const enqueue = (ref: NodeRef, level: number) => {
    if (seen.has(ref)) return;
    seen.add(ref);
    state.queue.push([ref, level]);
  };
  const drop = (ref: NodeRef) => state.dropped.push(ref);
  const keep = async (clusterId: string) => {
    const c = await engine.find(clusterId);
    return visible(c) ? c._id : undefined;
  };

  const visitReport = async (ref: NodeRef, r: LinkReport, level: number): Promise<WalkNode | undefined> => {
    const clusterId = await keep(r.clusterId);
    if (!clusterId) return undefined;
    for (const k of r.identifierKeys)
      if (returned.has(identRef(k))) edges.push({ source: identRef(k), target: ref });
      else (state.pending[k] ??= []).push(r._id);
    for (const o of r.explicitLinks) if (returned.has(reportRef(o))) edges.push({ source: reportRef(o), target: ref });
    if (level < state.depth) {
      for (const k of r.identifierKeys) enqueue(identRef(k), level + 1);
      for (const o of r.explicitLinks) enqueue(reportRef(o), level + 1);
    }
    return { id: r._id, type: 'REPORT', clusterId, isHub: false, hiddenNeighbourCount: totalOf(r) };
  };
  const visitIdentifier = async (ref: NodeRef, i: LinkIdentifier, level: number): Promise<WalkNode | undefined> => {
    const linkable = engine.isLinkable(i);
    const clusterId = linkable && i.clusterId !== undefined ? await keep(i.clusterId) : undefined;
    if (linkable && i.clusterId !== undefined && !clusterId) return undefined;
    for (const rid of state.pending[i._id] ?? []) edges.push({ source: reportRef(rid), target: ref });
    delete state.pending[i._id];
    if (linkable && level < state.depth)
      for (const rid of await engine.lists.readAll(i.memberPages)) enqueue(reportRef(rid), level + 1);
    return {
      id: i._id,
      type: 'IDENTIFIER',
      ...(clusterId ? { clusterId } : {}),
      isHub: !linkable,
      hiddenNeighbourCount: i.degree,
    };
  };

  let head = 0;
  while (nodes.length < limit && head < state.queue.length) {
    const batch = state.queue.slice(head, head + limit - nodes.length);
    await warm(engine, store, batch, state.depth);
    for (const [ref, level] of batch) {
      head++;
      const node = isReport(ref)
        ? await store.getReport(idOf(ref)).then((r) => r && visitReport(ref, r, level))
        : await store.getIdentifier(idOf(ref)).then((i) => i && visitIdentifier(ref, i, level));
      if (!node) {
        drop(ref);
        continue;
      }
      returned.add(ref);
      state.returned.push(ref);
      nodes.push(node);
    }
  }
  state.queue = state.queue.slice(head);

  // hiddenNeighbourCount starts as the node's degree; every edge it has on this page is a neighbour shown
  const byRef = new Map(nodes.map((n) => [n.type === 'REPORT' ? reportRef(n.id) : identRef(n.id), n]));
  for (const e of edges)
    for (const end of [e.source, e.target]) {
      const n = byRef.get(end);
      if (n) n.hiddenNeighbourCount = Math.max(0, n.hiddenNeighbourCount - 1);
    }
  return {
    ...(state.seed ? { startId: idOf(state.seed) } : {}),
    nodes,
    edges: edges.map((e) => ({ source: idOf(e.source), target: idOf(e.target) })),
    hasNextPage: state.queue.length > 0,
    rest: await restOf(
      engine,
      store,
      state,
      nodes.filter((n) => n.type === 'REPORT').map((n) => n.id),
    ),
  };
}

function totalOf(r: LinkReport): number {
  return r.identifierKeys.length + r.explicitLinks.length;
}

/**
 * Reads what a batch of queued nodes needs, in parallel rounds by primary key: the documents, their clusters
 * (alias chains included), and the member pages of the identifiers the batch will expand.
 */
async function warm(
  engine: LinkingEngine,
  store: ReadOnlyLinkStore,
  batch: readonly [NodeRef, number][],
  depth: number,
): Promise<void> {
  const reports = batch.filter(([ref]) => isReport(ref)).map(([ref]) => idOf(ref));
  const keys = batch.filter(([ref]) => !isReport(ref)).map(([ref]) => idOf(ref));
  await Promise.all([store.prefetch('reports', reports), store.prefetch('identifiers', keys)]);
  const clusterIds: string[] = [];
  const pages: string[] = [];
  for (const id of reports) {
    const r = store.inspect<LinkReport>('reports', id);
    if (r) clusterIds.push(r.clusterId);
  }
  for (const [ref, level] of batch) {
    if (isReport(ref)) continue;
    const i = store.inspect<LinkIdentifier>('identifiers', idOf(ref));
    if (!i) continue;
    if (i.clusterId) clusterIds.push(i.clusterId);
    if (level < depth && engine.isLinkable(i)) pages.push(...i.memberPages);
  }
  await Promise.all([prefetchClusterChains(store, clusterIds), store.prefetch('pages', pages)]);
}

/**
 * The seed's cluster now, minus the reports the walk returned (of that cluster). They are counted page by page;
 * when the cluster is not the one they were counted for (it grew, merged or split between pages) they are
 * counted again from their documents: once per change, by primary key.
 */
async function restOf(
  engine: LinkingEngine,
  store: ReadOnlyLinkStore,
  state: WalkState,
  pageReports: readonly string[],
): Promise<WalkRest> {
  const queuedIdentifiers = new Map<string, number>();
  let queuedReports = 0;
  for (const [ref] of state.queue)
    if (isReport(ref)) queuedReports++;
    else queuedIdentifiers.set(kindOfKey(idOf(ref)), (queuedIdentifiers.get(kindOfKey(idOf(ref))) ?? 0) + 1);
  const none = { reports: 0, lossFen: 0, queuedReports, queuedIdentifiers, changed: false };
  const c = state.seed ? await clusterOfNode(engine, store, state.seed) : undefined;
  if (!c) return none;
  const mark = `${c._id}:${c.summary.reportCount}:${c.summary.lossFen}`;
  state.began ??= mark;
  const fresh = state.counted?.mark === mark;
  // counted for this cluster before: add this page's reports (cached); else count every returned report again
  const ids = fresh ? pageReports : state.returned.filter(isReport).map(idOf);
  if (!fresh) {
    await store.prefetch('reports', ids);
    await prefetchClusterChains(
      store,
      ids.map((id) => store.inspect<LinkReport>('reports', id)?.clusterId).filter((x): x is string => !!x),
    );
  }
  const counted = fresh && state.counted ? state.counted : { mark, reports: 0, lossFen: 0 };
  for (const id of ids) {
    const r = store.inspect<LinkReport>('reports', id);
    if (r && (await engine.find(r.clusterId))._id === c._id) {
      counted.reports++;
      counted.lossFen += r.summaryFacts.lossFen;
    }
  }
  state.counted = counted;
  return {
    clusterId: c._id,
    reports: Math.max(0, c.summary.reportCount - counted.reports),
    lossFen: Math.max(0, c.summary.lossFen - counted.lossFen),
    queuedReports,
    queuedIdentifiers,
    changed: state.began !== mark,
  };
}

async function clusterOfNode(
  engine: LinkingEngine,
  store: ReadOnlyLinkStore,
  ref: NodeRef,
): Promise<LinkCluster | undefined> {
  if (isReport(ref)) {
    const r = await store.getReport(idOf(ref));
    return r ? engine.find(r.clusterId) : undefined;
  }
  const i = await store.getIdentifier(idOf(ref));
  return i?.clusterId && engine.isLinkable(i) ? engine.find(i.clusterId) : undefined;
}
