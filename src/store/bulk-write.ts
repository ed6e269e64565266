import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';

/**
 * Statements per `bulkWrite` command. FerretDB v1.24.2 (the embedded store) never answers an `update` command
 * of 100 statements or more (docs/benchmarks.md; test/store.e2e-spec.ts pins it), so every bulk
 * of updates is sent in chunks of this many; on MongoDB the chunks cost a round trip each and nothing else.
 */
export const MAX_BULK_STATEMENTS = 50;

/** bulkWrite({ ordered: false }) in commands of at most MAX_BULK_STATEMENTS statements, one after the other. */
export async function bulkWriteInChunks<T extends Document>(
  coll: Collection<T>,
  ops: readonly AnyBulkWriteOperation<T>[],
): Promise<void> {
  for (let i = 0; i < ops.length; i += MAX_BULK_STATEMENTS)
    await coll.bulkWrite(ops.slice(i, i + MAX_BULK_STATEMENTS), { ordered: false });
}
