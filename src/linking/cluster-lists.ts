import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { Scope } from '../auth/scope';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { ListBuilds } from '../store/list-builds';
import { descNumber, IndexedEntry, ListIndex, Placement } from '../store/list-index';
import type { StoredDoc, VersionedWrite } from '../store/versioned-store';
import type { LinkCluster } from './engine';
import { clusterRegions, isSharedRegion } from './link-scope';
import { ClusterSort } from './models/linking.models';

export const CLUSTER_LIST = 'clusters';
/** The hub review queue: identifiers over their degree cap not yet judged, highest degree first. */
export const HUB_LIST = 'hubs';

/** The orders the index holds (GROWTH is read from the week's growth sets, then SIZE). */
type IndexedSort = ClusterSort.SIZE | ClusterSort.LOSS | ClusterSort.RECENT;

const PREFIX: Record<IndexedSort, string> = {
  [ClusterSort.SIZE]: 'size',
  [ClusterSort.LOSS]: 'loss',
  [ClusterSort.RECENT]: 'recent',
};

const SIZE_WIDTH = 9;
const LOSS_WIDTH = 16;
const TIME_WIDTH = 14;

const sizeKey = (n: number) => descNumber(n, SIZE_WIDTH);
const lossKey = (fen: number) => descNumber(fen, LOSS_WIDTH);
const timeKey = (ms: number) => descNumber(ms, TIME_WIDTH);

function lastMs(c: Pick<LinkCluster, 'summary'>): number {
  return c.summary.lastReportAt ? Date.parse(c.summary.lastReportAt) : 0;
}

/**
 * The staff `clusters` list on the list index (src/store/list-index.ts): live clusters of two or more reports,
 * in three orders (size, total loss, latest fraud; ties by id), each under keys for "every cluster" (`_all`),
 * "touches region g" (`u:<g>`), "shared intelligence only" (`_shared`), and each of those × fraud type
 * (`...:f:<type>`). A user's page merges the keys of their units and `_shared`; size, loss and recency bounds are
 * key ranges when they match the order. Maintained by the linking store's commits
 * ({@link ClusterLists.applied}, run by every apply, journal redo included, and ordered by document version);
 * `siqian reindex clusters` rebuilds it from the current cluster documents.
 */
@Injectable()
export class ClusterLists {
  readonly index: ListIndex;
  private buildsOf?: ListBuilds;
  private hubBuildsOf?: ListBuilds;

  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) cfg: AppConfig) {
    this.index = new ListIndex(redis, `${cfg.queue.prefix}:li`);
  }

  /** The linking store gives the build its scan (the store holds this service, not the other way round). */
  attach(scan: (col: 'clusters' | 'hubs') => Promise<{ doc: StoredDoc; version: number }[]>): void {
    this.hubBuildsOf = new ListBuilds(this.index, HUB_LIST, async (index) => {
      const all = await scan('hubs');
      await this.placeHubs(
        all.map((v) => ({ id: v.doc._id, version: v.version, doc: v.doc })),
        index,
      );
      return all.length;
    });
    this.buildsOf = new ListBuilds(this.index, CLUSTER_LIST, async (index, onProgress) => {
      const all = await scan('clusters');
      for (let i = 0; i < all.length; i += 2_000) {
        await this.placeAll(
          all.slice(i, i + 2_000).map((v) => ({ id: v.doc._id, version: v.version, doc: v.doc })),
          index,
        );
        onProgress?.(Math.min(all.length, i + 2_000));
      }
      return all.length;
    });
  }

  get hubBuilds(): ListBuilds {
    if (!this.hubBuildsOf) throw new Error('ClusterLists: the linking store did not attach its scan');
    return this.hubBuildsOf;
  }

  get builds(): ListBuilds {
    if (!this.buildsOf) throw new Error('ClusterLists: the linking store did not attach its scan');
    return this.buildsOf;
  }

  /** The hook of the linking store's applyWrites: places every cluster written (idempotent, version-ordered). */
  async applied(writes: readonly VersionedWrite[]): Promise<void> {
    const clusters = writes.filter((w) => w.col === 'clusters');
    if (clusters.length > 0)
      await this.placeAll(clusters.map((w) => ({ id: w.id, version: w.version ?? 1, doc: w.doc })));
    const hubs = writes.filter((w) => w.col === 'hubs');
    if (hubs.length > 0) await this.placeHubs(hubs.map((w) => ({ id: w.id, version: w.version ?? 1, doc: w.doc })));
  }

  /** A page of the hub queue (highest degree first, ties by key) and its size. */
  async hubPage(limit: number, after: string | undefined) {
    const [page, total] = await Promise.all([
      this.index.page(HUB_LIST, { keys: ['_all'], limit, after }, true),
      this.index.count(HUB_LIST, ['_all'], {}, true),
    ]);
    return { ...page, total };
  }

  private placeHubs(docs: VersionedDoc[], index = this.index): Promise<void> {
    return placeDocs(index, HUB_LIST, docs, (d) => [{ keys: ['_all'], sort: sizeKey(Number(d.degree ?? 0)) }]);
  }

  private placeAll(docs: VersionedDoc[], index = this.index): Promise<void> {
    return placeDocs(index, CLUSTER_LIST, docs, (d) => placementOf(d as unknown as LinkCluster));
  }

  /** The keys and range of a page: see the class comment. `exact`: every filter is served by keys and range. */
  plan(
    scope: Scope,
    f: ClusterListFilter,
    sort: IndexedSort,
  ): { keys: string[]; lo?: string; hi?: string; exact: boolean; disjoint: boolean } {
    let parts: string[];
    let exact = true;
    if (scope.kind === 'ALL') parts = [f.regionCode ? `u:${f.regionCode}` : '_all'];
    else if (f.regionCode) {
      parts = [`u:${f.regionCode}`];
      // clusters of that region touching the user's units: the region's key, checked cluster by cluster
      if (!scope.unitCodes.includes(f.regionCode)) exact = false;
      if (isSharedRegion(f.regionCode)) parts.push('_shared');
    } else parts = [...scope.unitCodes.filter((u) => !isSharedRegion(u)).map((u) => `u:${u}`), '_shared'];
    if (f.fraudType) parts = parts.map((p) => `${p}:f:${f.fraudType}`);
    const keys = parts.map((p) => `${PREFIX[sort]}:${p}`);
    let lo: string | undefined;
    let hi: string | undefined;
    if (sort === ClusterSort.SIZE) {
      if (f.maxSize !== undefined) lo = sizeKey(f.maxSize);
      if (f.minSize > 2) hi = sizeKey(f.minSize - 1);
    } else if (f.minSize > 2 || f.maxSize !== undefined) exact = false;
    if (sort === ClusterSort.LOSS) {
      if (f.minLoss !== undefined && f.minLoss > 0) hi = lossKey(f.minLoss - 1);
    } else if (f.minLoss !== undefined) exact = false;
    if (sort === ClusterSort.RECENT) {
      if (f.since !== undefined) hi = timeKey(f.since - 1);
    } else if (f.since !== undefined) exact = false;
    return { keys, lo, hi, exact, disjoint: keys.length === 1 };
  }

  page(q: { keys: string[]; lo?: string; hi?: string; after?: string; limit: number }) {
    return this.index.page(CLUSTER_LIST, q, true);
  }

  count(keys: string[], range: { lo?: string; hi?: string }, disjoint: boolean): Promise<number> {
    return this.index.count(CLUSTER_LIST, keys, range, disjoint);
  }
}

/** A document as a linking write or a build's scan carries it (no doc: deleted). */
type VersionedDoc = { id: string; version: number; doc?: StoredDoc };

/** Places documents of `list` at their versions; a deleted one leaves the list. */
function placeDocs(
  index: ListIndex,
  list: string,
  docs: readonly VersionedDoc[],
  placement: (doc: StoredDoc) => Placement[] | null,
): Promise<void> {
  return index.place(
    list,
    docs.map((d) => ({ id: d.id, version: d.version, placement: d.doc ? placement(d.doc) : null })),
  );
}

/** A clusters page's filter, with the defaults applied. */
export interface ClusterListFilter {
  minSize: number;
  maxSize?: number;
  minLoss?: number;
  regionCode?: string;
  fraudType?: string;
  /** reportedSince, epoch ms */
  since?: number;
}

export type { IndexedEntry, IndexedSort };

/** Where a cluster document sits: nowhere unless it is a live root of two or more reports. */
export function placementOf(c: LinkCluster): Placement[] | null {
  if (c.mergedInto !== undefined || c.dead || !(c.size >= 2)) return null;
  const regions = clusterRegions(c);
  const parts = ['_all', ...regions.map((g) => `u:${g}`)];
  if (regions.length > 0 && regions.every(isSharedRegion)) parts.push('_shared');
  const types = Object.entries(c.summary.byFraudType)
    .filter(([, n]) => n > 0)
    .map(([t]) => t);
  const all = [...parts, ...parts.flatMap((p) => types.map((t) => `${p}:f:${t}`))];
  const sorts: [IndexedSort, string][] = [
    [ClusterSort.SIZE, sizeKey(c.size)],
    [ClusterSort.LOSS, lossKey(c.summary.lossFen)],
    [ClusterSort.RECENT, timeKey(lastMs(c))],
  ];
  return sorts.map(([s, sort]) => ({ keys: all.map((k) => `${PREFIX[s]}:${k}`), sort }));
}
