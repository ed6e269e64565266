import { ALL_UNITS, scopeFor } from '../auth/scope';
import { Role } from '../auth/roles';
import { clusterVisible, regionsVisible, reportVisible, withSharedRegions } from './link-scope';

const dg01 = scopeFor({ roles: [Role.INVESTIGATOR], unitCodes: ['DG01'] });
const cluster = (byRegion: Record<string, number>) =>
  ({ summary: { byRegion } }) as Parameters<typeof clusterVisible>[1];

describe('link scope', () => {
  it('a cluster of imported reports only is shared; one holding another unit’s reports is not', () => {
    expect(clusterVisible(dg01, cluster({ EXTERNAL: 3 }))).toBe(true);
    expect(clusterVisible(dg01, cluster({ EXTERNAL: 3, DG02: 1 }))).toBe(false);
    expect(clusterVisible(dg01, cluster({ EXTERNAL: 3, DG01: 1 }))).toBe(true);
    expect(clusterVisible(dg01, cluster({ DG01: 0, DG02: 2 }))).toBe(false);
    expect(clusterVisible(ALL_UNITS, cluster({ DG02: 2 }))).toBe(true);
    expect(regionsVisible(dg01, [])).toBe(false);
  });

  it('an imported report is readable; another unit’s report only through a visible cluster', () => {
    expect(reportVisible(dg01, 'EXTERNAL', cluster({ EXTERNAL: 1, DG02: 1 }))).toBe(true);
    expect(reportVisible(dg01, 'DG02', cluster({ DG02: 1 }))).toBe(false);
    expect(reportVisible(dg01, 'DG02', cluster({ DG02: 1, DG01: 1 }))).toBe(true);
    expect(reportVisible(dg01, 'DG02', undefined)).toBe(false);
  });

  it('staff report lists add the shared regions to a unit scope', () => {
    expect(withSharedRegions(dg01)).toEqual({ kind: 'UNITS', unitCodes: ['DG01', 'EXTERNAL'] });
    expect(withSharedRegions(ALL_UNITS)).toBe(ALL_UNITS);
  });
});
