import type { ComplexityEstimator } from '@nestjs/graphql';

/**
 * What reading a whole collection costs in the cost limit (complexity.plugin.ts): with GRAPHQL_MAX_COST's
 * default of 5,000 a request runs at most four scans. A scan costs the same whatever page is asked for — a
 * one-row page with its totalCount reads every document — so it is not multiplied by `first`.
 */
export const SCAN_COST = 1_000;

/**
 * The declared cost of a connection field: `first` (default `def`) times its selection, plus SCAN_COST when its
 * resolver scans for these arguments. Each field says beside it why it scans; a list moved onto an index read
 * drops its `scans` and costs its page only.
 */
export function connectionCost(
  def: number,
  scans: boolean | ((args: Record<string, unknown>) => boolean),
): ComplexityEstimator {
  return ({ args, childComplexity }) => {
    const first = typeof args.first === 'number' ? args.first : def;
    const scan = typeof scans === 'function' ? scans(args) : scans;
    return 1 + first * childComplexity + (scan ? SCAN_COST : 0);
  };
}

/**
 * A preview that runs a judgement on a scratch copy of the linking store (linkPolicyPreview, detachPreview):
 * primary-key reads of every member of the clusters concerned, bounded by their size, not a scan.
 */
export const PREVIEW_COST = 100;

/**
 * A bounded walk by primary key whose size the arguments do not say: explainLink's breadth-first search (up to
 * 10,000 reports and identifiers).
 */
export const WALK_COST = 100;

/** An identifier's visibility or clusters when it is a hub: the clusters of up to 1,000 carriers, by primary key. */
export const CARRIERS_COST = 50;
