/**
 * Unit scoping of linked data (staff API):
 * - a CLUSTER is visible to a user when ANY of its reports was filed in one of the user's units (its summary's
 *   regions meet the user's unit codes): a ring that reaches into your town is yours to investigate, and you
 *   see the whole ring, its imported members included — that is what linking across units is for;
 * - SHARED INTELLIGENCE: reports imported from open lists (FTC, 165, EtherScamDB; region EXTERNAL) belong to no
 *   unit and are readable by every investigator, and so is a cluster made of them only. A cluster that also
 *   holds a unit's reports is that unit's case data: other units do not see it (nor its id) through its
 *   imported members;
 * - a REPORT is visible when it was filed in one of your units or is shared, or when its cluster is visible;
 * - ADMIN sees everything.
 * Reading something outside your units is FORBIDDEN (OUT_OF_UNIT), not "absent": the id was given to you by
 * a colleague or a notification, and saying so is more useful than a silent null. Lists and graphs leave it
 * out (a graph counts it in its neighbours' hiddenNeighbourCount).
 */
import { Scope, scopeAllows } from '../auth/scope';
import { EXTERNAL_REGION } from '../imports/import-row';
import type { LinkCluster } from './engine';

/** Regions whose reports are shared intelligence rather than a unit's case data. */
export const SHARED_REGIONS: readonly string[] = [EXTERNAL_REGION];

export function isSharedRegion(regionCode: string): boolean {
  return SHARED_REGIONS.includes(regionCode);
}

/** True when reports of `regionCodes` make a cluster (or an event about it) visible in `scope`. */
export function regionsVisible(scope: Scope, regionCodes: readonly string[]): boolean {
  if (scopeAllows(scope, regionCodes)) return true;
  return regionCodes.length > 0 && regionCodes.every(isSharedRegion);
}

export function clusterVisible(scope: Scope, cluster: Pick<LinkCluster, 'summary'>): boolean {
  return regionsVisible(scope, clusterRegions(cluster));
}

/** The regions a cluster holds reports of. */
export function clusterRegions(cluster: Pick<LinkCluster, 'summary'>): string[] {
  return Object.entries(cluster.summary.byRegion)
    .filter(([, n]) => n > 0)
    .map(([r]) => r);
}

export function reportVisible(
  scope: Scope,
  regionCode: string,
  cluster: Pick<LinkCluster, 'summary'> | undefined,
): boolean {
  if (scopeAllows(scope, [regionCode]) || isSharedRegion(regionCode)) return true;
  return cluster !== undefined && clusterVisible(scope, cluster);
}

/** The scope of staff report lists: the user's units and the shared regions. */
export function withSharedRegions(scope: Scope): Scope {
  if (scope.kind === 'ALL') return scope;
  return Object.freeze({
    kind: 'UNITS' as const,
    unitCodes: Object.freeze([...new Set([...scope.unitCodes, ...SHARED_REGIONS])]),
  });
}
