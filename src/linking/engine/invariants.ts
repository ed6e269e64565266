/**
 * Deep consistency check of every stored document against values recomputed from scratch. Needs full scans of
 * all collections, so it takes the InMemoryLinkStore (tests, the bench); `verifyStore` is the partition check
 * that runs on any store. Returns human-readable violations (empty = consistent).
 *
 * Checked:
 * 1. every report's clusterId resolves to a live root; explicit links are symmetric and between stored reports;
 * 2. every identifier carried by a report exists; degree = number of reports carrying it; its pages list
 *    exactly those reports, once each; stored status = status recomputed from degree/policy/cap/warninglist;
 * 3. a linkable identifier with degree > 0 has a clusterId resolving to the root of every report carrying it;
 *    any other identifier has no clusterId;
 * 4. a live root's pages list exactly the reports resolving to it, once each; size = that count; no page is
 *    empty or over pageSize; adjacent pages hold more than pageSize items together;
 * 5. every page is owned by exactly one list (no orphans, no sharing);
 * 6. aliases and dead clusters hold no pages, size 0; a dead cluster names splitInto;
 * 7. the summary equals the summary recomputed from the members (exact loss, distinct victims, counts by type,
 *    region, channel and payment method, first/last, top identifiers);
 * 8. crossVictims = the members' victims that have a report in another cluster; victim documents list exactly
 *    the reports of that victim.
 */
import type { LinkingEngine } from './engine';
import type { InMemoryLinkStore } from './store';
import { summarize } from './summary';
import type { LinkCluster, TopIdentifier } from './types';

export function checkInvariants(store: InMemoryLinkStore, engine: LinkingEngine): string[] {
  const v: string[] = [];
  const pageSize = engine.lists.pageSize;
  const rootOf = (id: string): LinkCluster | undefined => {
    let c = store.clusters.get(id);
    let hops = 0;
    while (c?.mergedInto !== undefined && hops++ < 100_000) c = store.clusters.get(c.mergedInto);
    return c;
  };
  const pageOwner = new Map<string, string>();
  const ownPages = (owner: string, pages: readonly string[]) => {
    for (const p of pages) {
      const prev = pageOwner.get(p);
      if (prev !== undefined) v.push(`page ${p} owned by ${prev} and ${owner}`);
      pageOwner.set(p, owner);
      if (!store.pages.has(p)) v.push(`${owner} lists missing page ${p}`);
    }
  };
  const listItems = (pages: readonly string[]) => pages.flatMap((p) => store.pages.get(p)?.items ?? []);

  // 1
  const reportRoot = new Map<string, string>();
  const carriers = new Map<string, string[]>();
  const victimReports = new Map<string, string[]>();
  for (const r of store.reports.values()) {
    const root = rootOf(r.clusterId);
    if (!root) v.push(`report ${r._id}: cluster ${r.clusterId} does not resolve`);
    else if (root.dead) v.push(`report ${r._id}: cluster ${r.clusterId} resolves to dead ${root._id}`);
    else reportRoot.set(r._id, root._id);
    if (new Set(r.identifierKeys).size !== r.identifierKeys.length) v.push(`report ${r._id}: duplicate keys`);
    for (const k of r.identifierKeys) {
      if (r.detachedKeys.includes(k)) v.push(`report ${r._id}: ${k} both attached and detached`);
      const l = carriers.get(k);
      if (l) l.push(r._id);
      else carriers.set(k, [r._id]);
    }
    for (const o of r.explicitLinks) {
      if (!store.reports.get(o)?.explicitLinks.includes(r._id)) v.push(`link ${r._id}→${o} not symmetric`);
    }
    const vk = r.summaryFacts.victimKey;
    if (vk !== undefined) {
      const vl = victimReports.get(vk);
      if (vl) vl.push(r._id);
      else victimReports.set(vk, [r._id]);
    }
  }

  // 2, 3
  const linkableOfRoot = new Map<string, TopIdentifier[]>();
  for (const [k, list] of carriers)
    if (!store.identifiers.has(k)) v.push(`identifier ${k} missing (carried by ${list.length})`);
  for (const i of store.identifiers.values()) {
    const carried = carriers.get(i._id) ?? [];
    if (i.degree !== carried.length) v.push(`identifier ${i._id}: degree ${i.degree} != ${carried.length}`);
    ownPages(`identifier ${i._id}`, i.memberPages);
    const items = listItems(i.memberPages);
    if (
      items.length !== carried.length ||
      new Set(items).size !== items.length ||
      !carried.every((r) => items.includes(r))
    ) {
      v.push(`identifier ${i._id}: pages [${items.join(',')}] != carriers [${carried.join(',')}]`);
    }
    if (i.memberPages.some((p) => (store.pages.get(p)?.items.length ?? 0) === 0))
      v.push(`identifier ${i._id}: empty page`);
    const status = engine.statusOf(i);
    if (i.status !== status) v.push(`identifier ${i._id}: status ${i.status} != ${status}`);
    if (engine.isLinkable(i) && i.degree > 0) {
      const root = i.clusterId === undefined ? undefined : rootOf(i.clusterId);
      if (!root) v.push(`identifier ${i._id}: linkable without a resolvable clusterId`);
      else {
        for (const r of carried) {
          if (reportRoot.get(r) !== root._id) v.push(`identifier ${i._id}: report ${r} not in its cluster ${root._id}`);
        }
        const l = linkableOfRoot.get(root._id) ?? [];
        l.push({ key: i._id, degree: i.degree });
        linkableOfRoot.set(root._id, l);
      }
    } else if (i.clusterId !== undefined) {
      v.push(`identifier ${i._id} (${status}, degree ${i.degree}) has clusterId ${i.clusterId}`);
    }
  }

  // 4, 6, 7, 8
  const membersOf = new Map<string, string[]>();
  for (const [r, c] of reportRoot) {
    const l = membersOf.get(c);
    if (l) l.push(r);
    else membersOf.set(c, [r]);
  }
  for (const c of store.clusters.values()) {
    if (c.mergedInto !== undefined || c.dead) {
      if (c.size !== 0 || c.memberPages.length > 0) v.push(`cluster ${c._id}: alias/dead with members`);
      if (c.dead && !(c.splitInto && c.splitInto.length > 1)) v.push(`cluster ${c._id}: dead without splitInto`);
      if (c.mergedInto !== undefined && c.dead) v.push(`cluster ${c._id}: both alias and dead`);
      continue;
    }
    ownPages(`cluster ${c._id}`, c.memberPages);
    const members = membersOf.get(c._id) ?? [];
    const items = listItems(c.memberPages);
    const memberSet = new Set(members);
    if (
      items.length !== members.length ||
      new Set(items).size !== items.length ||
      !items.every((x) => memberSet.has(x))
    ) {
      v.push(`cluster ${c._id}: pages [${items.join(',')}] != members [${members.join(',')}]`);
    }
    if (c.size !== members.length) v.push(`cluster ${c._id}: size ${c.size} != ${members.length}`);
    const lens = c.memberPages.map((p) => store.pages.get(p)?.items.length ?? 0);
    if (lens.some((n) => n === 0 || n > pageSize)) v.push(`cluster ${c._id}: page sizes ${lens.join(',')}`);
    for (let j = 1; j < lens.length; j++) {
      if (lens[j - 1] + lens[j] <= pageSize) v.push(`cluster ${c._id}: adjacent pages ${lens.join(',')} could be one`);
    }
    if (members.length === 0) continue;
    const expected = summarize(
      members.map((r) => store.reports.get(r)!.summaryFacts),
      linkableOfRoot.get(c._id) ?? [],
      engine.topCount,
    );
    const norm = (o: unknown) =>
      JSON.stringify(o, (_k, val: unknown) =>
        val && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort()) : val,
      );
    if (norm(c.summary) !== norm(expected)) v.push(`cluster ${c._id}: summary ${norm(c.summary)} != ${norm(expected)}`);
    const cross = new Set<string>();
    for (const r of members) {
      const vk = store.reports.get(r)!.summaryFacts.victimKey;
      if (vk !== undefined && (victimReports.get(vk) ?? []).some((o) => reportRoot.get(o) !== c._id)) cross.add(vk);
    }
    const stored = new Set(c.crossVictims);
    if (stored.size !== c.crossVictims.length || stored.size !== cross.size || [...cross].some((x) => !stored.has(x))) {
      v.push(`cluster ${c._id}: crossVictims [${c.crossVictims.join(',')}] != [${[...cross].join(',')}]`);
    }
  }
  for (const [vk, doc] of store.victims) {
    const actual = victimReports.get(vk) ?? [];
    if (doc.reportIds.length !== actual.length || !actual.every((r) => doc.reportIds.includes(r))) {
      v.push(`victim ${vk}: [${doc.reportIds.join(',')}] != [${actual.join(',')}]`);
    }
  }
  // 5
  for (const p of store.pages.keys()) if (!pageOwner.has(p)) v.push(`orphan page ${p}`);
  return v;
}
