import { Injectable } from '@nestjs/common';
import { assertInScope, Scope } from '../auth/scope';
import {
  ConnectionShape,
  decodeAfter,
  encodeCursor,
  indexedConnection,
  pageSize,
  toConnection,
} from '../common/graphql/pagination';
import { ReportLists } from '../reports/report-lists.service';
import { ClusterListFilter, ClusterLists, IndexedSort } from './cluster-lists';

import { countFiltered, readFiltered } from '../store/list-index';
import type { LinkCluster } from './engine';
import { LinkEventsService } from './link-events.service';
import { LinkLoaders } from './link-loaders';
import { clusterVisible, reportVisible, withSharedRegions } from './link-scope';
import { LinkStoreRepository } from './link-store.repository';
import { LinkableReportRecord, LinkedReportsRepository, StaffReportQuery } from '../reports/linked-reports.repository';
import { LinkingError, LinkingErrorCode } from './linking.errors';
import { Cluster, ClusterSort, KeyCount, Report, ReportIdentifier } from './models/linking.models';
import type { ClusterFilter, ReportFilter } from './dto/linking.args';
import { IdentifierKind as IdentifierKindEnum } from '../reports/enums';
import { formatTrackingCode } from '../reports/tracking-code';
import { AuthError, AuthErrorCode } from '../auth/auth.errors';

/**
 * The investigators' reads of linked reports and clusters (report, reports, cluster, clusters; identifiers and
 * hubs: IdentifierQueryService). Everything a field needs per parent goes through the operation's LinkLoaders. Reads never write (no path
 * compression outside the lock). Scoping: see link-scope.ts.
 */
@Injectable()
export class LinkQueryService {
  constructor(
    private readonly repo: LinkStoreRepository,
    private readonly reportsRepo: LinkedReportsRepository,
    private readonly events: LinkEventsService,
    private readonly reportLists: ReportLists,
    private readonly lists: ClusterLists,
  ) {}

  // ---------------------------------------------------------------- reports

  /** null for an unknown id; FORBIDDEN (OUT_OF_UNIT) outside the user's units. */
  async report(scope: Scope, id: string, L: LinkLoaders): Promise<Report | null> {
    const r = await L.report.load(id);
    if (!r) return null;
    const cluster = await L.clusterOfReport(id);
    if (!reportVisible(scope, r.regionCode, cluster)) assertInScope(scope, [r.regionCode], `Report ${id}`);
    return toReport(r);
  }

  /**
   * A visible, linked report (judgements, graph roots): NOT_FOUND, REPORT_NOT_LINKED or FORBIDDEN otherwise.
   * A linked report's cluster holds its region, so the report is visible exactly when its cluster is: the
   * report document itself is read only to tell "unknown" from "not linked yet".
   */
  async requireLinkedReport(
    scope: Scope,
    id: string,
    L: LinkLoaders,
    field: string,
  ): Promise<{ cluster: LinkCluster }> {
    const cluster = await L.clusterOfReport(id);
    if (!cluster) {
      if (!(await L.report.load(id)))
        throw new LinkingError(LinkingErrorCode.REPORT_NOT_FOUND, `No report ${id}`, field);
      throw new LinkingError(
        LinkingErrorCode.REPORT_NOT_LINKED,
        `Report ${id} is not linked yet; retry shortly`,
        field,
      );
    }
    if (!clusterVisible(scope, cluster))
      throw new AuthError(AuthErrorCode.OUT_OF_UNIT, `Report ${id} belongs to units outside yours`);
    return { cluster };
  }

  /**
   * Staff listing. With `clusterId`: the cluster's members through its member pages (primary key only).
   * Otherwise a page of the report list index (ReportLists: ids from Redis, documents by `_id`; a scan of the
   * collection only while the index is being built); it lists reports filed in the user's units and the shared
   * intelligence (reports of other units are reached through a shared cluster).
   */
  async reports(
    scope: Scope,
    filter: ReportFilter | undefined,
    first: number | undefined,
    after: string | undefined,
    L: LinkLoaders,
  ): Promise<ConnectionShape<Report>> {
    if (filter?.clusterId) return this.clusterReports(scope, filter.clusterId, first, after, L, filter);
    const limit = pageSize(first, 20, 100);
    const afterId = decodeAfter(after);
    const q: StaffReportQuery = {
      source: filter?.source,
      regionCode: filter?.regionCode,
      fraudType: filter?.fraudType,
    };
    if (await this.reportLists.builds.ready()) {
      const page = await this.reportLists.page(withSharedRegions(scope), q, limit, afterId);
      const docs = await L.report.loadMany(page.entries.map((e) => e.id));
      return indexedConnection(
        page.entries.map((e, i) => ({ member: e.member, doc: docs[i] instanceof Error ? undefined : docs[i] })),
        page.hasMore,
        page.total,
        toReport,
      );
    }
    // the list index is being built (a store's first list request, or after Redis lost it): scan meanwhile
    const [rows, total] = await Promise.all([
      this.reportsRepo.list(withSharedRegions(scope), q, limit + 1, afterId),
      this.reportsRepo.count(withSharedRegions(scope), q),
    ]);
    for (const r of rows) L.report.prime(r._id, r);
    return toConnection(rows, limit, total, (r) => r._id, toReport);
  }

  /**
   * Members of a cluster, in member-page order: the cursor is `<page index>:<offset>`; each page read costs one
   * primary-key read of a member page plus the reports by _id. Other ReportFilter fields narrow the page
   * (then totalCount is the cluster's size, an upper bound).
   */
  async clusterReports(
    scope: Scope,
    clusterId: string,
    first: number | undefined,
    after: string | undefined,
    L: LinkLoaders,
    filter?: ReportFilter,
  ): Promise<ConnectionShape<Report>> {
    const cluster = await this.visibleCluster(scope, clusterId, L, 'filter.clusterId');
    const limit = pageSize(first, 20, 100);
    const from = decodeAfter(after, (key) => /^(\d+):(\d+)$/.exec(key) ?? undefined);
    let pageIdx = from ? Number(from[1]) : 0;
    let offset = from ? Number(from[2]) + 1 : 0;
    const picked: { id: string; cursor: string }[] = [];
    while (pageIdx < cluster.memberPages.length && picked.length <= limit) {
      const [page] = await this.repo.getMany('pages', [cluster.memberPages[pageIdx]]);
      const items = (page?.items as string[] | undefined) ?? [];
      for (; offset < items.length && picked.length <= limit; offset++)
        picked.push({ id: items[offset], cursor: `${pageIdx}:${offset}` });
      if (offset >= items.length) {
        pageIdx++;
        offset = 0;
      }
    }
    const records = await L.report.loadMany(picked.map((p) => p.id));
    const rows = picked
      .map((p, i) => ({
        ...p,
        r: records[i] instanceof Error ? undefined : records[i],
      }))
      .filter((x): x is { id: string; cursor: string; r: LinkableReportRecord } => x.r !== undefined)
      .filter(
        (x) =>
          (!filter?.source || x.r.source === filter.source) &&
          (!filter?.regionCode || x.r.regionCode === filter.regionCode) &&
          (!filter?.fraudType || x.r.fraudType === String(filter.fraudType)),
      );
    const conn = toConnection(
      rows,
      limit,
      cluster.size,
      (x) => x.cursor,
      (x) => toReport(x.r),
    );
    return conn;
  }

  /** The identifiers of a report with their detached flags (one link-document read per report, batched). */
  async reportIdentifiers(report: Report, L: LinkLoaders): Promise<ReportIdentifier[]> {
    const link = await L.linkReport.load(report.id);
    const detached = new Set(link?.detachedKeys ?? []);
    return report.rawIdentifiers.map((i) => ({
      kind: i.kind as IdentifierKindEnum,
      value: i.value,
      display: i.display,
      origin: i.origin,
      detached: detached.has(i.key),
    }));
  }

  /** null until linked, and for a shared report whose cluster is another unit's case data. */
  async reportClusterId(scope: Scope, report: Report, L: LinkLoaders): Promise<string | null> {
    const cluster = await L.clusterOfReport(report.id);
    return cluster && clusterVisible(scope, cluster) ? cluster._id : null;
  }

  // ---------------------------------------------------------------- clusters

  /** null for an unknown or split cluster; a merged id resolves to the surviving cluster. */
  async cluster(scope: Scope, id: string, L: LinkLoaders): Promise<Cluster | null> {
    const root = await L.root(id);
    if (!root || root.dead || root.size === 0) return null;
    if (!clusterVisible(scope, root)) assertInScope(scope, Object.keys(root.summary.byRegion), `Cluster ${id}`);
    return toCluster(root);
  }

  private async visibleCluster(scope: Scope, id: string, L: LinkLoaders, field: string): Promise<LinkCluster> {
    const root = await L.root(id);
    if (!root || root.dead || root.size === 0)
      throw new LinkingError(LinkingErrorCode.CLUSTER_NOT_FOUND, `No cluster ${id}`, field);
    if (!clusterVisible(scope, root))
      throw new AuthError(AuthErrorCode.OUT_OF_UNIT, `Cluster ${id} belongs to units outside yours`);
    return root;
  }

  /**
   * Staff listing of live clusters: filter by region, fraud type, size, loss and recency; sort by size, loss,
   * growth (reports whose fraud happened in the last 7 days) or recency; ties by id. It scans link_clusters on FerretDB v1
   * (secondary filter on `size`) and sorts in memory — a staff page; the cursor is the last cluster id.
   */
  async clusters(
    scope: Scope,
    filter: ClusterFilter | undefined,
    sort: ClusterSort,
    first: number | undefined,
    after: string | undefined,
  ): Promise<ConnectionShape<Cluster>> {
    const limit = pageSize(first, 20, 100);
    const f: ClusterListFilter = {
      minSize: filter?.minSize ?? 2,
      maxSize: filter?.maxSize ?? undefined,
      minLoss: filter?.minLoss ?? undefined,
      regionCode: filter?.regionCode ?? undefined,
      fraudType: filter?.fraudType ?? undefined,
      since: filter?.reportedSince?.getTime(),
    };
    const matches = (c: LinkCluster): boolean =>
      c.mergedInto === undefined &&
      !c.dead &&
      c.size >= f.minSize &&
      (f.maxSize === undefined || c.size <= f.maxSize) &&
      (f.minLoss === undefined || c.summary.lossFen >= f.minLoss) &&
      (!f.regionCode || (c.summary.byRegion[f.regionCode] ?? 0) > 0) &&
      (!f.fraudType || (c.summary.byFraudType[f.fraudType] ?? 0) > 0) &&
      (f.since === undefined ||
        (c.summary.lastReportAt !== undefined && Date.parse(c.summary.lastReportAt) >= f.since)) &&
      clusterVisible(scope, c);
    // the index holds clusters of two or more reports; a smaller minSize (and a list not built yet) scans
    if (f.minSize >= 2 && (await this.lists.builds.ready()))
      return sort === ClusterSort.GROWTH
        ? this.growthPage(scope, f, matches, limit, after)
        : this.indexedPage(scope, f, sort, matches, limit, after);
    const afterId = decodeAfter(after);
    const docs = (await this.repo.scanClusters(f.minSize)) as unknown as LinkCluster[];
    const live = docs.filter(matches);
    const growth =
      sort === ClusterSort.GROWTH ? await this.events.growthOf(live.map((c) => c._id)) : new Map<string, number>();
    const keyOf = (c: LinkCluster): number => {
      switch (sort) {
        case ClusterSort.SIZE:
          return c.size;
        case ClusterSort.LOSS:
          return c.summary.lossFen;
        case ClusterSort.GROWTH:
          return growth.get(c._id) ?? 0;
        case ClusterSort.RECENT:
          return c.summary.lastReportAt ? Date.parse(c.summary.lastReportAt) : 0;
      }
    };
    live.sort((a, b) => keyOf(b) - keyOf(a) || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    let start = 0;
    if (afterId !== undefined) {
      const at = live.findIndex((c) => c._id === afterId);
      start = at < 0 ? live.length : at + 1;
    }
    return toConnection(live.slice(start, start + limit + 1), limit, live.length, (c) => c._id, toCluster);
  }

  /**
   * A page of the cluster list index (ClusterLists) in SIZE, LOSS or RECENT order: ids from Redis, documents by
   * `_id`, each checked against the whole filter (an index entry a commit is about to replace, or a filter the
   * keys do not serve). A filter the keys do not serve reads at most MAX_EXAMINED entries per page (the page
   * may then be short, with hasNextPage: readFiltered), and totalCount checks the candidates when at most
   * MAX_EXAMINED, else counts them (an upper bound).
   */
  private async indexedPage(
    scope: Scope,
    f: ClusterListFilter,
    sort: IndexedSort,
    matches: (c: LinkCluster) => boolean,
    limit: number,
    after: string | undefined,
    skip?: ReadonlySet<string>,
  ): Promise<ConnectionShape<Cluster>> {
    const plan = this.lists.plan(scope, f, sort);
    const read = (from: string | undefined, n: number) => this.lists.page({ ...plan, after: from, limit: n });
    const load = async (ids: string[]) =>
      (await this.repo.getMany('clusters', ids)) as unknown as (LinkCluster | undefined)[];
    const check = (d: LinkCluster) => !skip?.has(d._id) && matches(d);
    const exact = plan.exact && !skip;
    const { found, hasNext } = await readFiltered<LinkCluster>({
      read,
      load,
      matches: check,
      limit,
      after: decodeAfter(after, (k) => (/^\d+\|./.test(k) ? k : undefined)),
      exact,
    });
    const upper = await this.lists.count(plan.keys, plan, plan.disjoint);
    const total = plan.exact ? upper : await countFiltered({ upper, read, load, matches });
    return indexedConnection(found, hasNext, total, toCluster);
  }

  /**
   * GROWTH: the clusters that grew in the last 7 days (the week's growth sets, whatever the store's size), most
   * growth first, ties by id; then the others in SIZE order. Cursors: `g<n>` in the first part, `t<member>` in
   * the second.
   */
  private async growthPage(
    scope: Scope,
    f: ClusterListFilter,
    matches: (c: LinkCluster) => boolean,
    limit: number,
    after: string | undefined,
  ): Promise<ConnectionShape<Cluster>> {
    const at = decodeAfter(after, (k) => (/^(g\d+|t\d+\|.+)$/.test(k) ? k : undefined));
    const growing = await this.events.growing();
    const head = [...growing]
      .filter(([, g]) => g > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const headIds = new Set(head.map(([id]) => id));
    // every cluster of the filter is in the SIZE order: its count is the GROWTH list's too
    const sizePlan = this.lists.plan(scope, f, ClusterSort.SIZE);
    const upper = await this.lists.count(sizePlan.keys, sizePlan, sizePlan.disjoint);
    const total = sizePlan.exact
      ? upper
      : await countFiltered<LinkCluster>({
          upper,
          read: (from, n) => this.lists.page({ ...sizePlan, after: from, limit: n }),
          load: async (ids) => (await this.repo.getMany('clusters', ids)) as unknown as (LinkCluster | undefined)[],
          matches,
        });
    const edges: { node: Cluster; cursor: string }[] = [];
    let idx = at?.startsWith('g') ? Number(at.slice(1)) + 1 : at ? head.length : 0;
    let lastIdx = idx - 1;
    while (idx < head.length && edges.length < limit) {
      const ids = head.slice(idx, idx + 100).map(([id]) => id);
      const docs = (await this.repo.getMany('clusters', ids)) as unknown as (LinkCluster | undefined)[];
      for (let j = 0; j < docs.length && edges.length < limit; j++) {
        const d = docs[j];
        lastIdx = idx + j;
        if (d && matches(d)) edges.push({ node: toCluster(d), cursor: encodeCursor(`g${lastIdx}`) });
      }
      idx += ids.length;
    }
    if (edges.length >= limit) {
      const hasNextPage = lastIdx + 1 < head.length || total > 0;
      return { edges, pageInfo: { hasNextPage, endCursor: edges[edges.length - 1].cursor }, totalCount: total };
    }
    const tailAfter = at?.startsWith('t') ? encodeCursor(at.slice(1)) : undefined;
    const tail = await this.indexedPage(scope, f, ClusterSort.SIZE, matches, limit - edges.length, tailAfter, headIds);
    const tailEdges = tail.edges.map((e) => ({ ...e, cursor: encodeCursor(`t${decodeAfter(e.cursor) as string}`) }));
    const all = [...edges, ...tailEdges];
    const end = tail.pageInfo.endCursor
      ? encodeCursor(`t${decodeAfter(tail.pageInfo.endCursor) as string}`)
      : all.at(-1)?.cursor;
    return { edges: all, pageInfo: { hasNextPage: tail.pageInfo.hasNextPage, endCursor: end }, totalCount: total };
  }

  /** Growth of a cluster (its reports whose fraud happened in the last 7 days), batched. */
  growth(cluster: Cluster, L: LinkLoaders): Promise<number> {
    return L.growth.load(cluster.id);
  }
}

export function toReport(r: LinkableReportRecord): Report {
  return {
    id: r._id,
    trackingCode: r.trackingCode ? formatTrackingCode(r.trackingCode) : null,
    source: r.source,
    externalRef: r.externalRef ?? null,
    fraudType: r.fraudType,
    channel: r.channel,
    paymentMethod: r.paymentMethod ?? null,
    occurredAt: new Date(r.occurredAt),
    regionCode: r.regionCode,
    loss: r.lossFen,
    rawIdentifiers: r.identifiers.map((i) => ({
      kind: i.kind,
      value: i.value,
      display: i.display,
      key: i.key,
      origin: i.origin,
    })),
    caseId: null,
    createdAt: new Date(r.createdAt),
  };
}

const counts = (m: Record<string, number>): KeyCount[] =>
  Object.entries(m)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));

export function toCluster(c: LinkCluster): Cluster {
  const s = c.summary;
  return {
    id: c._id,
    reportCount: s.reportCount,
    victimCount: s.victimCount,
    totalLoss: s.lossFen,
    fraudTypes: counts(s.byFraudType),
    regions: counts(s.byRegion),
    channels: counts(s.byChannel),
    paymentMethods: counts(s.byPaymentMethod),
    firstReportAt: s.firstReportAt ? new Date(s.firstReportAt) : null,
    lastReportAt: s.lastReportAt ? new Date(s.lastReportAt) : null,
    top: s.topIdentifiers,
  };
}
