/**
 * Cluster summaries: built from scratch (split, reference) or maintained incrementally (growth, merge).
 * Everything is exact: integer fen, counts, and distinct victims (the victim overlap of a merge is computed by
 * the engine from LinkCluster.crossVictims).
 */
import type { ClusterSummary, SummaryFacts, TopIdentifier } from './types';

export function emptySummary(): ClusterSummary {
  return {
    reportCount: 0,
    victimCount: 0,
    lossFen: 0,
    byFraudType: {},
    byRegion: {},
    byChannel: {},
    byPaymentMethod: {},
    topIdentifiers: [],
  };
}

/** A value used as an object key in a summary must be storable as a MongoDB/FerretDB field name. */
export function assertStorableKey(what: string, value: string): void {
  if (value === '' || value.includes('.') || value.startsWith('$') || value.includes('\0')) {
    throw new Error(`${what} "${value}" cannot be a summary key (empty, '.', leading '$' or NUL)`);
  }
}

export function validateFacts(f: SummaryFacts): void {
  if (!Number.isSafeInteger(f.lossFen) || f.lossFen < 0) throw new Error(`lossFen must be a non-negative safe integer`);
  if (f.victimKey === '') throw new Error('victimKey is empty (leave it out for a report that is its own victim)');
  assertStorableKey('fraudType', f.fraudType);
  assertStorableKey('regionCode', f.regionCode);
  assertStorableKey('channel', f.channel);
  assertStorableKey('paymentMethod', f.paymentMethod);
  if (Number.isNaN(Date.parse(f.occurredAt))) throw new Error(`occurredAt is not a date: ${f.occurredAt}`);
}

function inc(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

function addLoss(a: number, b: number): number {
  const s = a + b;
  if (!Number.isSafeInteger(s)) throw new Error('cluster loss exceeds the exact integer range');
  return s;
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** Adds one report's facts; victimCount is the caller's business (it needs the victim's other reports). */
export function addFacts(s: ClusterSummary, f: SummaryFacts): void {
  s.reportCount++;
  s.lossFen = addLoss(s.lossFen, f.lossFen);
  inc(s.byFraudType, f.fraudType);
  inc(s.byRegion, f.regionCode);
  inc(s.byChannel, f.channel);
  inc(s.byPaymentMethod, f.paymentMethod);
  const first = earlier(s.firstReportAt, f.occurredAt);
  const last = later(s.lastReportAt, f.occurredAt);
  if (first !== undefined) s.firstReportAt = first;
  if (last !== undefined) s.lastReportAt = last;
}

/** Order of topIdentifiers: degree descending, then key ascending. */
export function compareTop(a: TopIdentifier, b: TopIdentifier): number {
  if (a.degree !== b.degree) return b.degree - a.degree;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * The top n of the candidates (a later entry for the same key replaces an earlier one: callers append fresh
 * degrees after the stored ones).
 */
export function topN(candidates: readonly TopIdentifier[], n: number): TopIdentifier[] {
  const byKey = new Map<string, number>();
  for (const c of candidates) byKey.set(c.key, c.degree);
  return [...byKey.entries()]
    .map(([key, degree]) => ({ key, degree }))
    .sort(compareTop)
    .slice(0, n);
}

/** a ⊕ b for disjoint clusters; `victimOverlap` = victims with reports in both. */
export function mergeSummaries(a: ClusterSummary, b: ClusterSummary, victimOverlap: number, n: number): ClusterSummary {
  const out: ClusterSummary = {
    reportCount: a.reportCount + b.reportCount,
    victimCount: a.victimCount + b.victimCount - victimOverlap,
    lossFen: addLoss(a.lossFen, b.lossFen),
    byFraudType: { ...a.byFraudType },
    byRegion: { ...a.byRegion },
    byChannel: { ...a.byChannel },
    byPaymentMethod: { ...a.byPaymentMethod },
    topIdentifiers: topN([...a.topIdentifiers, ...b.topIdentifiers], n),
  };
  for (const [k, v] of Object.entries(b.byFraudType)) inc(out.byFraudType, k, v);
  for (const [k, v] of Object.entries(b.byRegion)) inc(out.byRegion, k, v);
  for (const [k, v] of Object.entries(b.byChannel)) inc(out.byChannel, k, v);
  for (const [k, v] of Object.entries(b.byPaymentMethod)) inc(out.byPaymentMethod, k, v);
  const first = earlier(a.firstReportAt, b.firstReportAt);
  const last = later(a.lastReportAt, b.lastReportAt);
  if (first !== undefined) out.firstReportAt = first;
  if (last !== undefined) out.lastReportAt = last;
  return out;
}

/** From scratch: the members' facts and the linkable identifiers of the cluster with their degrees. */
export function summarize(
  facts: readonly SummaryFacts[],
  linkable: readonly TopIdentifier[],
  n: number,
): ClusterSummary {
  const s = emptySummary();
  const victims = new Set<string>();
  let ownVictims = 0;
  for (const f of facts) {
    addFacts(s, f);
    if (f.victimKey === undefined) ownVictims++;
    else victims.add(f.victimKey);
  }
  s.victimCount = victims.size + ownVictims;
  s.topIdentifiers = topN(linkable, n);
  return s;
}
