import type { BufferedLinkStore } from './buffered-link-store';
import type { LinkCluster, LinkIdentifier, NewLinkReport } from './engine';

/**
 * Warms a hold's cache with what `addReport` will read for `inputs` (identifiers, victims, the identifiers'
 * clusters along their alias chains, the tail pages of both), in a few rounds of parallel primary-key reads.
 */
export async function prefetchForReports(store: BufferedLinkStore, inputs: readonly NewLinkReport[]): Promise<void> {
  if (inputs.length === 0) return;
  const keys = [...new Set(inputs.flatMap((i) => i.identifierKeys))];
  await Promise.all([store.prefetch('identifiers', keys), store.prefetch('victims', victimKeysOf(inputs))]);
  const idents = keys
    .map((k) => store.inspect<LinkIdentifier>('identifiers', k))
    .filter((i): i is LinkIdentifier => !!i);
  const roots = await prefetchClusterChains(
    store,
    idents.map((i) => i.clusterId).filter((c): c is string => !!c),
  );
  const tails = [...idents.map((i) => i.memberPages), ...roots.map((c) => c.memberPages)]
    .map((pages) => pages[pages.length - 1])
    .filter((p): p is string => !!p);
  await store.prefetch('pages', tails);
}

/**
 * Warms the cache with clusters and the alias chains of merged ones (up to 8 hops, one round of parallel
 * primary-key reads per hop); returns the roots reached.
 */
export async function prefetchClusterChains(store: BufferedLinkStore, ids: readonly string[]): Promise<LinkCluster[]> {
  const roots: LinkCluster[] = [];
  let next = [...new Set(ids)];
  for (let hop = 0; hop < 8 && next.length > 0; hop++) {
    await store.prefetch('clusters', next);
    const merged: string[] = [];
    for (const id of next) {
      const c = store.inspect<LinkCluster>('clusters', id);
      if (c?.mergedInto) merged.push(c.mergedInto);
      else if (c) roots.push(c);
    }
    next = merged;
  }
  return roots;
}

/** The victims with a key of their own (a report without one is its own victim: no document). */
export function victimKeysOf(inputs: readonly NewLinkReport[]): string[] {
  return inputs.map((i) => i.summaryFacts.victimKey).filter((v): v is string => v !== undefined);
}
