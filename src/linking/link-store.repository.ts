import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { Connection, Types } from 'mongoose';
import { isDuplicateKeyError } from '../common/errors/mongo-errors';
import type { DocCollection, DocSource, LinkWrite, StoredDoc } from './buffered-link-store';
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
const READ_PARALLELISM = 64;
/** Journal chunk size (characters of JSON); documents stay far below the 16 MB limit. */
const CHUNK_CHARS = 4_000_000;
const BULK = 1_000;

/** A linking journal entry exists that was not applied; recovery runs it first (see LinkingService). */
export class JournalPendingError extends Error {}

interface JournalMarker {
  _id: string;
  opId: string;
  chunks: number;
  at: Date;
}

/**
 * The mongoose side of the linking engine's LinkStore port (STYLE.md "The store"):
 *
 * - reads are `findOne({_id})` only; a batch getter is parallel single-_id reads (never `$in`, which scans on
 *   FerretDB v1); documents come back as plain objects;
 * - writes are `replaceOne({_id}, doc, {upsert: true})` / `deleteOne({_id})`, sent as unordered bulkWrites of
 *   single-_id operations (one round trip per 1,000 writes);
 * - the only scans are `scanReports` / `scanAll` for `recluster` and its `--verify`, and the two small staff
 *   listings (`scanClusters`, `scanHubs`), which say so.
 *
 * Commits are atomic through a redo journal (`link_journal`): the whole write set of one lock hold is first
 * stored as JSON chunks (`chunk:<n>`), then the marker `commit` is INSERTED — that insert is the commit point —
 * then the writes are applied and the marker deleted. A crash before the marker leaves the store untouched
 * (the chunks are garbage, overwritten next time); a crash after it is repaired by `recoverJournal`, which the
 * next lock holder calls first and which re-applies the same final images (idempotent).
 */
@Injectable()
export class LinkStoreRepository implements DocSource {
  constructor(@InjectConnection() private readonly conn: Connection) {}

  private coll(col: DocCollection | 'journal'): Collection<Document> {
    return this.conn.collection(LINK_COLLECTIONS[col]);
  }

  // ---------------------------------------------------------------- reads by primary key

  async get(col: DocCollection, id: string): Promise<StoredDoc | undefined> {
    const doc = await this.coll(col).findOne({ _id: id as never });
    return (doc as unknown as StoredDoc | null) ?? undefined;
  }

  async getMany(col: DocCollection, ids: readonly string[]): Promise<(StoredDoc | undefined)[]> {
    const out = new Array<StoredDoc | undefined>(ids.length);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const i = next++;
        out[i] = await this.get(col, ids[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_PARALLELISM, ids.length) }, worker));
    return out;
  }

  newId(prefix: string): string {
    return `${prefix}_${new Types.ObjectId().toHexString()}`;
  }

  // ---------------------------------------------------------------- scans (batch commands and staff pages only)

  /** Every link report, streamed (recluster / verify only: a full scan). */
  async *scanReports(): AsyncIterable<LinkReport> {
    yield* this.scanAll('reports') as AsyncIterable<LinkReport>;
  }

  /** Every document of a collection, streamed (recluster / verify only: a full scan). */
  async *scanAll(col: DocCollection): AsyncIterable<StoredDoc> {
    const cursor = this.coll(col).find({}, { batchSize: 1_000 });
    for await (const doc of cursor) yield doc as unknown as StoredDoc;
  }

  /**
   * Live clusters of at least `minSize` members with the listing fields. A secondary filter: it scans
   * link_clusters on FerretDB (the staff `clusters` page only; on MongoDB an index on `size` would serve it).
   */
  async scanClusters(minSize: number): Promise<StoredDoc[]> {
    return (await this.coll('clusters')
      .find({ size: { $gte: Math.max(1, minSize) } }, { projection: { memberPages: 0, crossVictims: 0 } })
      .toArray()) as unknown as StoredDoc[];
  }

  /** The hub registry (small: one document per identifier over its cap with policy DEFAULT). */
  async scanHubs(): Promise<StoredDoc[]> {
    return (await this.coll('hubs').find({}).toArray()) as unknown as StoredDoc[];
  }

  async estimatedCount(col: DocCollection): Promise<number> {
    return this.coll(col).estimatedDocumentCount();
  }

  // ---------------------------------------------------------------- writes

  /** Applies writes (final images) by _id: idempotent, any number of times. */
  async applyWrites(writes: readonly LinkWrite[]): Promise<void> {
    // consecutive runs of one collection go out as one unordered bulkWrite; the order between runs is kept
    // (parents before children, see BufferedLinkStore.writes)
    let i = 0;
    while (i < writes.length) {
      const col = writes[i].col;
      const ops: AnyBulkWriteOperation<Document>[] = [];
      for (; i < writes.length && writes[i].col === col && ops.length < BULK; i++) {
        const w = writes[i];
        ops.push(
          w.doc
            ? { replaceOne: { filter: { _id: w.id as never }, replacement: w.doc, upsert: true } }
            : { deleteOne: { filter: { _id: w.id as never } } },
        );
      }
      await this.coll(col).bulkWrite(ops, { ordered: false });
    }
  }

  /** Deletes every document of a derived collection (recluster only). */
  async clear(col: DocCollection): Promise<void> {
    await this.coll(col).deleteMany({});
  }

  /** Bulk insert of fresh documents (recluster only, after `clear`). */
  async insertMany(col: DocCollection, docs: readonly StoredDoc[]): Promise<void> {
    for (let i = 0; i < docs.length; i += BULK) {
      await this.coll(col).insertMany(docs.slice(i, i + BULK) as Document[], { ordered: false });
    }
  }

  // ---------------------------------------------------------------- the journal

  /**
   * Commits one lock hold's writes atomically (see the class comment). `stillHeld` is checked right before
   * the commit point: a holder that lost its lease writes nothing.
   */
  async commit(writes: readonly LinkWrite[], opId: string, stillHeld: () => Promise<boolean>): Promise<boolean> {
    if (writes.length === 0) return true;
    const json = JSON.stringify(writes);
    const chunks: string[] = [];
    for (let i = 0; i < json.length; i += CHUNK_CHARS) chunks.push(json.slice(i, i + CHUNK_CHARS));
    const journal = this.coll('journal');
    await Promise.all(
      chunks.map((data, n) => journal.replaceOne({ _id: `chunk:${n}` as never }, { opId, data }, { upsert: true })),
    );
    if (!(await stillHeld())) return false;
    try {
      await journal.insertOne({ _id: 'commit', opId, chunks: chunks.length, at: new Date() } as never);
    } catch (e) {
      if (isDuplicateKeyError(e)) throw new JournalPendingError('an unapplied linking journal entry exists');
      throw e;
    }
    await this.applyWrites(writes);
    await journal.deleteOne({ _id: 'commit' as never });
    return true;
  }

  /** Re-applies a committed but unfinished journal entry; returns the number of writes redone (0: none). */
  async recoverJournal(): Promise<number> {
    const journal = this.coll('journal');
    const marker = (await journal.findOne({ _id: 'commit' as never })) as JournalMarker | null;
    if (!marker) return 0;
    let json = '';
    for (let n = 0; n < marker.chunks; n++) {
      const chunk = (await journal.findOne({ _id: `chunk:${n}` as never })) as { opId: string; data: string } | null;
      if (!chunk || chunk.opId !== marker.opId) {
        throw new Error(`linking journal ${marker.opId} is missing chunk ${n}: run \`siqian recluster\``);
      }
      json += chunk.data;
    }
    const writes = JSON.parse(json) as LinkWrite[];
    await this.applyWrites(writes);
    await journal.deleteOne({ _id: 'commit' as never });
    return writes.length;
  }

  /** `recluster` marks its rewrite so that an interrupted one is noticed (linking refuses to run meanwhile). */
  async setReclusterMarker(on: boolean): Promise<void> {
    const journal = this.coll('journal');
    if (on) await journal.replaceOne({ _id: 'recluster' as never }, { at: new Date() }, { upsert: true });
    else await journal.deleteOne({ _id: 'recluster' as never });
  }

  async reclusterInterrupted(): Promise<boolean> {
    return (await this.coll('journal').findOne({ _id: 'recluster' as never })) !== null;
  }
}
