/**
 * Versioned documents read by `_id`, committed through a redo journal: for a unit of work that writes many
 * documents which must appear together, on a store without transactions or atomic updates (STYLE.md "The
 * store"). Plain TypeScript: a feature's repository owns one instance.
 *
 * - Versioned collections are insert-only: a write inserts version `<id>|<n>` (a deletion, a tombstone); the
 *   current version lives in Redis (a hash per collection, a field only past version 1), set after the insert,
 *   so a reader never follows a pointer to a missing version. Other (small) collections are plain documents.
 * - A commit stores the write set as journal chunks, then INSERTS the marker `commit` (the commit point), then
 *   applies (idempotent), advances the commit counter and drops the marker. The next holder's
 *   {@link VersionedStore.recoverJournal} re-applies an unfinished entry and rebuilds lost hints (a cache).
 * - An outbox (a commit's events for consumers) is written with the commit and deleted once delivered.
 * {@link VersionedStore.withHold} is the unit of work: recover, run, commit, under a lease the caller holds.
 *
 * Past 300 lines on purpose: versions, hints, journal and outbox are one commit protocol; split, each half would
 * have to know the other's invariants.
 */
import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { AnyBulkWriteOperation, Collection, Document, Filter } from 'mongodb';
import { bulkWriteInChunks } from './bulk-write';
import { claimByInsert, insertManyIgnoringDuplicates } from './insert';
import { mapLimit } from './map-limit';
import { LockLostError } from './redis-lock';

/** A stored document: a plain JSON object with a string `_id`. */
export interface StoredDoc {
  _id: string;
  [field: string]: unknown;
}

/** A document as read, with its version (0 = never stored; a tombstone has no doc). */
export interface VersionedRead {
  doc?: StoredDoc;
  version: number;
}

/**
 * One write of a commit: the document's final image, or its deletion (`doc` absent).
 * - versioned collections: `version` is the new version (the version read + 1, or 1 for a new document);
 * - other collections: `isNew` when the document did not exist when the hold began (insert), else replace /
 *   delete by `_id`.
 */
export interface VersionedWrite<C extends string = string> {
  col: C;
  id: string;
  doc?: StoredDoc;
  version?: number;
  isNew?: true;
}

/** Events of a committed hold not yet handed to their consumers. */
export interface Outbox<E = unknown> {
  opId: string;
  events: E[];
  /** when the hold committed */
  at: Date;
}

/** A journal entry exists that was not applied; the next holder's recovery runs it first. */
export class JournalPendingError extends Error {}

export interface VersionedStoreConfig<C extends string> {
  /** names the store in logs and errors ("linking") */
  name: string;
  /** logical collection -> stored collection name */
  collections: Record<C, string>;
  /** the logical collections stored as immutable versions */
  versioned: ReadonlySet<C>;
  /** stored name of the journal collection */
  journal: string;
  /** Redis key namespace of the version hints and the commit counter */
  redisNamespace: string;
  /** what an operator does when the journal is damaged (appended to the error) */
  repair: string;
  /**
   * Derived data kept beside the documents (list indexes): called after every apply — a commit, a journal
   * redo, a rebuild's writes — so a crash between the two is repaired by the redo. Must be idempotent.
   */
  onApplied?: (writes: readonly VersionedWrite<C>[]) => Promise<void>;
  /** called by {@link VersionedStore.clear}: the derived data of that collection is gone too */
  onCleared?: (col: C) => Promise<void>;
}

/** What {@link VersionedStore.withHold} needs of a lease: the fencing check at the commit point. */
export interface HoldLease {
  stillHeld(): Promise<boolean>;
}

/** What the unit of work of {@link VersionedStore.withHold} returns to be committed. */
export interface HoldOutcome<C extends string, T> {
  result: T;
  writes: readonly VersionedWrite<C>[];
  outbox?: readonly unknown[];
}

interface JournalMarker {
  _id: string;
  opId: string;
  chunks: number;
  /** commit counter after this commit */
  n: number;
  at: Date;
}

/** Parallel single-_id reads in flight at once per getMany. */
const READ_PARALLELISM = 32;
/** Journal chunk size (characters of JSON); documents stay far below the 16 MB limit. */
const CHUNK_CHARS = 4_000_000;
/** Fields per HSET of version hints. */
const HINT_BATCH = 2_000;
/** `<logical id>|<version>`: the physical _id of one version (split at the LAST '|'). */
const SEP = '|';

export const physicalId = (id: string, version: number) => `${id}${SEP}${version}`;

export function splitPhysical(pid: string): { id: string; version: number } {
  const i = pid.lastIndexOf(SEP);
  return { id: pid.slice(0, i), version: Number(pid.slice(i + 1)) };
}

/** Keeps the highest version per logical id among stored version documents. */
class LatestVersions {
  readonly byId = new Map<string, { version: number; doc: StoredDoc }>();

  add(d: Document): void {
    const { id, version } = splitPhysical(String(d._id));
    const cur = this.byId.get(id);
    if (!cur || cur.version < version) this.byId.set(id, { version, doc: { ...(d as StoredDoc), _id: id } });
  }
}

export class VersionedStore<C extends string> {
  private readonly logger: Logger;

  constructor(
    private readonly collection: (name: string) => Collection<Document>,
    private readonly redis: Redis,
    private readonly cfg: VersionedStoreConfig<C>,
  ) {
    this.logger = new Logger(`VersionedStore(${cfg.name})`);
  }

  private coll(col: C): Collection<Document> {
    return this.collection(this.cfg.collections[col]);
  }

  private get journal(): Collection<Document> {
    return this.collection(this.cfg.journal);
  }

  private hintKey(col: C): string {
    return `${this.cfg.redisNamespace}:v:${col}`;
  }

  private get counterKey(): string {
    return `${this.cfg.redisNamespace}:commits`;
  }

  isVersioned(col: C): boolean {
    return this.cfg.versioned.has(col);
  }

  // ---------------------------------------------------------------- the unit of work

  /**
   * One hold of the caller's lock: re-applies an unfinished journal entry, runs `fn`, commits its writes and
   * outbox atomically. `lease.stillHeld()` is checked right before the commit point: a holder that lost its
   * lease writes nothing and gets {@link LockLostError}.
   */
  async withHold<T>(lease: HoldLease, opId: string, fn: () => Promise<HoldOutcome<C, T>>): Promise<T> {
    const redone = await this.recoverJournal();
    if (redone > 0) this.logger.warn({ writes: redone }, `${this.cfg.name} journal: re-applied an interrupted commit`);
    const { result, writes, outbox } = await fn();
    if (!(await this.commit(writes, opId, () => lease.stillHeld(), outbox)))
      throw new LockLostError(`the ${this.cfg.name} lock expired before the commit; nothing was written`);
    return result;
  }

  // ---------------------------------------------------------------- reads by primary key

  /** Current documents in the order of `ids`, with their versions (tombstones and missing ones: no doc). */
  async getManyVersioned(col: C, ids: readonly string[]): Promise<VersionedRead[]> {
    if (ids.length === 0) return [];
    const coll = this.coll(col);
    if (!this.isVersioned(col))
      return mapLimit(ids, READ_PARALLELISM, async (id) => {
        const doc = (await coll.findOne({ _id: id as never })) as StoredDoc | null;
        return { doc: doc ?? undefined, version: doc ? 1 : 0 };
      });
    const hints = await this.redis.hmget(this.hintKey(col), ...ids);
    return mapLimit(ids, READ_PARALLELISM, async (id, i): Promise<VersionedRead> => {
      const version = hints[i] ? Number(hints[i]) : 1;
      const doc = (await coll.findOne({ _id: physicalId(id, version) as never })) as StoredDoc | null;
      if (!doc) return { version: version === 1 ? 0 : version };
      if (doc.deleted === true) return { version };
      return { doc: { ...doc, _id: id }, version };
    });
  }

  // ---------------------------------------------------------------- scans (batch commands and staff pages only)

  /** Every stored `_id` of `col` (a scan of the `_id`s only), split into logical id and version when versioned. */
  async *physicalIds(col: C): AsyncGenerator<{ id: string; version: number }> {
    for await (const raw of this.coll(col).find({}, { projection: { _id: 1 }, batchSize: 5_000 }))
      yield this.isVersioned(col) ? splitPhysical(String(raw._id)) : { id: String(raw._id), version: 1 };
  }

  /** The current version of every document (a full scan, held in memory; tombstones left out). */
  async scanLatestVersions(col: C): Promise<{ doc: StoredDoc; version: number }[]> {
    if (!this.isVersioned(col))
      return ((await this.coll(col).find({}).toArray()) as unknown as StoredDoc[]).map((doc) => ({ doc, version: 1 }));
    const latest = new LatestVersions();
    for await (const d of this.coll(col).find({}, { batchSize: 2_000 })) latest.add(d);
    return [...latest.byId.values()].filter((v) => v.doc.deleted !== true);
  }

  /**
   * Current documents of a versioned collection matching a secondary `filter` (a scan on FerretDB: staff pages
   * only). Only a document's current version counts (Redis hints).
   */
  async scanCurrentWhere(col: C, filter: Filter<Document>, projection?: Document): Promise<StoredDoc[]> {
    const latest = new LatestVersions();
    for (const d of await this.coll(col).find(filter, { projection }).toArray()) latest.add(d);
    const byId = latest.byId;
    const ids = [...byId.keys()];
    const hints = ids.length ? await this.redis.hmget(this.hintKey(col), ...ids) : [];
    return ids
      .filter((id, i) => (hints[i] ? Number(hints[i]) : 1) === byId.get(id)?.version)
      .map((id) => byId.get(id)?.doc as StoredDoc);
  }

  /** True while `col` holds no document at all. */
  async isEmpty(col: C): Promise<boolean> {
    return (await this.coll(col).findOne({}, { projection: { _id: 1 } })) === null;
  }

  // ---------------------------------------------------------------- writes

  /**
   * Applies writes: versioned collections by inserting the new versions (an insert refused as a duplicate is
   * that very version, written before: skipped), then their Redis hints; the other collections by insert (new)
   * or replace/delete by `_id`. Idempotent.
   */
  async applyWrites(writes: readonly VersionedWrite<C>[]): Promise<void> {
    let i = 0;
    const hints = new Map<C, string[]>();
    while (i < writes.length) {
      const col = writes[i].col;
      const run: VersionedWrite<C>[] = [];
      for (; i < writes.length && writes[i].col === col; i++) run.push(writes[i]);
      if (this.isVersioned(col)) {
        const docs = run.map((w) => {
          const version = w.version ?? 1;
          if (version > 1) hints.set(col, [...(hints.get(col) ?? []), w.id, String(version)]);
          return w.doc
            ? { ...w.doc, _id: physicalId(w.id, version) }
            : { _id: physicalId(w.id, version), deleted: true };
        });
        await insertManyIgnoringDuplicates(this.coll(col), docs);
        continue;
      }
      const inserts = run.filter((w) => w.isNew && w.doc);
      const failed = await insertManyIgnoringDuplicates(
        this.coll(col),
        inserts.map((w) => w.doc as Document),
      );
      const others = [...run.filter((w) => !(w.isNew && w.doc)), ...[...failed].map((k) => inserts[k])];
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
        for (let j = 0; j < flat.length; j += HINT_BATCH)
          pipe.hset(this.hintKey(col), ...flat.slice(j, j + HINT_BATCH));
      await pipe.exec();
    }
    if (this.cfg.onApplied && writes.length > 0) await this.cfg.onApplied(writes);
  }

  /** Deletes every document (all versions) of a collection and its hints (a rebuild only). */
  async clear(col: C): Promise<void> {
    await this.coll(col).deleteMany({});
    if (this.isVersioned(col)) await this.redis.del(this.hintKey(col));
    await this.cfg.onCleared?.(col);
  }

  // ---------------------------------------------------------------- the journal

  /**
   * Commits one hold's writes atomically (see the file comment). `stillHeld` is checked right before the
   * commit point: a holder that lost its lease writes nothing (returns false).
   */
  async commit(
    writes: readonly VersionedWrite<C>[],
    opId: string,
    stillHeld: () => Promise<boolean>,
    outbox: readonly unknown[] = [],
  ): Promise<boolean> {
    if (writes.length === 0 && outbox.length === 0) return true;
    const json = JSON.stringify({ writes, outbox });
    const chunks: string[] = [];
    for (let i = 0; i < json.length; i += CHUNK_CHARS) chunks.push(json.slice(i, i + CHUNK_CHARS));
    const journal = this.journal;
    await Promise.all(
      chunks.map((data, n) =>
        journal.updateOne({ _id: `chunk:${n}` as never }, { $set: { opId, data } }, { upsert: true }),
      ),
    );
    const counter = (await journal.findOne({ _id: 'counter' as never })) as { n?: number } | null;
    const n = (counter?.n ?? 0) + 1;
    if (!(await stillHeld())) return false;
    const marker = { _id: 'commit', opId, chunks: chunks.length, n, at: new Date() };
    if (!(await claimByInsert(() => journal.insertOne(marker as never))))
      throw new JournalPendingError(`an unapplied ${this.cfg.name} journal entry exists`);
    await this.finish(writes, n, opId, outbox);
    return true;
  }

  /** After the commit point: apply, store the outbox, advance both commit counters, drop the marker. */
  private async finish(
    writes: readonly VersionedWrite<C>[],
    n: number,
    opId: string,
    outbox: readonly unknown[],
  ): Promise<void> {
    await this.applyWrites(writes);
    const journal = this.journal;
    // on a redo of a finish that got this far, the outbox is there already
    if (outbox.length > 0)
      await claimByInsert(() =>
        journal.insertOne({ _id: `outbox:${opId}`, opId, events: outbox, at: new Date() } as never),
      );
    await journal.updateOne({ _id: 'counter' as never }, { $set: { n } }, { upsert: true });
    await this.redis.set(this.counterKey, String(n));
    await journal.deleteOne({ _id: 'commit' as never });
  }

  /**
   * Run by every lock holder first: re-applies a committed but unfinished journal entry, then checks that
   * Redis holds the version hints of the latest commit (else rebuilds them). Returns the writes redone.
   */
  async recoverJournal(): Promise<number> {
    const journal = this.journal;
    const marker = (await journal.findOne({ _id: 'commit' as never })) as JournalMarker | null;
    let redone = 0;
    if (marker) {
      let json = '';
      for (let n = 0; n < marker.chunks; n++) {
        const chunk = (await journal.findOne({ _id: `chunk:${n}` as never })) as { opId: string; data: string } | null;
        if (!chunk || chunk.opId !== marker.opId) {
          throw new Error(`${this.cfg.name} journal ${marker.opId} is missing chunk ${n}: ${this.cfg.repair}`);
        }
        json += chunk.data;
      }
      // entries written before outboxes existed are a bare array of writes
      const parsed = JSON.parse(json) as VersionedWrite<C>[] | { writes: VersionedWrite<C>[]; outbox: unknown[] };
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
    this.logger.warn(`${this.cfg.name}: Redis version hints out of date; rebuilding them from the store`);
    for (const col of this.cfg.versioned) {
      const max = new Map<string, number>();
      for await (const { id, version } of this.physicalIds(col)) if (version > (max.get(id) ?? 0)) max.set(id, version);
      await this.redis.del(this.hintKey(col));
      const flat = [...max].filter(([, v]) => v > 1).flatMap(([id, v]) => [id, String(v)]);
      for (let j = 0; j < flat.length; j += HINT_BATCH)
        await this.redis.hset(this.hintKey(col), ...flat.slice(j, j + HINT_BATCH));
    }
    await this.redis.set(this.counterKey, String(n));
  }

  /**
   * Outboxes committed more than `olderThanMs` ago and still not delivered (their holder died or could not
   * reach their consumers). The journal holds a handful of documents, so this scan is cheap.
   */
  async undeliveredOutboxes(olderThanMs: number, now = Date.now()): Promise<Outbox[]> {
    const docs = (await this.journal.find({}, { projection: { data: 0 } }).toArray()) as unknown as (Outbox & {
      _id: string;
    })[];
    return docs
      .filter((d) => d._id.startsWith('outbox:') && now - new Date(d.at).getTime() >= olderThanMs)
      .map((d) => ({ opId: d.opId, events: d.events, at: new Date(d.at) }));
  }

  /** The outbox of `opId` was delivered. */
  async clearOutbox(opId: string): Promise<void> {
    await this.journal.deleteOne({ _id: `outbox:${opId}` as never });
  }

  /** A named flag in the journal (e.g. "a rebuild is running": an interrupted one is noticed). */
  async setFlag(name: string, on: boolean): Promise<void> {
    if (on) await this.journal.updateOne({ _id: name as never }, { $set: { at: new Date() } }, { upsert: true });
    else await this.journal.deleteOne({ _id: name as never });
  }

  async hasFlag(name: string): Promise<boolean> {
    return (await this.journal.findOne({ _id: name as never })) !== null;
  }
}
