import type { VerifyOutcome } from '../../src/linking/recluster.service';

/**
 * What `ReclusterService.verify()` found wrong, in the shape the linking specs compare with `NO_FINDINGS` (a
 * failure then lists every difference, violation, unlinked report and hub mismatch).
 */
export function verifyFindings(v: VerifyOutcome) {
  return { differences: v.differences, violations: v.violations, unlinked: v.unlinked, hubs: v.hubMismatches };
}

export const NO_FINDINGS = { differences: [], violations: [], unlinked: [], hubs: [] };
