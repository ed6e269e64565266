import { Injectable } from '@nestjs/common';
import { CaseAccess } from '../cases/case-access';
import { LinkLoaderFactory } from '../linking/link-loaders';
import { FraudType } from '../reference/enums';
import { ReportStatus } from '../reports/enums';
import { PublicReportStatus, PublicTimelineEntry } from '../reports/models/report.models';
import { ReportsRepository } from '../reports/reports.repository';
import { formatTrackingCode, parseTrackingCode } from '../reports/tracking-code';

/**
 * `reportStatus`: `_id` reads only: the tracking code, the report, and the report's cluster in the linking
 * store, and the report's case claim. States mean what a reader would take them to mean: RECEIVED once stored;
 * LINKED while the report is in a cluster with at least one other report (a report alone in its cluster is not
 * "linked" to anything); CASE_OPENED once it is in a case; CLOSED once that case is closed.
 * Only the public timeline leaves: no investigator, no other victim, no identifier, no narrative, no cluster
 * id. A malformed code (bad check symbol) is answered null without touching the store.
 */
@Injectable()
export class ReportStatusService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly links: LinkLoaderFactory,
    private readonly cases: CaseAccess,
  ) {}

  async status(trackingCode: string): Promise<PublicReportStatus | null> {
    const code = parseTrackingCode(trackingCode);
    if (!code) return null;
    const entry = await this.repo.findTrackingCode(code);
    if (!entry) return null;
    const report = await this.repo.findReport(entry.reportId);
    if (!report) return null; // claimed but not yet written
    const timeline: PublicTimelineEntry[] = [{ status: ReportStatus.RECEIVED, at: report.createdAt }];
    const cluster = await this.links.for(undefined).clusterOfReport(report._id);
    if (cluster && cluster.size > 1) timeline.push({ status: ReportStatus.LINKED, at: null });
    const inCase = await this.cases.caseOfReport(report._id);
    if (inCase) timeline.push({ status: ReportStatus.CASE_OPENED, at: inCase.caseAt });
    if (inCase?.closedAt) timeline.push({ status: ReportStatus.CLOSED, at: inCase.closedAt });
    return {
      trackingCode: formatTrackingCode(code),
      status: timeline[timeline.length - 1].status,
      receivedAt: report.createdAt,
      fraudType: report.fraudType as FraudType,
      timeline,
    };
  }
}
