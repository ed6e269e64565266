import type { Collection, Document } from 'mongodb';
import { isDuplicateKeyError } from '../common/errors/mongo-errors';
import { GroupCommit } from './group-commit';

/**
 * insertMany({ ordered: false }) that treats duplicate _ids as "already there": returns the positions of the
 * documents that were refused as duplicates; any other error is thrown.
 */
export async function insertManyIgnoringDuplicates<T extends Document>(
  coll: Collection<T>,
  docs: T[],
): Promise<Set<number>> {
  const duplicates = new Set<number>();
  if (docs.length === 0) return duplicates;
  try {
    await coll.insertMany(docs as never[], { ordered: false });
  } catch (e) {
    const writeErrors = (e as { writeErrors?: unknown }).writeErrors;
    const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    if (list.length === 0) {
      if (isDuplicateKeyError(e) && docs.length === 1) return new Set([0]);
      throw e;
    }
    for (const we of list as { code?: number; index: number; err?: { code?: number } }[]) {
      const code = we.code ?? we.err?.code;
      if (code !== 11000) throw e;
      duplicates.add(we.index);
    }
  }
  return duplicates;
}

/** The fate of one document of a batch: inserted (true), refused as a duplicate (false), or an error. */
export type InsertOutcome = boolean | { error: unknown };

/**
 * insertMany({ ordered: false }) with the outcome of every document, as if each had been inserted alone:
 * true (written), false (duplicate key) or the document's own error. When the store's answer does not
 * account for every document (a network error, or written + refused ≠ sent), the documents are inserted
 * one by one instead, so that no document is ever reported written without having been.
 */
export async function insertManyOutcomes<T extends Document>(coll: Collection<T>, docs: T[]): Promise<InsertOutcome[]> {
  if (docs.length === 1) return [await insertOneOutcome(coll, docs[0])];
  try {
    await coll.insertMany(docs as never[], { ordered: false });
    return docs.map(() => true);
  } catch (e) {
    const writeErrors = (e as { writeErrors?: unknown }).writeErrors;
    const list = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as {
      code?: number;
      index: number;
      err?: { code?: number };
    }[];
    const insertedCount = (e as { result?: { insertedCount?: unknown } }).result?.insertedCount;
    const indexes = new Set(list.map((we) => we.index));
    if (list.length === 0 || typeof insertedCount !== 'number' || insertedCount + indexes.size !== docs.length) {
      // the answer does not say which were written: ask one by one (a duplicate then means "already written")
      const out: InsertOutcome[] = [];
      for (const d of docs) out.push(await insertOneOutcome(coll, d));
      return out;
    }
    const out: InsertOutcome[] = docs.map(() => true);
    for (const we of list) out[we.index] = (we.code ?? we.err?.code) === 11000 ? false : { error: e };
    return out;
  }
}

async function insertOneOutcome<T extends Document>(coll: Collection<T>, doc: T): Promise<InsertOutcome> {
  try {
    await coll.insertOne(doc as never);
    return true;
  } catch (e) {
    return isDuplicateKeyError(e) ? false : { error: e };
  }
}

/**
 * Group commit of single-document inserts: `insert(doc)` answers exactly as an insertOne would (true when
 * written, false on a duplicate _id, rejected on any other error), but concurrent callers share insertMany
 * round trips ({@link GroupCommit}); nothing resolves before the store acknowledged the write. On FerretDB v1
 * every insert command is a transaction of its own (measured ≈1 ms of store CPU and ≈0.6 ms of driver CPU per
 * command, ≈0.5 / 0.15 ms per document in batches of 8+), so under load this divides the work per report.
 */
export class InsertBatcher<T extends Document> {
  private readonly commits: GroupCommit<T, boolean>;

  constructor(coll: () => Collection<T>, maxBatch = 256, maxInFlight = 2) {
    this.commits = new GroupCommit<T, boolean>(
      async (docs) => (await insertManyOutcomes(coll(), docs)).map((o) => (typeof o === 'boolean' ? { value: o } : o)),
      maxBatch,
      maxInFlight,
    );
  }

  insert(doc: T): Promise<boolean> {
    return this.commits.submit(doc);
  }
}
