import { randomBytes } from 'node:crypto';
import mongoose, { Connection } from 'mongoose';
import Redis from 'ioredis';
import { bulkWriteInChunks, MAX_BULK_STATEMENTS } from '../src/store/bulk-write';
import { insertManyIgnoringDuplicates } from '../src/store/insert';
import { LockLostError } from '../src/store/redis-lock';
import { VersionedStore } from '../src/store/versioned-store';

/**
 * The store itself (the suite's FerretDB, or MONGODB_URI): what our repositories rely on beyond plain CRUD.
 * FerretDB v1.24.2 never answers an update command of 100 or more statements, so a bulk of 250 replaces and
 * 250 upserts goes through only because bulkWriteInChunks splits it.
 */
describe('the store', () => {
  let conn: Connection;
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(process.env.REDIS_URL as string);
    const uri = process.env.MONGODB_URI as string;
    const db = `store_${randomBytes(4).toString('hex')}`;
    conn = await mongoose
      .createConnection(uri.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${db}`))
      .asPromise();
  });
  afterAll(async () => {
    await conn?.dropDatabase().catch(() => undefined);
    await conn?.close();
    redis?.disconnect();
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

  it('insertManyIgnoringDuplicates answers the positions of the duplicates across its chunks of 1,000', async () => {
    const coll = conn.collection<{ _id: string }>('claims');
    const taken = [5, 999, 1000, 1500, 2001];
    await coll.insertMany(taken.map((i) => ({ _id: `c${i}` })));
    const docs = Array.from({ length: 2100 }, (_, i) => ({ _id: `c${i}` }));
    expect([...(await insertManyIgnoringDuplicates(coll, docs))].sort((a, b) => a - b)).toEqual(taken);
    expect(await coll.countDocuments({})).toBe(2100);
    // all there now: every position is a duplicate, nothing is thrown
    expect((await insertManyIgnoringDuplicates(coll, docs.slice(0, 3))).size).toBe(3);
  });

  it('VersionedStore.withHold commits versions and outbox together, and a lost lease writes nothing', async () => {
    const ns = randomBytes(4).toString('hex');
    const store = new VersionedStore<'docs' | 'small'>((name) => conn.collection(name), redis, {
      name: 'spec',
      collections: { docs: `vs_docs_${ns}`, small: `vs_small_${ns}` },
      versioned: new Set(['docs']),
      journal: `vs_journal_${ns}`,
      redisNamespace: `spec:${ns}`,
      repair: 'drop the spec database',
    });
    const held = { stillHeld: async () => true };
    const result = await store.withHold(held, 'op1', async () => ({
      result: 'done',
      writes: [
        { col: 'docs', id: 'a', doc: { _id: 'a', v: 1 }, version: 1 },
        { col: 'small', id: 's', doc: { _id: 's', x: 1 }, isNew: true },
      ],
      outbox: [{ event: 1 }],
    }));
    expect(result).toBe('done');
    await store.withHold(held, 'op2', async () => ({
      result: undefined,
      writes: [{ col: 'docs', id: 'a', doc: { _id: 'a', v: 2 }, version: 2 }],
    }));
    expect(await store.getManyVersioned('docs', ['a', 'b'])).toEqual([
      { doc: { _id: 'a', v: 2 }, version: 2 },
      { version: 0 },
    ]);
    expect((await store.getManyVersioned('small', ['s']))[0].doc).toEqual({ _id: 's', x: 1 });
    expect((await store.undeliveredOutboxes(0)).map((o) => [o.opId, o.events])).toEqual([['op1', [{ event: 1 }]]]);

    const lost = { stillHeld: async () => false };
    await expect(
      store.withHold(lost, 'op3', async () => ({
        result: undefined,
        writes: [{ col: 'docs', id: 'a', doc: { _id: 'a', v: 3 }, version: 3 }],
      })),
    ).rejects.toBeInstanceOf(LockLostError);
    expect((await store.getManyVersioned('docs', ['a']))[0].version).toBe(2);
    expect(await conn.collection(`vs_docs_${ns}`).countDocuments({})).toBe(2);

    // Redis lost the version hints: the next hold's recovery rebuilds them from the store
    await redis.del(`spec:${ns}:v:docs`, `spec:${ns}:commits`);
    await store.withHold(held, 'op4', async () => ({ result: undefined, writes: [] }));
    expect((await store.getManyVersioned('docs', ['a']))[0]).toEqual({ doc: { _id: 'a', v: 2 }, version: 2 });
  });
});
