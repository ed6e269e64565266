/**
 * The linking rules, shared by the incremental engine and the from-scratch reference so that both read the
 * same semantics:
 * - WARNINGLISTED wins over everything, including ALWAYS (the warninglist holds official numbers and platform
 *   domains that must never link; an investigator who needs two such reports together uses an explicit link);
 * - NEVER never links;
 * - ALWAYS links whatever the degree;
 * - DEFAULT links while degree ≤ the kind's cap, above it the identifier is a HUB.
 */
import type { IdentifierStatus, LinkPolicy } from './types';

/** Degree caps by identifier kind (e.g. DEFAULT_DEGREE_CAPS from src/identifiers). */
export type DegreeCaps = Readonly<Record<string, number>>;

/** The kind part of an identifier key `${kind}:${value}`. */
export function kindOfKey(key: string): string {
  const i = key.indexOf(':');
  if (i <= 0) throw new Error(`not an identifier key: ${key}`);
  return key.slice(0, i);
}

export function capFor(caps: DegreeCaps, key: string): number {
  const kind = kindOfKey(key);
  const cap = caps[kind];
  if (cap === undefined) throw new Error(`no degree cap for identifier kind ${kind}`);
  return cap;
}

export function identifierStatus(
  s: { degree: number; policy: LinkPolicy; warninglisted: boolean },
  cap: number,
): IdentifierStatus {
  if (s.warninglisted) return 'WARNINGLISTED';
  if (s.policy === 'NEVER') return 'NEVER';
  if (s.policy !== 'ALWAYS' && s.degree > cap) return 'HUB';
  return 'ACTIVE';
}

export function isLinkableStatus(status: IdentifierStatus): boolean {
  return status === 'ACTIVE';
}

/**
 * The identifiers a rebuild knows will end above their degree cap (it has every report up front): those with
 * no judgement (DEFAULT) carried by more reports than their kind's cap. The engine never links through them on
 * the way there (LinkingEngineOptions.endsAboveCap), so the clusters they would have joined are not split
 * again when they cross it — the same partition, without the splits (which dominated a large rebuild's engine
 * time and left dead clusters to write).
 */
export function endsAboveCap(
  reports: readonly { identifierKeys: readonly string[] }[],
  policies: readonly { _id: string }[],
  caps: DegreeCaps,
): Set<string> {
  const degree = new Map<string, number>();
  for (const r of reports) for (const k of new Set(r.identifierKeys)) degree.set(k, (degree.get(k) ?? 0) + 1);
  const judged = new Set(policies.map((p) => p._id));
  const out = new Set<string>();
  for (const [k, d] of degree) if (!judged.has(k) && d > capFor(caps, k)) out.add(k);
  return out;
}
