/**
 * Property tests: thousands of random small scenarios (small caps so caps are crossed often, a small identifier
 * pool so collisions are frequent, some warninglisted values, tiny pages so page folding is exercised). After
 * EVERY operation the stored partition equals the from-scratch reference, every invariant holds, and re-running
 * the same operation changes nothing.
 */
import fc from 'fast-check';
import { LinkingEngine } from './engine';
import { endsAboveCap } from './rules';
import { InMemoryLinkStore } from './store';
import { checkInvariants } from './invariants';
import { verifyStore } from './reference';
import { LinkModel, storedPartition } from '../../../test/support/link-model';
import type { LinkEvent, LinkPolicy } from './types';

const POOL = [
  'PHONE:1',
  'PHONE:2',
  'PHONE:3',
  'PHONE:4',
  'PHONE:CN:110',
  'BANK_ACCOUNT:1',
  'BANK_ACCOUNT:2',
  'BANK_ACCOUNT:3',
  'URL:1',
  'URL:2',
  'DOMAIN:twitter.com',
  'DOMAIN:evil.cn',
];
const BASE_WARNINGLIST = new Set(['PHONE:CN:110', 'DOMAIN:twitter.com']);

type Op =
  | { t: 'add'; keys: string[]; victim: number; loss: number; type: string; region: string; day: number }
  | { t: 'policy'; key: string; policy: LinkPolicy }
  | { t: 'detach'; r: number; k: number }
  | { t: 'reattach'; r: number; k: number }
  | { t: 'link'; a: number; b: number }
  | { t: 'unlink'; l: number }
  | { t: 'warn'; key: string; flag: boolean }
  | { t: 'recompute'; r: number };

const key = fc.constantFrom(...POOL);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('add' as const),
      keys: fc.uniqueArray(key, { maxLength: 3 }),
      victim: fc.integer({ min: 0, max: 5 }),
      loss: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 ** 40 })),
      type: fc.constantFrom('FAKE_LOAN', 'ORDER_BRUSHING', 'OTHER'),
      region: fc.constantFrom('DG01', 'DG02'),
      day: fc.integer({ min: 1, max: 28 }),
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
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reattach' as const), r: fc.nat(), k: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('link' as const), a: fc.nat(), b: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('unlink' as const), l: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('warn' as const), key, flag: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('recompute' as const), r: fc.nat() }) },
);

const scenario = fc.record({
  caps: fc.record({
    PHONE: fc.integer({ min: 1, max: 4 }),
    BANK_ACCOUNT: fc.integer({ min: 1, max: 4 }),
    URL: fc.integer({ min: 1, max: 4 }),
    DOMAIN: fc.integer({ min: 1, max: 4 }),
  }),
  pageSize: fc.integer({ min: 1, max: 4 }),
  ops: fc.array(op, { minLength: 5, maxLength: 40 }),
});

/** Applies one op to engine and model; returns a re-runnable closure, or undefined when the op does not apply. */
function bind(engine: LinkingEngine, model: LinkModel, o: Op, n: number): (() => Promise<LinkEvent[]>) | undefined {
  const store = engine.store as InMemoryLinkStore;
  const ids = model.reports.map((r) => r.id);
  switch (o.t) {
    case 'add': {
      const id = `r${n}`;
      model.add(id, o.keys);
      const input = {
        _id: id,
        identifierKeys: o.keys,
        summaryFacts: {
          lossFen: o.loss,
          // victim 0: a report that is its own victim (no victimKey, no victim document)
          ...(o.victim === 0 ? {} : { victimKey: `v${o.victim}` }),
          fraudType: o.type,
          regionCode: o.region,
          channel: 'SMS',
          paymentMethod: 'ALIPAY',
          occurredAt: `2026-02-${String(o.day).padStart(2, '0')}T00:00:00.000Z`,
        },
      };
      return () => engine.addReport(input);
    }
    case 'policy':
      if (o.policy === 'DEFAULT') model.policies.delete(o.key);
      else model.policies.set(o.key, o.policy);
      return () => engine.setPolicy(o.key, o.policy);
    case 'warn':
      model.warnOverride.set(o.key, o.flag);
      return () => engine.setWarninglisted(o.key, o.flag);
    case 'detach': {
      if (ids.length === 0) return undefined;
      const r = store.reports.get(ids[o.r % ids.length])!;
      if (r.identifierKeys.length === 0) return undefined;
      const k = r.identifierKeys[o.k % r.identifierKeys.length];
      model.detach(r._id, k);
      return () => engine.detach(r._id, k);
    }
    case 'reattach': {
      if (ids.length === 0) return undefined;
      const r = store.reports.get(ids[o.r % ids.length])!;
      if (r.detachedKeys.length === 0) return undefined;
      const k = r.detachedKeys[o.k % r.detachedKeys.length];
      model.reattach(r._id, k);
      return () => engine.reattach(r._id, k);
    }
    case 'link': {
      if (ids.length < 2) return undefined;
      const a = ids[o.a % ids.length];
      const b = ids[o.b % ids.length];
      if (a === b) return undefined;
      model.link(a, b);
      return () => engine.linkReports(a, b);
    }
    case 'unlink': {
      const links = [...model.links];
      if (links.length === 0) return undefined;
      const [a, b] = links[o.l % links.length].split('\u0000');
      model.unlink(a, b);
      return () => engine.unlinkReports(b, a);
    }
    case 'recompute': {
      if (ids.length === 0) return undefined;
      const cid = store.reports.get(ids[o.r % ids.length])!.clusterId;
      return () => engine.recomputeCluster(cid);
    }
  }
}

describe('LinkingEngine against the brute-force reference', () => {
  it('matches the reference, keeps every invariant and is idempotent after every operation', async () => {
    let operations = 0;
    const seen = { CREATED: 0, GREW: 0, MERGED: 0, SPLIT: 0 };
    const runs = Number(process.env.LINK_PROPERTY_RUNS ?? 3000);
    await fc.assert(
      fc.asyncProperty(scenario, async ({ caps, pageSize, ops }) => {
        const model = new LinkModel(caps, (k) => BASE_WARNINGLIST.has(k));
        const store = new InMemoryLinkStore();
        const engine = new LinkingEngine(store, {
          caps,
          isWarninglisted: (k) => BASE_WARNINGLIST.has(k),
          pageSize,
          topIdentifiers: 2,
        });
        for (let n = 0; n < ops.length; n++) {
          const run = bind(engine, model, ops[n], n);
          if (!run) continue;
          operations++;
          for (const e of await run()) seen[e.type]++;
          const label = `after op ${n} ${JSON.stringify(ops[n])}`;
          expect({ label, partition: storedPartition(store) }).toEqual({ label, partition: model.partition() });
          expect({ label, violations: checkInvariants(store, engine) }).toEqual({ label, violations: [] });
          const before = store.snapshot();
          const again = await run();
          expect({ label, again, same: store.snapshot() === before }).toEqual({ label, again: [], same: true });
        }
        const verified = await verifyStore(store, { caps, isWarninglisted: model.isWarninglisted });
        expect(verified.differences).toEqual([]);
      }),
      { numRuns: runs },
    );
    // thousands of scenarios, tens of thousands of checked quiescent points (with the default run count)
    expect(operations).toBeGreaterThan(runs * 5);
    // the scenarios really exercise every kind of change
    for (const n of Object.values(seen)) expect(n).toBeGreaterThan(runs / 10);
  }, 300_000);

  it('a rebuild that knows which identifiers end above their cap (endsAboveCap) gets the same partition, with no split', async () => {
    const adds = fc.array(fc.uniqueArray(key, { maxLength: 3 }), { minLength: 1, maxLength: 60 });
    await fc.assert(
      fc.asyncProperty(scenario, adds, async ({ caps, pageSize }, reports) => {
        const inputs = reports.map((keys, n) => ({
          _id: `r${n}`,
          identifierKeys: keys,
          summaryFacts: {
            lossFen: n,
            victimKey: `v${n % 4}`,
            fraudType: 'OTHER',
            regionCode: 'DG01',
            channel: 'SMS',
            paymentMethod: 'ALIPAY',
            occurredAt: '2026-02-01T00:00:00.000Z',
          },
        }));
        const run = async (ahead: boolean) => {
          const store = new InMemoryLinkStore();
          const options = { caps, isWarninglisted: (k: string) => BASE_WARNINGLIST.has(k), pageSize };
          const engine = new LinkingEngine(
            store,
            ahead ? { ...options, endsAboveCap: endsAboveCap(inputs, [], caps) } : options,
          );
          const events: string[] = [];
          for (const r of inputs) for (const e of await engine.addReport(r)) events.push(e.type);
          expect(checkInvariants(store, new LinkingEngine(store, options))).toEqual([]);
          return { partition: storedPartition(store), events };
        };
        const [ahead, climbing] = [await run(true), await run(false)];
        expect(ahead.partition).toEqual(climbing.partition);
        expect(ahead.events).not.toContain('SPLIT');
      }),
      { numRuns: 500 },
    );
  }, 120_000);
});
