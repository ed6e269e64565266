import { Injectable } from '@nestjs/common';
import { LinkLoaderFactory } from '../linking/link-loaders';
import { LinkableReportRecord, LinkedReportsRepository } from '../reports/linked-reports.repository';
import { mapLimit } from '../store/map-limit';
import type { CaseDoc } from './case.schema';
import { priorityOf } from './case-rules';

/** Reports whose clusters are read for a case's priority (the rest count for loss and regions only). */
const CLUSTER_READS = 200;

/**
 * What a case derives from its reports and their clusters: regions, fraud types, total loss, an elderly victim,
 * the clusters with their sizes, and the computed priority. Recomputed when the case's reports change (open,
 * add, merge), not on every write: a transition reads no report.
 */
@Injectable()
export class CaseFactsService {
  constructor(
    private readonly reports: LinkedReportsRepository,
    private readonly links: LinkLoaderFactory,
  ) {}

  loadReports(ids: readonly string[]): Promise<(LinkableReportRecord | undefined)[]> {
    return this.reports.findMany(ids);
  }

  async derive(
    doc: Pick<CaseDoc, 'reportIds'>,
    reports: readonly LinkableReportRecord[],
  ): Promise<
    Pick<CaseDoc, 'regionCodes' | 'fraudTypes' | 'lossFen' | 'elderlyVictim' | 'clusterSizes' | 'computedPriority'>
  > {
    const L = this.links.for(undefined);
    const clusters = await mapLimit(doc.reportIds.slice(0, CLUSTER_READS), 16, (id) => L.clusterOfReport(id));
    const clusterSizes: Record<string, number> = {};
    for (const c of clusters) if (c && c.size > 0) clusterSizes[c._id] = c.size;
    const ids = Object.keys(clusterSizes);
    const growth = ids.length ? await L.growth.loadMany(ids) : [];
    const recentGrowth = Math.max(0, ...growth.map((g) => (typeof g === 'number' ? g : 0)));
    const lossFen = reports.reduce((a, r) => a + (r.lossFen ?? 0), 0);
    const elderlyVictim = reports.some((r) => r.victimAgeBand === 'AGE_60_PLUS');
    return {
      regionCodes: [...new Set(reports.map((r) => r.regionCode))].sort(),
      fraudTypes: [...new Set(reports.map((r) => r.fraudType))].sort(),
      lossFen,
      elderlyVictim,
      clusterSizes,
      computedPriority: priorityOf({
        lossFen,
        elderlyVictim,
        largestCluster: Math.max(0, ...Object.values(clusterSizes)),
        recentGrowth,
      }),
    };
  }
}
