import { Injectable, Logger } from '@nestjs/common';
import { IdentifierQueryService } from '../linking/identifier-query.service';
import { reporterContactAad } from '../reports/report.schema';
import { ReportsRepository } from '../reports/reports.repository';
import { ReporterNoticeDoc, ReporterNoticeEvent } from './reporter-notice.schema';
import { ReporterNoticesRepository } from './reporter-notices.repository';

/**
 * Reports read for one identifier's notices. An identifier carried by more reports than this is a hub or a
 * warninglisted value (an official number): the first NOTICE_MAX_REPORTS to be linked are noticed, the rest
 * are not (logged).
 */
export const NOTICE_MAX_REPORTS = 5_000;

/**
 * Notices to reporters: when an identifier they gave is confirmed or frozen, every reporter who left a contact
 * gets a notice, queued (`reporter_notices`, status QUEUED) until the alerts feature delivers it. The contact
 * stays sealed here.
 */
@Injectable()
export class ReporterNoticesService {
  private readonly logger = new Logger(ReporterNoticesService.name);

  constructor(
    private readonly identifiers: IdentifierQueryService,
    private readonly reports: ReportsRepository,
    private readonly repo: ReporterNoticesRepository,
  ) {}

  /**
   * Records a notice for every report carrying the identifier `key` (a linking key, e.g.
   * `BANK_ACCOUNT:6222…`) whose reporter left a contact; idempotent per (report, event, ref). Reads the
   * linking store by primary key only (the identifier's member pages), so a report still waiting to be linked
   * and a report the identifier was detached from are not among them. Returns how many notices are new.
   */
  async forIdentifier(key: string, event: ReporterNoticeEvent, ref: string): Promise<number> {
    if (!ref) throw new Error('a reporter notice needs a ref');
    const reportIds = await this.identifiers.carrierIds(key, NOTICE_MAX_REPORTS);
    if (reportIds.length >= NOTICE_MAX_REPORTS)
      this.logger.warn({ key, event, ref }, `only the first ${NOTICE_MAX_REPORTS} reports are noticed`);
    const createdAt = new Date();
    const docs: ReporterNoticeDoc[] = [];
    for (const r of await this.reports.findSealedContacts([...new Set(reportIds)])) {
      if (!r.reporterContactEnc) continue;
      docs.push({
        _id: `rn:${r._id}:${event}:${ref}`,
        status: 'QUEUED',
        reportId: r._id,
        ...(r.trackingCode ? { trackingCode: r.trackingCode } : {}),
        event,
        ref,
        identifierKey: key,
        contactEnc: r.reporterContactEnc,
        contactAad: reporterContactAad(r._id),
        createdAt,
      });
    }
    return docs.length ? this.repo.insertNew(docs) : 0;
  }
}
