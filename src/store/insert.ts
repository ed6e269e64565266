import type { Collection, Document } from 'mongodb';
import { isDuplicateKeyError } from '../common/errors/mongo-errors';
import { GroupCommit } from './group-commit';

/** Documents per insertMany command (FerretDB runs each command as one transaction). */
const INSERT_CHUNK = 1_000;

/**
 * The idempotent insert: insertMany({ ordered: false }), in commands of at most INSERT_CHUNK documents, that
 * treats duplicate _ids as "already there" (a claim taken before, a version written before). Returns the
 * positions of the documents refused as duplicates; any other error is thrown.
 */
export async function insertManyIgnoringDuplicates<T extends Document>(
  coll: Collection<T>,
  docs: readonly T[],
): Promise<Set<number>> {
  const duplicates = new Set<number>();
  for (let j = 0; j < docs.length; j += INSERT_CHUNK) {
    const chunk = docs.slice(j, j + INSERT_CHUNK);
    try {
      await coll.insertMany(chunk as never[], { ordered: false });
    } catch (e) {
      const list = writeErrorsOf(e);
      if (list.length === 0) {
        if (isDuplicateKeyError(e) && chunk.length === 1) {
          duplicates.add(j);
          continue;
        }
        throw e;
      }
      for (const we of list) {
        if ((we.code ?? we.err?.code) !== 11000) throw e;
        duplicates.add(j + we.index);
      }
    }
  }
  return duplicates;
}

/**
 * A claim by insert (the store's one atomic operation): true when `insert` wrote, false when its `_id` (or a
 * unique key) was taken before; any other error is thrown. `insert` is a driver insertOne or a mongoose create.
 */
export async function claimByInsert(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (e) {
    if (isDuplicateKeyError(e)) return false;
    throw e;
  }
}

interface WriteError {
  code?: number;
  index: number;
  err?: { code?: number };
}

/** The per-document errors of a failed insertMany (the driver gives one object or a list). */
function writeErrorsOf(e: unknown): WriteError[] {
  const writeErrors = (e as { writeErrors?: unknown }).writeErrors;
  return (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as WriteError[];
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
    const list = writeErrorsOf(e);
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
    return await claimByInsert(() => coll.insertOne(doc as never));
  } catch (e) {
    return { error: e };
  }
}

/**
 * Group commit of single-document inserts: `insert(doc)` answers exactly as an insertOne would (true when
 * written, false on a duplicate _id, rejected on any other error), but concurrent callers share insertMany
 * round trips ({@link GroupCommit}); nothing resolves before the store acknowledged the write. On FerretDB v1
 * every insert command is a transaction of its own, so under load this divides the work per document.
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
