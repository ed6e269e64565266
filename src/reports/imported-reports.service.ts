import { Injectable } from '@nestjs/common';
import { ReportIndexer } from './report-indexer.service';
import { IndexableReport, ReportRecord, ReportsRepository } from './reports.repository';

/** What the bulk import (src/imports) may do with reports: insert batches, then index what is pending. */
@Injectable()
export class ImportedReportsService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly indexer: ReportIndexer,
  ) {}

  /** Inserts a batch (linkState PENDING); returns how many were new and how many were already imported. */
  async insertBatch(docs: ReportRecord[]): Promise<{ inserted: number; duplicates: number }> {
    const dup = await this.repo.insertReports(docs);
    return { inserted: docs.length - dup.size, duplicates: dup.size };
  }

  /**
   * The deferred pass at the end of an import: streams the source's reports still PENDING (so an import that
   * was interrupted is completed by running it again) and indexes them in batches of `batch`.
   */
  async indexPending(source: string, batch = 1000, onProgress?: (n: number) => void): Promise<number> {
    let buf: IndexableReport[] = [];
    let done = 0;
    for await (const r of this.repo.pendingOfSource(source)) {
      buf.push(r);
      if (buf.length >= batch) {
        await this.indexer.indexBatch(buf);
        done += buf.length;
        onProgress?.(done);
        buf = [];
      }
    }
    if (buf.length) {
      await this.indexer.indexBatch(buf);
      done += buf.length;
      onProgress?.(done);
    }
    return done;
  }
}
