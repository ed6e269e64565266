import type { Collection, Document } from 'mongodb';
import { isDuplicateKeyError } from '../common/errors/mongo-errors';

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
