/**
 * Unit scoping of linked data (staff API):
 * - a CLUSTER is visible to a user when ANY of its reports was filed in one of the user's units (its summary's
 *   regions meet the user's unit codes): a ring that reaches into your town is yours to investigate, and you
 *   see the whole ring — that is what linking across units is for;
 * - a REPORT is visible when its cluster is visible (hence always when it was filed in one of your units);
 *   a report not linked yet is visible when it was filed in one of your units;
 * - ADMIN sees everything; imported reports (region EXTERNAL) are therefore visible to investigators only
 *   through a cluster they share with a report of their units.
 * Reading something outside your units is FORBIDDEN (OUT_OF_UNIT), not "absent": the id was given to you by
 * a colleague or a notification, and saying so is more useful than a silent null. Lists simply leave it out.
 */
import { Scope, scopeAllows } from '../auth/scope';
import type { LinkCluster } from './engine';

export function clusterVisible(scope: Scope, cluster: Pick<LinkCluster, 'summary'>): boolean {
  return scopeAllows(scope, Object.keys(cluster.summary.byRegion));
}

export function reportVisible(
  scope: Scope,
  regionCode: string,
  cluster: Pick<LinkCluster, 'summary'> | undefined,
): boolean {
  if (scopeAllows(scope, [regionCode])) return true;
  return cluster !== undefined && clusterVisible(scope, cluster);
}
