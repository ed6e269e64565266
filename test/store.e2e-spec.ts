import { randomBytes } from 'node:crypto';
import mongoose, { Connection } from 'mongoose';
import { bulkWriteInChunks, MAX_BULK_STATEMENTS } from '../src/store/bulk-write';

/**
 * The store itself (the suite's FerretDB, or MONGODB_URI): what our repositories rely on beyond plain CRUD.
 * FerretDB v1.24.2 never answers an update command of 100 or more statements, so a bulk of 250 replaces and
 * 250 upserts goes through only because bulkWriteInChunks splits it.
 */
describe('the store', () => {
  let conn: Connection;
  beforeAll(async () => {
    const uri = process.env.MONGODB_URI as string;
    const db = `store_${randomBytes(4).toString('hex')}`;
    conn = await mongoose
      .createConnection(uri.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${db}`))
      .asPromise();
  });
  afterAll(async () => {
    await conn?.dropDatabase().catch(() => undefined);
    await conn?.close();
  });

  it('applies 250 replaceOne and 250 upserting updateOne by _id in chunks', async () => {
    type Doc = { _id: string; n: number; tag?: string };
    const coll = conn.collection<Doc>('bulk');
    await coll.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: `k${i}`, n: i })));
    expect(MAX_BULK_STATEMENTS).toBeLessThan(100);

    await bulkWriteInChunks(
      coll,
      Array.from({ length: 250 }, (_, i) => ({
        replaceOne: { filter: { _id: `k${i}` }, replacement: { _id: `k${i}`, n: -i, tag: 'replaced' } },
      })),
    );
    // 200 existing (k100..k299) and 50 new (k300..k349) identifiers, as the indexer's bulk upsert writes them
    await bulkWriteInChunks(
      coll,
      Array.from({ length: 250 }, (_, j) => ({
        updateOne: { filter: { _id: `k${100 + j}` }, update: { $inc: { n: 1000 } }, upsert: true },
      })),
    );

    const docs = new Map((await coll.find({}).toArray()).map((d) => [d._id, d]));
    expect(docs.size).toBe(350);
    expect(docs.get('k0')).toEqual({ _id: 'k0', n: 0, tag: 'replaced' });
    expect(docs.get('k99')).toEqual({ _id: 'k99', n: -99, tag: 'replaced' });
    expect(docs.get('k100')).toEqual({ _id: 'k100', n: 900, tag: 'replaced' });
    expect(docs.get('k249')).toEqual({ _id: 'k249', n: 751, tag: 'replaced' });
    expect(docs.get('k250')).toEqual({ _id: 'k250', n: 1250 });
    expect(docs.get('k349')).toEqual({ _id: 'k349', n: 1000 });
  }, 60_000);
});
