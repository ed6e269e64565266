/**
 * The paged caseGraph walk against an independent breadth-first search of the stored edges, on random rings
 * (hubs, explicit links) in the engine's in-memory store: the unpaged walk is the neighbourhood within `depth`
 * with every edge between its nodes; pages of any limit (their state through JSON, as in Redis) return it
 * in the same order, every node and edge once, each node joined to one returned before it.
 */
import fc from 'fast-check';
import { identifierKey } from '../identifiers';
import { ReadOnlyLinkStore, type DocSource, type StoredDoc } from './buffered-link-store';
import { InMemoryLinkStore, LinkingEngine, type LinkCluster } from './engine';
import { startWalk, walkPage, type WalkPage, type WalkRoot, type WalkState } from './graph-walk';
import { newReport } from '../../test/support/link-model';

const CAPS = { PHONE: 3, BANK_ACCOUNT: 3 };
const KEYS = [
  ...[1, 2, 3, 4, 5].map((n) => identifierKey('PHONE', `+8613800000${String(n).padStart(3, '0')}`)),
  ...[1, 2, 3].map((n) => identifierKey('BANK_ACCOUNT', `622200000000000${n}`)),
];

/** The API's read path: a ReadOnlyLinkStore reading the in-memory store's documents by id. */
function readOnly(mem: InMemoryLinkStore): ReadOnlyLinkStore {
  const source: DocSource = {
    async getManyVersioned(col, ids) {
      const docs = col === 'hubs' || col === 'policies' ? new Map<string, unknown>() : mem[col];
      return ids.map((id) => {
        const doc = docs.get(id);
        return doc ? { doc: structuredClone(doc) as StoredDoc, version: 1 } : { version: 0 };
      });
    },
    scanReports: () => mem.scanReports(),
    newId: (prefix) => prefix,
  };
  return new ReadOnlyLinkStore(source);
}

/** Breadth-first over the stored documents: node refs within `depth` of the seed, hubs not expanded. */
function neighbourhood(mem: InMemoryLinkStore, engine: LinkingEngine, seed: string, depth: number) {
  const level = new Map<string, number>([[seed, 0]]);
  let frontier = [seed];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const ref of frontier) {
      const id = ref.slice(2);
      let around: string[] = [];
      if (ref.startsWith('R|')) {
        const r = mem.reports.get(id)!;
        around = [...r.identifierKeys.map((k) => `I|${k}`), ...r.explicitLinks.map((o) => `R|${o}`)];
      } else {
        const i = mem.identifiers.get(id)!;
        if (engine.isLinkable(i))
          around = [...mem.reports.values()].filter((r) => r.identifierKeys.includes(id)).map((r) => `R|${r._id}`);
      }
      for (const n of around.filter((x) => !level.has(x))) {
        level.set(n, d + 1);
        next.push(n);
      }
    }
    frontier = next;
  }
  const nodes = new Set(level.keys());
  const edges = new Set<string>();
  for (const ref of nodes) {
    if (!ref.startsWith('R|')) continue;
    const r = mem.reports.get(ref.slice(2))!;
    for (const n of [...r.identifierKeys.map((k) => `I|${k}`), ...r.explicitLinks.map((o) => `R|${o}`)])
      if (nodes.has(n)) edges.add([ref.slice(2), n.slice(2)].sort().join(' '));
  }
  return { nodes, edges };
}

const refOf = (n: { type: string; id: string }) => `${n.type === 'REPORT' ? 'R' : 'I'}|${n.id}`;
const all = () => true;

async function pages(mem: InMemoryLinkStore, engine: LinkingEngine, root: WalkRoot, depth: number, limit: number) {
  let state: WalkState = await startWalk(engine, readOnly(mem), root, depth);
  const out: WalkPage[] = [];
  for (;;) {
    // a fresh read path per page, and the state through JSON: as between two requests
    const page = await walkPage(engine, readOnly(mem), state, limit, all);
    out.push(page);
    state = JSON.parse(JSON.stringify(state)) as WalkState;
    if (!page.hasNextPage) return { seed: state.seed, pages: out };
  }
}

describe('caseGraph walk', () => {
  it('pages of any limit return the neighbourhood within depth, in one order, each node and edge once, connected', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 3 }), {
          minLength: 2,
          maxLength: 12,
        }),
        fc.array(fc.tuple(fc.nat(11), fc.nat(11)), { maxLength: 3 }),
        fc.nat(20),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        async (carried, links, pick, depth, limit) => {
          const mem = new InMemoryLinkStore();
          const engine = new LinkingEngine(mem, { caps: CAPS, isWarninglisted: () => false, pageSize: 2 });
          for (const [i, keys] of carried.entries()) await engine.addReport(newReport(`r${i}`, keys));
          for (const [a, b] of links)
            if (a !== b && a < carried.length && b < carried.length) await engine.linkReports(`r${a}`, `r${b}`);
          const some = `r${pick % carried.length}`;
          const keys = [...mem.identifiers.keys()];
          const roots: WalkRoot[] = [
            { reportId: some },
            { identifierKey: keys[pick % keys.length] },
            { cluster: (await engine.clusterOf(some)) as LinkCluster },
          ];
          for (const root of roots) {
            const unpaged = await pages(mem, engine, root, depth, 10_000);
            expect(unpaged.pages).toHaveLength(1);
            const [full] = unpaged.pages;
            const want = neighbourhood(mem, engine, unpaged.seed, depth);
            expect(new Set(full.nodes.map(refOf))).toEqual(want.nodes);
            expect(new Set(full.edges.map((e) => [e.source, e.target].sort().join(' ')))).toEqual(want.edges);
            if ('cluster' in root) expect(full.nodes[0].clusterId).toBe(root.cluster._id);

            const paged = await pages(mem, engine, root, depth, limit);
            const nodes = paged.pages.flatMap((p) => p.nodes);
            expect(nodes.map(refOf)).toEqual(full.nodes.map(refOf));
            expect(paged.pages.slice(0, -1).every((p) => p.nodes.length === limit && p.hasNextPage)).toBe(true);
            const edges = paged.pages.flatMap((p) => p.edges.map((e) => [e.source, e.target].sort().join(' ')));
            expect(edges.sort()).toEqual([...want.edges].sort());
            // each node after the first is joined to one returned before it, on its own page
            const order = new Map(nodes.map((n, i) => [n.id, i]));
            for (const p of paged.pages)
              for (const n of p.nodes.filter((x) => order.get(x.id) !== 0))
                expect(
                  p.edges.some(
                    (e) =>
                      (e.target === n.id && order.get(e.source)! < order.get(n.id)!) ||
                      (e.source === n.id && order.get(e.target)! < order.get(n.id)!),
                  ),
                ).toBe(true);
            expect(paged.pages[paged.pages.length - 1].rest).toEqual(full.rest);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
