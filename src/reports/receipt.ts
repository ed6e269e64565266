import { formatTrackingCode } from './tracking-code';
import type { ReportRecord } from './reports.repository';
import { ReportReceipt } from './models/report.models';
import { IdentifierKind } from './enums';
import { Language, legacyNotice, textOf } from './notices';

/** The receipt of a stored report (also what a replayed clientRequestId returns), texts in `lang`. */
export function receiptOf(
  report: Pick<ReportRecord, 'trackingCode' | 'status' | 'identifiers' | 'warnings' | 'notices'>,
  lang: Language,
): ReportReceipt {
  const notices = report.notices ?? (report.warnings ?? []).map(legacyNotice);
  return {
    trackingCode: formatTrackingCode(report.trackingCode ?? ''),
    status: report.status,
    identifiers: report.identifiers.map((i) => ({
      kind: i.kind as IdentifierKind,
      value: i.value,
      display: i.display,
    })),
    warnings: notices.map((n) => textOf(n, lang)),
    notices,
  };
}
