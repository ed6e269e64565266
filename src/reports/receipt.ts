import { formatTrackingCode } from './tracking-code';
import type { ReportRecord } from './reports.repository';
import { ReportReceipt } from './models/report.models';
import { IdentifierKind } from './enums';

/** The receipt of a stored report (also what a replayed clientRequestId returns). */
export function receiptOf(
  report: Pick<ReportRecord, 'trackingCode' | 'status' | 'identifiers' | 'warnings'>,
): ReportReceipt {
  return {
    trackingCode: formatTrackingCode(report.trackingCode ?? ''),
    status: report.status,
    identifiers: report.identifiers.map((i) => ({
      kind: i.kind as IdentifierKind,
      value: i.value,
      display: i.display,
    })),
    warnings: report.warnings ?? [],
  };
}
