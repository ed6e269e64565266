import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinkableReportRecord } from '../reports/linked-reports.repository';
import type { LinkHold } from '../linking/linking.service';
import type { ReportRecord } from '../reports/reports.repository';
import { readLines } from './parsers/lines';

/**
 * One line of the spool: an id the import read, with its linkable fields when this import inserted it (`l`: it
 * may have been linked already, by the run that inserted it before it died).
 */
interface SpoolLine {
  id: string;
  r?: Omit<LinkableReportRecord, 'occurredAt' | 'createdAt'> & { occurredAt: string; createdAt: string };
  l?: 1;
}

/**
 * What an import's final linking needs, kept until the end of the import in a temporary JSONL file instead of
 * memory, so that memory does not grow with the partner's file: every report id the import read (duplicates
 * included: a re-run links what an interrupted run inserted) and the linkable fields of the reports it
 * inserted (not read back from the store). Read back hold by hold; the file is removed by `dispose`.
 */
export class LinkSpool {
  private readonly dir = mkdtempSync(join(tmpdir(), 'siqian-import-'));
  private readonly file = join(this.dir, 'link-spool.jsonl');
  private readonly out: WriteStream = createWriteStream(this.file);
  private lines = 0;
  private closed: Promise<void> | undefined;

  /** Number of ids spooled so far. */
  get size(): number {
    return this.lines;
  }

  /**
   * Appends a batch: `ids` read, of which `fresh` were inserted by this import (never linked, unless
   * `mayBeLinked`: a dead run's reports, recovered).
   */
  async add(ids: readonly string[], fresh: readonly LinkableReportRecord[], mayBeLinked = false): Promise<void> {
    const records = new Map(fresh.map((r) => [r._id, r]));
    let text = '';
    for (const id of ids) {
      const r = records.get(id);
      text += `${JSON.stringify(r ? (mayBeLinked ? { id, r, l: 1 } : { id, r }) : { id })}\n`;
    }
    this.lines += ids.length;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  /** Closes the file (nothing can be added after) and streams it back in holds of `size` ids; again on each call. */
  async *holds(size: number): AsyncGenerator<LinkHold> {
    this.closed ??= (async () => {
      this.out.end();
      await once(this.out, 'finish');
    })();
    await this.closed;
    let hold = emptyHold();
    for await (const { text } of readLines(this.file)) {
      if (!text) continue;
      const line = JSON.parse(text) as SpoolLine;
      hold.ids.push(line.id);
      if (line.r) {
        if (!line.l) hold.neverLinked.add(line.id);
        hold.records.set(line.id, {
          ...line.r,
          occurredAt: new Date(line.r.occurredAt),
          createdAt: new Date(line.r.createdAt),
        });
      }
      if (hold.ids.length >= size) {
        yield hold;
        hold = emptyHold();
      }
    }
    if (hold.ids.length > 0) yield hold;
  }

  dispose(): void {
    this.out.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function emptyHold(): { ids: string[]; neverLinked: Set<string>; records: Map<string, LinkableReportRecord> } {
  return { ids: [], neverLinked: new Set(), records: new Map() };
}

/** The fields of a stored report that linking reads (the narrative and the original input are left behind). */
export function linkableOf(d: ReportRecord): LinkableReportRecord {
  const r: LinkableReportRecord = {
    _id: d._id,
    source: d.source,
    fraudType: d.fraudType,
    channel: d.channel,
    occurredAt: d.occurredAt,
    regionCode: d.regionCode,
    lossFen: d.lossFen,
    reporterKey: d.reporterKey,
    identifiers: d.identifiers,
    createdAt: d.createdAt,
  };
  if (d.paymentMethod) r.paymentMethod = d.paymentMethod;
  return r;
}
