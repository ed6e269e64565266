import mongoose from 'mongoose';
import { machine, printFigures, Figure } from './lib/report';
import { benchStores } from './lib/stores';

/**
 * `npm run bench:store`: what each primary-key operation costs on the store as the collection grows — the
 * figure every design decision on the embedded FerretDB v1 depends on. Targets are spread at random over the
 * whole collection (an update of an early document can stop its scan early and look cheap).
 *
 * Measured here (see the README): on FerretDB v1.24 / SQLite only findOne and insertOne by `_id` stay flat;
 * updateOne, replaceOne and deleteOne by exact `_id` grow with the collection (a scan per write). On MongoDB
 * all five are flat.
 */
const SIZES = (process.env.BENCH_STORE_SIZES ?? '1000,10000,30000').split(',').map(Number);
const OPS = Number(process.env.BENCH_STORE_OPS ?? 40);

async function main(): Promise<void> {
  const stores = await benchStores();
  console.log(`store probe on ${machine()}; store: ${stores.kind}; ${OPS} ops per figure`);
  const conn = await mongoose.createConnection(stores.mongoUri).asPromise();
  const coll = conn.collection<{ _id: string; v: number; pad?: string }>('store_probe');
  await coll.drop().catch(() => undefined);
  const figures: Figure[] = [];
  let n = 0;
  let fresh = 0;
  const pick = () => `k${Math.floor(Math.random() * n)}`;
  try {
    for (const size of SIZES) {
      while (n < size) {
        const batch = [];
        for (let i = 0; i < 1000 && n < size; i++, n++) batch.push({ _id: `k${n}`, v: 0, pad: 'x'.repeat(200) });
        await coll.insertMany(batch);
      }
      const time = async (label: string, op: () => Promise<unknown>) => {
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < OPS; i++) await op();
        figures.push({
          name: `${label} @ ${size} docs`,
          value: Number(process.hrtime.bigint() - t0) / 1e6 / OPS,
          unit: 'ms/op',
        });
      };
      await time('findOne {_id}', () => coll.findOne({ _id: pick() }));
      await time('insertOne', () => coll.insertOne({ _id: `new${fresh++}`, v: 1 }));
      await time('updateOne {_id} $set', () => coll.updateOne({ _id: pick() }, { $set: { v: 2 } }));
      await time('replaceOne {_id}', () => coll.replaceOne({ _id: pick() }, { v: 3, pad: 'y' }));
      await time('deleteOne {_id}', () => coll.deleteOne({ _id: `new${--fresh}` }));
    }
    printFigures('store probe: primary-key operations as the collection grows', figures);
  } finally {
    await coll.drop().catch(() => undefined);
    await conn.close();
    await stores.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
