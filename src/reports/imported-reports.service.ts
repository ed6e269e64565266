import { Injectable } from '@nestjs/common';
import { LinkHold, LinkingService, SCAN_EXISTING_FROM } from '../linking/linking.service';
import { ReclusterService } from '../linking/recluster.service';
import { ReportIndexer } from './report-indexer.service';
import { ReportRecord, ReportsRepository } from './reports.repository';

/**
 * Reports linked per hold of the linking lock at the end of an import: a hold's fixed costs (journal commit,
 * events) and the documents many of its reports share (clusters, member pages, identifiers) are paid once per
 * hold. A hold keeps judgements waiting for its duration (a few seconds to tens of seconds on the embedded store).
 */
export const IMPORT_LINK_HOLD = 2_000;
/**
 * The most stored reports an import's first-data rebuild takes on (ReclusterService.linkFirstData): the
 * rebuild links every stored report, holding the whole link store in memory, 2–3 KB per report, so about
 * 600 MB here (791 MiB peak RSS for the 100,000-report bench). A store with more links in holds like any other.
 */
export const IMPORT_REBUILD_MAX = 200_000;

/** What the bulk import (src/imports) may do with reports: index and insert a batch. */
@Injectable()
export class ImportedReportsService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly indexer: ReportIndexer,
    private readonly linking: LinkingService,
    private readonly rebuild: ReclusterService,
  ) {}

  /**
   * Indexes a batch, then inserts it (AWAITING_LINKING). Indexing first is what makes a re-import or an
   * interrupted import safe: the counting claims are keyed by the deterministic report ids, so a report
   * indexed by a run that died before inserting it is counted once, and re-importing only re-claims.
   * Returns the documents this insert wrote (`fresh`: not the duplicates, nor a second row with the same id).
   */
  async indexAndInsert(docs: ReportRecord[]): Promise<{ inserted: number; duplicates: number; fresh: ReportRecord[] }> {
    await this.indexer.indexBatch(docs, new Date(), false);
    const dup = await this.repo.insertReports(docs);
    const fresh = docs.filter((_, i) => !dup.has(i));
    return { inserted: docs.length - dup.size, duplicates: dup.size, fresh };
  }

  /**
   * The hand-off to linking, once at the end of an import, in bulk (holds of IMPORT_LINK_HOLD reports, no
   * per-report job): every id the import read, duplicates included, so a re-run completes what an interrupted
   * import inserted but did not link (linking a linked report is a no-op). Each hold names the reports the
   * import inserted (never linked: their link documents are not looked for) with their stored fields (not
   * read again). `count`: how many ids the holds carry in all.
   *
   * An import that is the store's first data (nothing linked yet), in a store of at most IMPORT_REBUILD_MAX
   * reports once it is in, is linked by one rebuild instead (ReclusterService.linkFirstData: every link document written once, no
   * superseded versions, no cluster.updated events); the holds are then not read.
   */
  async link(
    holds: AsyncIterable<LinkHold>,
    count: number,
    source: string,
    onProgress?: (done: number) => void,
  ): Promise<number> {
    if (count <= IMPORT_REBUILD_MAX) {
      const rebuilt = await this.rebuild.linkFirstData(IMPORT_REBUILD_MAX, (phase, done) => {
        if (phase === 'link') onProgress?.(Math.min(done, count));
      });
      if (rebuilt) {
        onProgress?.(count);
        return count;
      }
    }
    return this.linking.linkHolds(holds, `import:${source}`, { large: count >= SCAN_EXISTING_FROM, onProgress });
  }
}
