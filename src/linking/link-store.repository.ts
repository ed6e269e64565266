import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type Redis from 'ioredis';
import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { Connection, Types } from 'mongoose';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { isDuplicateKeyError } from '../common/errors/mongo-errors';
import { bulkWriteInChunks } from '../database/bulk-write';
import { REDIS } from '../redis/redis.module';
import {
  VERSIONED,
  type DocCollection,
  type DocSource,
  type LinkWrite,
  type StoredDoc,
  type VersionedRead,
} from './buffered-link-store';
import type { LinkReport } from './engine';

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

/** Parallel single-_id reads in flight at once per getMany. */
const READ_PARALLELISM = 32;
/** Journal chunk size (characters of JSON); documents stay far below the 16 MB limit. */
const CHUNK_CHARS = 4_000_000;
const BULK = 1_000;
/** `<logical id>|<version>`: the physical _id of one version (split at the LAST '|'). */
const SEP = '|';

/** A linking journal entry exists that was not applied; recovery runs it first (see LinkingService). */
export class JournalPendingError extends Error {}

/**
 * Events of a committed hold not yet handed to their consumers (`link_journal` document `outbox:<opId>`):
 * written with the commit, deleted once delivered, so a crash in between delays the events but never loses them.
 */
export interface Outbox<E = unknown> {
  opId: string;
  events: E[];
  /** when the hold committed */
  at: Date;
}

interface JournalMarker {
  _id: string;
  opId: string;
  chunks: number;
  /** commit counter after this commit */
  n: number;
  at: Date;
}

const physicalId = (id: string, version: number) => `${id}${SEP}${version}`;

function splitPhysical(pid: string): { id: string; version: number } {
  const i = pid.lastIndexOf(SEP);
  return { id: pid.slice(0, i), version: Number(pid.slice(i + 1)) };
}

/**
 * The mongoose side of the linking engine's LinkStore port. It was shaped when we measured updates by _id on
 * the embedded FerretDB v1 scanning the whole collection (110 ms per update at 30,000 documents); the cause
 * turned out to be FerretDB's _id index being on another expression than its queries, which scanned for reads
 * too, and our launcher now adds the right index (README, "The embedded store"; `npm run bench:store`). The
 * insert-only design stays because it needs no atomic update (FerretDB v1 has none) and makes a commit a set
 * of inserts the journal can replay:
 *
 * - Versioned collections (link_reports, link_identifiers, link_clusters, link_pages, link_victims) are
 *   INSERT-ONLY. Each write of a logical document inserts a new immutable version `<id>|<n>`; a deletion
 *   inserts a tombstone version. The current version number of a document lives in Redis (one hash per
 *   collection, a field only for documents past version 1: most reports and victims are written once), and
 *   is updated after the versions are inserted, so a reader never follows a pointer to a missing version.
 *   A read is one HMGET per batch plus one findOne by _id per document. Old versions are garbage that
 *   `recluster` compacts (it rewrites every derived document as version 1).
 * - The hub registry and the judgements (link_hubs, link_policies) are small: plain documents, replaced.
 * - Batch getters are parallel single-_id reads (never `$in`, which scans).
 *
 * Commits are atomic through a redo journal (`link_journal`, a collection of a few documents, so updating it
 * is cheap): the whole write set of one lock hold (with its versions) is stored as JSON chunks, then the
 * marker `commit` is INSERTED — the commit point — then the versions are inserted, the Redis version hints
 * set, the commit counter advanced (in the journal and in Redis) and the marker deleted. A crash before the
 * marker leaves the store untouched; a crash after it is repaired by `recoverJournal`, which the next lock
 * holder calls first and which re-applies the same writes (an insert of an existing version is skipped).
 * If Redis lost or rolled back the version hints (its commit counter differs from the journal's),
 * `recoverJournal` rebuilds them from a scan before anyone reads — the hints are a cache of the store,
 * never its truth.
 */
@Injectable()
export class LinkStoreRepository implements DocSource {
  private readonly logger = new Logger(LinkStoreRepository.name);
  private readonly prefix: string;

  constructor(
    @InjectConnection() private readonly conn: Connection,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.prefix = cfg.queue.prefix;
  }

  private coll(col: DocCollection | 'journal'): Collection<Document> {
    return this.conn.collection(LINK_COLLECTIONS[col]);
  }

  private hintKey(col: DocCollection): string {
    return `${this.prefix}:link:v:${col}`;
  }

  private get counterKey(): string {
    return `${this.prefix}:link:commits`;
  }

  // ---------------------------------------------------------------- reads by primary key

  async get(col: DocCollection, id: string): Promise<StoredDoc | undefined> {
    return (await this.getMany(col, [id]))[0];
  }

  /** Current documents (tombstones and missing ones: undefined). */
  async getMany(col: DocCollection, ids: readonly string[]): Promise<(StoredDoc | undefined)[]> {
    return (await this.getManyVersioned(col, ids)).map((r) => r.doc);
  }

  async getManyVersioned(col: DocCollection, ids: readonly string[]): Promise<VersionedRead[]> {
    if (ids.length === 0) return [];
    const versioned = VERSIONED.has(col);
    const hints = versioned ? await this.redis.hmget(this.hintKey(col), ...ids) : [];
    const out = new Array<VersionedRead>(ids.length);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const i = next++;
        if (!versioned) {
          const doc = (await this.coll(col).findOne({ _id: ids[i] as never })) as unknown as StoredDoc | null;
          out[i] = { doc: doc ?? undefined, version: doc ? 1 : 0 };
          continue;
        }
        const version = hints[i] ? Number(hints[i]) : 1;
        const doc = (await this.coll(col).findOne({
          _id: physicalId(ids[i], version) as never,
        })) as unknown as StoredDoc | null;
        if (!doc) out[i] = { version: version === 1 ? 0 : version };
        else if (doc.deleted === true) out[i] = { version };
        else out[i] = { doc: { ...doc, _id: ids[i] }, version };
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_PARALLELISM, ids.length) }, worker));
    return out;
  }

  newId(prefix: string): string {
    return `${prefix}_${new Types.ObjectId().toHexString()}`;
  }

  // ---------------------------------------------------------------- scans (batch commands and staff pages only)

  /** Every current link report (recluster / verify only: a full scan). */
  async *scanReports(): AsyncIterable<LinkReport> {
    for (const doc of await this.scanLatest('reports')) yield doc as unknown as LinkReport;
  }

  /**
   * The current version of every document of a collection (recluster / verify only: a full scan, held in
   * memory to keep the latest version per document; tombstones left out). Non-versioned collections as stored.
   */
  async scanLatest(col: DocCollection): Promise<StoredDoc[]> {
    return (await this.scanLatestVersions(col)).map((v) => v.doc);
  }

  /**
   * The logical ids of every document of a versioned collection, tombstones included (a full scan of the
   * `_id`s: the import's linking learns once which identifiers and victims exist, see LinkingService.linkHolds).
   */
  async scanIds(col: DocCollection): Promise<Set<string>> {
    const ids = new Set<string>();
    for await (const { id } of this.physicalIds(col)) ids.add(id);
    return ids;
  }

  /** Every stored `_id` of `col` (a scan of the `_id`s only), split into logical id and version when versioned. */
  private async *physicalIds(col: DocCollection): AsyncGenerator<{ id: string; version: number }> {
    for await (const raw of this.coll(col).find({}, { projection: { _id: 1 }, batchSize: 5_000 }))
      yield VERSIONED.has(col) ? splitPhysical(String(raw._id)) : { id: String(raw._id), version: 1 };
  }

  /** scanLatest with each document's current version. */
  async scanLatestVersions(col: DocCollection): Promise<{ doc: StoredDoc; version: number }[]> {
    if (!VERSIONED.has(col))
      return ((await this.coll(col).find({}).toArray()) as unknown as StoredDoc[]).map((doc) => ({ doc, version: 1 }));
    const latest = new Map<string, { version: number; doc: StoredDoc }>();
    for await (const raw of this.coll(col).find({}, { batchSize: 2_000 })) {
      const { id, version } = splitPhysical(String(raw._id));
      const cur = latest.get(id);
      if (!cur || cur.version < version)
        latest.set(id, { version, doc: { ...(raw as unknown as StoredDoc), _id: id } });
    }
    return [...latest.values()].filter((v) => v.doc.deleted !== true);
  }

  /**
   * Live clusters of at least `minSize` members with the listing fields. A secondary filter: it scans
   * link_clusters on FerretDB (the staff `clusters` page only; on MongoDB an index on `size` would serve it);
   * only the current version of each cluster counts (Redis hints).
   */
  async scanClusters(minSize: number): Promise<StoredDoc[]> {
    const raw = (await this.coll('clusters')
      .find({ size: { $gte: Math.max(1, minSize) } }, { projection: { memberPages: 0, crossVictims: 0 } })
      .toArray()) as unknown as StoredDoc[];
    const byId = new Map<string, { version: number; doc: StoredDoc }>();
    for (const d of raw) {
      const { id, version } = splitPhysical(String(d._id));
      const cur = byId.get(id);
      if (!cur || cur.version < version) byId.set(id, { version, doc: { ...d, _id: id } });
    }
    const ids = [...byId.keys()];
    const hints = ids.length ? await this.redis.hmget(this.hintKey('clusters'), ...ids) : [];
    return ids
      .filter((id, i) => (hints[i] ? Number(hints[i]) : 1) === byId.get(id)?.version)
      .map((id) => byId.get(id)?.doc as StoredDoc);
  }

  /** The hub registry (small: one document per identifier over its cap with policy DEFAULT). */
  async scanHubs(): Promise<StoredDoc[]> {
    return (await this.coll('hubs').find({}).toArray()) as unknown as StoredDoc[];
  }

  // ---------------------------------------------------------------- writes

  /**
   * Applies writes: versioned collections by inserting the new versions (one unordered insertMany per run; an
   * insert refused as a duplicate is that very version, written before: skipped), then their Redis hints;
   * the small collections by insert (new) or replace/delete by _id. Idempotent.
   */
  async applyWrites(writes: readonly LinkWrite[]): Promise<void> {
    let i = 0;
    const hints = new Map<DocCollection, string[]>();
    while (i < writes.length) {
      const col = writes[i].col;
      const run: LinkWrite[] = [];
      for (; i < writes.length && writes[i].col === col; i++) run.push(writes[i]);
      if (VERSIONED.has(col)) {
        const docs = run.map((w) => {
          const version = w.version ?? 1;
          if (version > 1) hints.set(col, [...(hints.get(col) ?? []), w.id, String(version)]);
          return w.doc
            ? { ...w.doc, _id: physicalId(w.id, version) }
            : { _id: physicalId(w.id, version), deleted: true };
        });
        await this.insertIgnoringDuplicates(col, docs);
        continue;
      }
      const inserts = run.filter((w) => w.isNew && w.doc);
      const failed = await this.insertIgnoringDuplicates(
        col,
        inserts.map((w) => w.doc as Document),
      );
      const others = [...run.filter((w) => !(w.isNew && w.doc)), ...failed.map((k) => inserts[k])];
      await bulkWriteInChunks(
        this.coll(col),
        others.map((w): AnyBulkWriteOperation<Document> =>
          w.doc
            ? { replaceOne: { filter: { _id: w.id as never }, replacement: w.doc, upsert: true } }
            : { deleteOne: { filter: { _id: w.id as never } } },
        ),
      );
    }
    if (hints.size > 0) {
      const pipe = this.redis.pipeline();
      for (const [col, flat] of hints)
        for (let j = 0; j < flat.length; j += 2_000) pipe.hset(this.hintKey(col), ...flat.slice(j, j + 2_000));
      await pipe.exec();
    }
  }

  /** Unordered insertMany; returns the positions refused as duplicates (other errors are thrown). */
  private async insertIgnoringDuplicates(col: DocCollection, docs: Document[]): Promise<number[]> {
    const dups: number[] = [];
    for (let j = 0; j < docs.length; j += BULK) {
      try {
        await this.coll(col).insertMany(docs.slice(j, j + BULK), { ordered: false });
      } catch (e) {
        const failed = duplicateIndexes(e);
        if (!failed) throw e;
        dups.push(...failed.map((k) => k + j));
      }
    }
    return dups;
  }

  /** Deletes every document (all versions) of a collection and its hints (recluster only). */
  async clear(col: DocCollection): Promise<void> {
    await this.coll(col).deleteMany({});
    if (VERSIONED.has(col)) await this.redis.del(this.hintKey(col));
  }

  // ---------------------------------------------------------------- the journal

  /**
   * Commits one lock hold's writes atomically (see the class comment). `stillHeld` is checked right before
   * the commit point: a holder that lost its lease writes nothing (returns false).
   */
  async commit(
    writes: readonly LinkWrite[],
    opId: string,
    stillHeld: () => Promise<boolean>,
    outbox: readonly unknown[] = [],
  ): Promise<boolean> {
    if (writes.length === 0 && outbox.length === 0) return true;
    const json = JSON.stringify({ writes, outbox });
    const chunks: string[] = [];
    for (let i = 0; i < json.length; i += CHUNK_CHARS) chunks.push(json.slice(i, i + CHUNK_CHARS));
    const journal = this.coll('journal');
    await Promise.all(
      chunks.map((data, n) =>
        journal.updateOne({ _id: `chunk:${n}` as never }, { $set: { opId, data } }, { upsert: true }),
      ),
    );
    const counter = (await journal.findOne({ _id: 'counter' as never })) as { n?: number } | null;
    const n = (counter?.n ?? 0) + 1;
    if (!(await stillHeld())) return false;
    try {
      await journal.insertOne({ _id: 'commit', opId, chunks: chunks.length, n, at: new Date() } as never);
    } catch (e) {
      if (isDuplicateKeyError(e)) throw new JournalPendingError('an unapplied linking journal entry exists');
      throw e;
    }
    await this.finish(writes, n, opId, outbox);
    return true;
  }

  /** After the commit point: apply, store the outbox, advance both commit counters, drop the marker. */
  private async finish(
    writes: readonly LinkWrite[],
    n: number,
    opId: string,
    outbox: readonly unknown[],
  ): Promise<void> {
    await this.applyWrites(writes);
    const journal = this.coll('journal');
    if (outbox.length > 0) {
      try {
        await journal.insertOne({ _id: `outbox:${opId}`, opId, events: outbox, at: new Date() } as never);
      } catch (e) {
        if (!isDuplicateKeyError(e)) throw e; // a redo of a finish that got this far
      }
    }
    await journal.updateOne({ _id: 'counter' as never }, { $set: { n } }, { upsert: true });
    await this.redis.set(this.counterKey, String(n));
    await journal.deleteOne({ _id: 'commit' as never });
  }

  /**
   * Run by every lock holder first: re-applies a committed but unfinished journal entry, then checks that
   * Redis holds the version hints of the latest commit (else rebuilds them). Returns the writes redone.
   */
  async recoverJournal(): Promise<number> {
    const journal = this.coll('journal');
    const marker = (await journal.findOne({ _id: 'commit' as never })) as JournalMarker | null;
    let redone = 0;
    if (marker) {
      let json = '';
      for (let n = 0; n < marker.chunks; n++) {
        const chunk = (await journal.findOne({ _id: `chunk:${n}` as never })) as { opId: string; data: string } | null;
        if (!chunk || chunk.opId !== marker.opId) {
          throw new Error(`linking journal ${marker.opId} is missing chunk ${n}: run \`siqian recluster\``);
        }
        json += chunk.data;
      }
      // entries written before outboxes existed are a bare array of writes
      const parsed = JSON.parse(json) as LinkWrite[] | { writes: LinkWrite[]; outbox: unknown[] };
      const { writes, outbox } = Array.isArray(parsed) ? { writes: parsed, outbox: [] } : parsed;
      await this.finish(writes, marker.n, marker.opId, outbox);
      redone = writes.length;
    }
    const [counter, cached] = await Promise.all([
      journal.findOne({ _id: 'counter' as never }) as Promise<{ n?: number } | null>,
      this.redis.get(this.counterKey),
    ]);
    if ((counter?.n ?? 0) !== Number(cached ?? 0)) await this.rebuildHints(counter?.n ?? 0);
    return redone;
  }

  /** Recomputes every version hint from a scan (after Redis lost or rolled back them). */
  private async rebuildHints(n: number): Promise<void> {
    this.logger.warn('linking: Redis version hints out of date; rebuilding them from the store');
    for (const col of VERSIONED) {
      const max = new Map<string, number>();
      for await (const { id, version } of this.physicalIds(col)) if (version > (max.get(id) ?? 0)) max.set(id, version);
      await this.redis.del(this.hintKey(col));
      const flat = [...max].filter(([, v]) => v > 1).flatMap(([id, v]) => [id, String(v)]);
      for (let j = 0; j < flat.length; j += 2_000)
        await this.redis.hset(this.hintKey(col), ...flat.slice(j, j + 2_000));
    }
    await this.redis.set(this.counterKey, String(n));
  }

  /**
   * Outboxes committed more than `olderThanMs` ago and still not delivered (their holder died or could not
   * reach Redis). The journal holds a handful of documents, so this scan is cheap.
   */
  async undeliveredOutboxes(olderThanMs: number, now = Date.now()): Promise<Outbox[]> {
    const docs = (await this.coll('journal')
      .find({}, { projection: { data: 0 } })
      .toArray()) as unknown as (Outbox & { _id: string })[];
    return docs
      .filter((d) => d._id.startsWith('outbox:') && now - new Date(d.at).getTime() >= olderThanMs)
      .map((d) => ({ opId: d.opId, events: d.events, at: new Date(d.at) }));
  }

  /** The outbox of `opId` was delivered. */
  async clearOutbox(opId: string): Promise<void> {
    await this.coll('journal').deleteOne({ _id: `outbox:${opId}` as never });
  }

  /** `recluster` marks its rewrite so that an interrupted one is noticed (linking refuses to run meanwhile). */
  async setReclusterMarker(on: boolean): Promise<void> {
    const journal = this.coll('journal');
    if (on) await journal.updateOne({ _id: 'recluster' as never }, { $set: { at: new Date() } }, { upsert: true });
    else await journal.deleteOne({ _id: 'recluster' as never });
  }

  async reclusterInterrupted(): Promise<boolean> {
    return (await this.coll('journal').findOne({ _id: 'recluster' as never })) !== null;
  }

  /** True while no report was ever linked (no link report document at all: a store's first data). */
  async nothingLinked(): Promise<boolean> {
    return (await this.coll('reports').findOne({}, { projection: { _id: 1 } })) === null;
  }
}

/**
 * The positions refused as duplicates by an unordered insertMany, or undefined when the error is anything
 * else (or a duplicate is not all that went wrong).
 */
function duplicateIndexes(e: unknown): number[] | undefined {
  const errs = (e as { writeErrors?: { index: number; code: number }[] | { index: number; code: number } }).writeErrors;
  const list = Array.isArray(errs) ? errs : errs ? [errs] : [];
  if (list.length === 0 || list.some((w) => w.code !== 11000)) return undefined;
  return list.map((w) => w.index);
}
