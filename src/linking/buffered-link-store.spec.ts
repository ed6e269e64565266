/**
 * The write-behind store under the engine: random scenarios run in random batches (one BufferedLinkStore per
 * batch = one lock hold), each batch committed through `writes()` into a map-backed store. After every commit
 * the stored partition equals the from-scratch reference, every deep invariant holds and the hub registry lists
 * exactly the identifiers stored as HUB. A batch that is thrown away (a crash before commit) changes nothing.
 */
import fc from 'fast-check';
import { checkInvariants, InMemoryLinkStore, LinkingEngine, type LinkPolicy } from './engine';
import { LinkModel, storedPartition } from '../../test/support/link-model';
import {
  BufferedLinkStore,
  type DocCollection,
  type DocSource,
  type LinkWrite,
  type StoredDoc,
} from './buffered-link-store';

const POOL = [
  'PHONE:1',
  'PHONE:2',
  'PHONE:3',
  'PHONE:CN:110',
  'BANK_ACCOUNT:1',
  'BANK_ACCOUNT:2',
  'URL:1',
  'DOMAIN:twitter.com',
];
const WARN = new Set(['PHONE:CN:110', 'DOMAIN:twitter.com']);

/** A DocSource over an InMemoryLinkStore's maps, plus the two derived collections. */
class MapSource implements DocSource {
  readonly hubs = new Map<string, StoredDoc>();
  readonly policies = new Map<string, StoredDoc>();
  /** the version of every document ever written (tombstones included), as the real store keeps them */
  private readonly versions = new Map<string, number>();
  private seq = 0;
  constructor(readonly mem: InMemoryLinkStore) {}

  private map(col: DocCollection): Map<string, unknown> {
    if (col === 'hubs') return this.hubs;
    if (col === 'policies') return this.policies;
    return this.mem[col];
  }
  async getManyVersioned(col: DocCollection, ids: readonly string[]) {
    return ids.map((id) => {
      const d = this.map(col).get(id);
      const version = this.versions.get(`${col}/${id}`) ?? 0;
      return d === undefined ? { version } : { doc: structuredClone(d) as StoredDoc, version: Math.max(1, version) };
    });
  }
  async *scanReports() {
    yield* this.mem.reports.values();
  }
  newId(prefix: string) {
    return `${prefix}_${++this.seq}`;
  }
  apply(writes: LinkWrite[]) {
    for (const w of writes) {
      // a versioned write is exactly the next version; an insert of a small document is of an absent one
      const k = `${w.col}/${w.id}`;
      if (w.version !== undefined) {
        expect(w.version).toBe((this.versions.get(k) ?? 0) + 1);
        this.versions.set(k, w.version);
      }
      if (w.isNew) expect(this.map(w.col).has(w.id)).toBe(false);
      if (w.doc) this.map(w.col).set(w.id, structuredClone(w.doc));
      else this.map(w.col).delete(w.id);
    }
  }
}

type Op =
  | { t: 'add'; keys: string[]; victim: number }
  | { t: 'policy'; key: string; policy: LinkPolicy }
  | { t: 'detach'; r: number; k: number }
  | { t: 'link'; a: number; b: number };

const key = fc.constantFrom(...POOL);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('add' as const),
      keys: fc.uniqueArray(key, { maxLength: 3 }),
      victim: fc.integer({ min: 0, max: 4 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('policy' as const),
      key,
      policy: fc.constantFrom<LinkPolicy>('DEFAULT', 'NEVER', 'ALWAYS'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('detach' as const), r: fc.nat(), k: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('link' as const), a: fc.nat(), b: fc.nat() }) },
);

const scenario = fc.record({
  caps: fc.record({
    PHONE: fc.integer({ min: 1, max: 3 }),
    BANK_ACCOUNT: fc.integer({ min: 1, max: 3 }),
    URL: fc.integer({ min: 1, max: 3 }),
    DOMAIN: fc.integer({ min: 1, max: 3 }),
  }),
  pageSize: fc.integer({ min: 1, max: 3 }),
  batches: fc.array(
    fc.record({
      ops: fc.array(op, { minLength: 1, maxLength: 8 }),
      crash: fc.boolean(),
      // the next hold starts from this hold's committed cache (afterCommit), as an import's holds do
      carry: fc.boolean(),
    }),
    {
      minLength: 2,
      maxLength: 8,
    },
  ),
});

describe('BufferedLinkStore (one lock hold = one batch, committed through writes())', () => {
  it('keeps the stored state equal to the reference after every commit; a batch without commit changes nothing', async () => {
    let commits = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ caps, pageSize, batches }) => {
        const mem = new InMemoryLinkStore();
        const source = new MapSource(mem);
        const model = new LinkModel(caps, (k) => WARN.has(k));
        const options = { caps, isWarninglisted: (k: string) => WARN.has(k), pageSize, topIdentifiers: 2 };
        let n = 0;
        let carried: BufferedLinkStore | undefined;
        for (const batch of batches) {
          const store = carried ? carried.afterCommit() : new BufferedLinkStore(source);
          carried = undefined;
          const engine = new LinkingEngine(store, options);
          const applied: ((m: LinkModel) => void)[] = [];
          for (const o of batch.ops) {
            const ids = model.reports.map((r) => r.id);
            if (o.t === 'add') {
              const id = `r${n++}`;
              const keys = o.keys;
              applied.push((m) => m.add(id, keys));
              await engine.addReport({
                _id: id,
                identifierKeys: keys,
                summaryFacts: {
                  lossFen: 100,
                  ...(o.victim === 0 ? {} : { victimKey: `v${o.victim}` }),
                  fraudType: 'OTHER',
                  regionCode: 'DG01',
                  channel: 'SMS',
                  paymentMethod: 'NONE',
                  occurredAt: '2026-01-01T00:00:00.000Z',
                },
              });
            } else if (o.t === 'policy') {
              applied.push((m) =>
                o.policy === 'DEFAULT' ? m.policies.delete(o.key) : m.policies.set(o.key, o.policy),
              );
              await engine.setPolicy(o.key, o.policy);
            } else if (o.t === 'detach' && ids.length > 0) {
              const r = await store.getReport(ids[o.r % ids.length]);
              if (!r || r.identifierKeys.length === 0) continue;
              const k = r.identifierKeys[o.k % r.identifierKeys.length];
              applied.push((m) => m.detach(r._id, k));
              await engine.detach(r._id, k);
            } else if (o.t === 'link' && ids.length > 1) {
              const a = ids[o.a % ids.length];
              const b = ids[o.b % ids.length];
              if (a === b) continue;
              applied.push((m) => m.link(a, b));
              await engine.linkReports(a, b);
            }
          }
          if (batch.crash) {
            // the batch never commits: the stored state is what it was
            expect(storedPartition(mem)).toEqual(model.partition());
            continue;
          }
          source.apply(store.writes());
          if (batch.carry) carried = store;
          for (const f of applied) f(model);
          commits++;
          expect(storedPartition(mem)).toEqual(model.partition());
          const checker = new LinkingEngine(mem, options);
          expect(checkInvariants(mem, checker)).toEqual([]);
          const hubs = [...mem.identifiers.values()]
            .filter((i) => i.status === 'HUB')
            .map((i) => i._id)
            .sort();
          expect([...source.hubs.keys()].sort()).toEqual(hubs);
        }
      }),
      { numRuns: Number(process.env.LINK_PROPERTY_RUNS ?? 500) },
    );
    expect(commits).toBeGreaterThan(500);
  }, 120_000);

  it('writes each dirty document once, parents before children, page deletions last', async () => {
    const mem = new InMemoryLinkStore();
    const source = new MapSource(mem);
    const store = new BufferedLinkStore(source);
    const engine = new LinkingEngine(store, { caps: { PHONE: 5 }, isWarninglisted: () => false, pageSize: 2 });
    for (let i = 0; i < 6; i++) {
      await engine.addReport({
        _id: `r${i}`,
        identifierKeys: [`PHONE:${i % 2}`],
        summaryFacts: {
          lossFen: 1,
          victimKey: `v${i}`,
          fraudType: 'OTHER',
          regionCode: 'DG01',
          channel: 'SMS',
          paymentMethod: 'NONE',
          occurredAt: '2026-01-01T00:00:00.000Z',
        },
      });
    }
    await engine.linkReports('r0', 'r1');
    const writes = store.writes();
    const ids = writes.map((w) => `${w.col}/${w.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    const firstReport = writes.findIndex((w) => w.col === 'reports');
    const lastPagePut = writes.map((w) => w.col === 'pages' && !!w.doc).lastIndexOf(true);
    const lastCluster = writes.map((w) => w.col === 'clusters').lastIndexOf(true);
    expect(lastPagePut).toBeLessThan(firstReport);
    expect(lastCluster).toBeLessThan(firstReport);
    const firstPageDelete = writes.findIndex((w) => w.col === 'pages' && !w.doc);
    if (firstPageDelete >= 0)
      expect(firstPageDelete).toBeGreaterThan(writes.map((w) => w.col === 'reports').lastIndexOf(true));
  });
});
