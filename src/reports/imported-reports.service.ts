import { Injectable } from '@nestjs/common';
import { LinkingService } from '../linking/linking.service';
import { ReportIndexer } from './report-indexer.service';
import { ReportRecord, ReportsRepository } from './reports.repository';

/** What the bulk import (src/imports) may do with reports: index and insert a batch. */
@Injectable()
export class ImportedReportsService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly indexer: ReportIndexer,
    private readonly linking: LinkingService,
  ) {}

  /**
   * Indexes a batch, then inserts it (AWAITING_LINKING). Indexing first is what makes a re-import or an
   * interrupted import safe: the counting claims are keyed by the deterministic report ids, so a report
   * indexed by a run that died before inserting it is counted once, and re-importing only re-claims.
   */
  async indexAndInsert(docs: ReportRecord[]): Promise<{ inserted: number; duplicates: number }> {
    await this.indexer.indexBatch(docs, new Date(), false);
    const dup = await this.repo.insertReports(docs);
    const fresh = docs.filter((_, i) => !dup.has(i));
    // the hand-off to linking, in bulk (holds of LINK_BATCH_SIZE, no per-report job): the whole batch, so a
    // re-run completes what an interrupted import inserted but did not link (linking a linked report is a no-op)
    await this.linking.linkNow(
      docs.map((d) => d._id),
      `import:${docs[0]?.source ?? ''}`,
      {
        neverLinked: new Set(fresh.map((d) => d._id)),
        // only the documents this insert wrote: for a duplicate (also a second row with the same id in this
        // batch) the stored document is read, not this row
        records: new Map(fresh.map((d) => [d._id, d])),
      },
    );
    return { inserted: docs.length - dup.size, duplicates: dup.size };
  }
}
