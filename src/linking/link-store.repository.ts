import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type Redis from 'ioredis';
import { Connection, Types } from 'mongoose';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { VersionedStore, type HoldLease, type HoldOutcome, type Outbox } from '../store/versioned-store';
import { VERSIONED, type DocCollection, type DocSource, type LinkWrite, type StoredDoc } from './buffered-link-store';
import type { LinkReport } from './engine';
import { CLUSTER_LIST, ClusterLists, HUB_LIST } from './cluster-lists';

export { JournalPendingError, type Outbox } from '../store/versioned-store';

/** The collections of the linking store (engine documents, the hub registry, judgements and the journal). */
export const LINK_COLLECTIONS: Record<DocCollection | 'journal', string> = {
  reports: 'link_reports',
  identifiers: 'link_identifiers',
  clusters: 'link_clusters',
  pages: 'link_pages',
  victims: 'link_victims',
  hubs: 'link_hubs',
  policies: 'link_policies',
  journal: 'link_journal',
};

/** The journal flag of a running rebuild (linking refuses to run while it is set). */
const RECLUSTER_FLAG = 'recluster';

/**
 * Linking's repository: the engine's documents on a {@link VersionedStore} (versioned reads by `_id`, the redo
 * journal, the outbox). The engine collections are insert-only versions because a commit is then a set of
 * inserts the journal can replay without any atomic update; the hub registry and the judgements are small
 * plain documents.
 */
@Injectable()
export class LinkStoreRepository implements DocSource {
  private readonly store: VersionedStore<DocCollection>;

  constructor(
    @InjectConnection() conn: Connection,
    @Inject(REDIS) redis: Redis,
    @Inject(APP_CONFIG) cfg: AppConfig,
    readonly clusterLists: ClusterLists,
  ) {
    const { journal, ...collections } = LINK_COLLECTIONS;
    this.store = new VersionedStore<DocCollection>((name) => conn.collection(name), redis, {
      name: 'linking',
      collections,
      versioned: VERSIONED,
      journal,
      redisNamespace: `${cfg.queue.prefix}:link`,
      repair: 'run `siqian recluster`',
      onApplied: (writes) => clusterLists.applied(writes),
      onCleared: async (col) => {
        if (col === 'clusters') await clusterLists.index.clear(CLUSTER_LIST);
        if (col === 'hubs') await clusterLists.index.clear(HUB_LIST);
      },
    });
    clusterLists.attach((col) => this.scanLatestVersions(col));
  }

  /** One hold of the linking lock: recover the journal, run `fn`, commit its writes and outbox atomically. */
  withHold<T>(lease: HoldLease, opId: string, fn: () => Promise<HoldOutcome<DocCollection, T>>): Promise<T> {
    return this.store.withHold(lease, opId, fn);
  }

  // ---------------------------------------------------------------- reads by primary key

  async get(col: DocCollection, id: string): Promise<StoredDoc | undefined> {
    return (await this.getMany(col, [id]))[0];
  }

  /** Current documents (tombstones and missing ones: undefined). */
  async getMany(col: DocCollection, ids: readonly string[]): Promise<(StoredDoc | undefined)[]> {
    return (await this.getManyVersioned(col, ids)).map((r) => r.doc);
  }

  getManyVersioned(col: DocCollection, ids: readonly string[]) {
    return this.store.getManyVersioned(col, ids);
  }

  newId(prefix: string): string {
    return `${prefix}_${new Types.ObjectId().toHexString()}`;
  }

  // ---------------------------------------------------------------- scans (batch commands and staff pages only)

  /** Every current link report (recluster / verify only: a full scan). */
  async *scanReports(): AsyncIterable<LinkReport> {
    for (const doc of await this.scanLatest('reports')) yield doc as unknown as LinkReport;
  }

  /** The current version of every document of a collection (recluster / verify only: a full scan). */
  async scanLatest(col: DocCollection): Promise<StoredDoc[]> {
    return (await this.scanLatestVersions(col)).map((v) => v.doc);
  }

  scanLatestVersions(col: DocCollection): Promise<{ doc: StoredDoc; version: number }[]> {
    return this.store.scanLatestVersions(col);
  }

  /**
   * The logical ids of every document of a versioned collection, tombstones included (a full scan of the
   * `_id`s: the import's linking learns once which identifiers and victims exist, see LinkingService.linkHolds).
   */
  async scanIds(col: DocCollection): Promise<Set<string>> {
    const ids = new Set<string>();
    for await (const { id } of this.store.physicalIds(col)) ids.add(id);
    return ids;
  }

  /**
   * Live clusters of at least `minSize` members with the listing fields. A secondary filter: it scans
   * link_clusters on FerretDB (the staff `clusters` page only; on MongoDB an index on `size` would serve it).
   */
  scanClusters(minSize: number): Promise<StoredDoc[]> {
    return this.store.scanCurrentWhere(
      'clusters',
      { size: { $gte: Math.max(1, minSize) } },
      { memberPages: 0, crossVictims: 0 },
    );
  }

  /** The hub registry (small: one document per identifier over its cap with policy DEFAULT). */
  async scanHubs(): Promise<StoredDoc[]> {
    return this.scanLatest('hubs');
  }

  // ---------------------------------------------------------------- writes and the journal

  /** Applies writes outside a hold's commit (recluster's rebuild, bench seeding). Idempotent. */
  applyWrites(writes: readonly LinkWrite[]): Promise<void> {
    return this.store.applyWrites(writes);
  }

  /** Deletes every document (all versions) of a collection and its hints (recluster only). */
  clear(col: DocCollection): Promise<void> {
    return this.store.clear(col);
  }

  /** Commits writes atomically outside {@link withHold} (recluster, bench); false when the lease was lost. */
  commit(
    writes: readonly LinkWrite[],
    opId: string,
    stillHeld: () => Promise<boolean>,
    outbox: readonly unknown[] = [],
  ): Promise<boolean> {
    return this.store.commit(writes, opId, stillHeld, outbox);
  }

  recoverJournal(): Promise<number> {
    return this.store.recoverJournal();
  }

  undeliveredOutboxes(olderThanMs: number, now = Date.now()): Promise<Outbox[]> {
    return this.store.undeliveredOutboxes(olderThanMs, now);
  }

  clearOutbox(opId: string): Promise<void> {
    return this.store.clearOutbox(opId);
  }

  /** `recluster` marks its rewrite so that an interrupted one is noticed (linking refuses to run meanwhile). */
  setReclusterMarker(on: boolean): Promise<void> {
    return this.store.setFlag(RECLUSTER_FLAG, on);
  }

  reclusterInterrupted(): Promise<boolean> {
    return this.store.hasFlag(RECLUSTER_FLAG);
  }

  /** True while no report was ever linked (no link report document at all: a store's first data). */
  nothingLinked(): Promise<boolean> {
    return this.store.isEmpty('reports');
  }
}
