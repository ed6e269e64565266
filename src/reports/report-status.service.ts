import { Injectable } from '@nestjs/common';
import { FraudType } from '../reference/enums';
import { ReportStatus } from './enums';
import { PublicReportStatus, PublicTimelineEntry } from './models/report.models';
import { ReportsRepository } from './reports.repository';
import { formatTrackingCode, parseTrackingCode } from './tracking-code';

/**
 * `reportStatus`: `_id` reads only: the tracking code, the report and its hand-off record. Only the public timeline leaves:
 * no investigator, no other victim, no identifier, no narrative. A malformed code (bad check symbol) is
 * answered null without touching the store.
 */
@Injectable()
export class ReportStatusService {
  constructor(private readonly repo: ReportsRepository) {}

  async status(trackingCode: string): Promise<PublicReportStatus | null> {
    const code = parseTrackingCode(trackingCode);
    if (!code) return null;
    const entry = await this.repo.findTrackingCode(code);
    if (!entry) return null;
    const report = await this.repo.findReport(entry.reportId);
    if (!report) return null; // claimed but not yet written
    const timeline: PublicTimelineEntry[] = [{ status: ReportStatus.RECEIVED, at: report.createdAt }];
    // handed to linking = under review; the linking and cases issues add LINKED and CLOSED
    const handOff =
      report.linkState === 'AWAITING_LINKING' ? { at: report.createdAt } : await this.repo.findHandOff(report._id);
    if (handOff) timeline.push({ status: ReportStatus.UNDER_REVIEW, at: handOff.at });
    return {
      trackingCode: formatTrackingCode(code),
      status: timeline[timeline.length - 1].status,
      receivedAt: report.createdAt,
      fraudType: report.fraudType as FraudType,
      timeline,
    };
  }
}
