import { Injectable } from '@nestjs/common';
import { LinkHold, LinkingService, SCAN_EXISTING_FROM } from '../linking/linking.service';
import { ReclusterService } from '../linking/recluster.service';

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
/** An import's hand-off to linking (ImportService at the end of a run, ImportRecovery for a dead run). */
@Injectable()
export class ImportLinker {
  constructor(
    private readonly linking: LinkingService,
    private readonly rebuild: ReclusterService,
  ) {}

  /**
   * The hand-off to linking, once at the end of an import, in bulk (holds of IMPORT_LINK_HOLD reports, no
   * per-report job): every id the import read, duplicates included, so a re-run completes what an interrupted
   * import inserted but did not link (linking a linked report is a no-op). Each hold names the reports the
   * import inserted (never linked: their link documents are not looked for) with their stored fields (not
   * read again). `count`: how many ids the holds carry in all; `holds` can be read more than once.
   *
   * An import that is the store's first data (nothing linked yet), of at most IMPORT_REBUILD_MAX reports, is
   * linked by one rebuild instead (ReclusterService.linkFirstData: every link document written once, no
   * superseded versions, no cluster.updated events), from the same holds.
   */
  async link(
    holds: () => AsyncIterable<LinkHold>,
    count: number,
    source: string,
    onProgress?: (done: number) => void,
  ): Promise<number> {
    if (count <= IMPORT_REBUILD_MAX) {
      const rebuilt = await this.rebuild.linkFirstData(
        IMPORT_REBUILD_MAX,
        (phase, done) => {
          if (phase === 'link') onProgress?.(Math.min(done, count));
        },
        holds,
      );
      if (rebuilt) {
        onProgress?.(count);
        return count;
      }
    }
    return this.linking.linkHolds(holds(), `import:${source}`, { large: count >= SCAN_EXISTING_FROM, onProgress });
  }
}
