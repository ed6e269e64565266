import { Injectable } from '@nestjs/common';
import { ReportIndexer } from './report-indexer.service';
import { IndexableReport, ReportRecord, ReportsRepository } from './reports.repository';

/** What the bulk import (src/imports) may do with reports: index and insert a batch. */
@Injectable()
export class ImportedReportsService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly indexer: ReportIndexer,
  ) {}

  /**
   * Indexes a batch, then inserts it (AWAITING_LINKING). Indexing first is what makes a re-import or an
   * interrupted import safe: the counting claims are keyed by the deterministic report ids, so a report
   * indexed by a run that died before inserting it is counted once, and re-importing only re-claims.
   */
  async indexAndInsert(docs: ReportRecord[]): Promise<{ inserted: number; duplicates: number }> {
    await this.indexer.indexBatch(docs as IndexableReport[], new Date(), false);
    const dup = await this.repo.insertReports(docs);
    return { inserted: docs.length - dup.size, duplicates: dup.size };
  }
}
