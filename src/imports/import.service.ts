import { Inject, Injectable } from '@nestjs/common';
import { statSync } from 'node:fs';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import type { LinkableReportRecord } from '../linking/linked-reports.repository';
import { IMPORT_LINK_HOLD, ImportedReportsService } from '../reports/imported-reports.service';
import type { ReportRecord } from '../reports/reports.repository';
import { ImportRow, ParsedRecord } from './import-row';
import { LinkSpool } from './link-spool';
import { parseEtherScamDb } from './parsers/etherscamdb';
import { parseFtcDnc } from './parsers/ftc-dnc';
import { parseJsonl } from './parsers/jsonl';
import { ByteCounter } from './parsers/lines';
import { parseTw165 } from './parsers/tw165';

export const IMPORT_FORMATS = ['ftc-dnc', 'tw165', 'etherscamdb', 'jsonl'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
/** Rejected rows beyond this many are counted but not listed (constant memory on a hostile file). */
export const MAX_LISTED_REJECTIONS = 10_000;

export interface ImportProgress {
  phase: 'insert' | 'index' | 'link';
  bytes: number;
  totalBytes: number;
  rows: number;
  indexed: number;
  /** reports passed to linking so far (phase 'link', at the end of the import) */
  linked: number;
}

export interface ImportSummary {
  format: ImportFormat;
  file: string;
  /** records read (rows, YAML items, lines), rejected ones included */
  read: number;
  imported: number;
  alreadyPresent: number;
  rejectedCount: number;
  rejected: { line: number; reason: string }[];
  /** reports newly counted into the lookup statistics */
  indexed: number;
  seconds: number;
}

/**
 * `siqian import`: streams a partner file (constant memory), inserts reports in batches with
 * insertMany({ ordered: false }) where a duplicate _id (`<source>:<externalRef>`) means "already imported",
 * Each batch is first indexed into the lookup statistics with the indexer's batched path (claims keyed by
 * the deterministic ids make a re-import count nothing twice), then inserted already AWAITING_LINKING: no
 * per-report `report.index` job and no per-report hand-off during an import. Linking is deferred during the
 * import and done once at the end, over every id read, in large holds of the linking lock; until then the ids
 * and the fields linking needs wait in a temporary file (LinkSpool), so memory does not grow with the file.
 */
@Injectable()
export class ImportService {
  constructor(
    private readonly reports: ImportedReportsService,
    private readonly cipher: PiiCipher,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async run(
    format: ImportFormat,
    file: string,
    opts: { batchSize?: number; onProgress?: (p: ImportProgress) => void } = {},
  ): Promise<ImportSummary> {
    const started = process.hrtime.bigint();
    const batchSize = opts.batchSize ?? 1000;
    const totalBytes = statSync(file).size;
    const counter: ByteCounter = { bytes: 0 };
    const summary: ImportSummary = {
      format,
      file,
      read: 0,
      imported: 0,
      alreadyPresent: 0,
      rejectedCount: 0,
      rejected: [],
      indexed: 0,
      seconds: 0,
    };
    let linked = 0;
    const progress = (phase: ImportProgress['phase']) =>
      opts.onProgress?.({
        phase,
        bytes: counter.bytes,
        totalBytes,
        rows: summary.read,
        indexed: summary.indexed,
        linked,
      });
    const now = new Date();
    let batch: ReportRecord[] = [];
    // linking is deferred to the end (larger holds: see ImportedReportsService.link): what it needs is spooled
    // to a temporary file, not kept in memory
    const spool = new LinkSpool();
    const flush = async () => {
      if (batch.length === 0) return;
      const done = await this.reports.indexAndInsert(batch);
      summary.imported += done.inserted;
      summary.alreadyPresent += done.duplicates;
      await spool.add(
        batch.map((d) => d._id),
        done.fresh.map(linkable),
      );
      batch = [];
      progress('insert');
    };
    try {
      await this.readAll(format, file, counter, summary, async (row) => {
        batch.push(importDoc(format, row, now, this.cipher));
        // the same externalRef twice in one batch would make the batch insert it once: flush first
        if (batch.length >= batchSize) await flush();
      });
      await flush();
      summary.indexed = summary.imported;
      if (spool.size > 0)
        await this.reports.link(spool.holds(IMPORT_LINK_HOLD), spool.size, format, (n) => {
          linked = n;
          progress('link');
        });
    } finally {
      spool.dispose();
    }
    summary.seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return summary;
  }

  /** Reads the file: rejected records are counted (and listed up to MAX_LISTED_REJECTIONS), rows handed on. */
  private async readAll(
    format: ImportFormat,
    file: string,
    counter: ByteCounter,
    summary: ImportSummary,
    onRow: (row: ImportRow) => Promise<void>,
  ): Promise<void> {
    for await (const rec of this.records(format, file, counter)) {
      summary.read++;
      if ('reason' in rec) {
        summary.rejectedCount++;
        if (summary.rejected.length < MAX_LISTED_REJECTIONS)
          summary.rejected.push({ line: rec.line, reason: rec.reason });
        continue;
      }
      await onRow(rec.row);
    }
  }

  private records(format: ImportFormat, file: string, counter: ByteCounter): AsyncGenerator<ParsedRecord> {
    switch (format) {
      case 'ftc-dnc':
        return parseFtcDnc(file, counter);
      case 'tw165':
        return parseTw165(file, counter);
      case 'etherscamdb':
        return parseEtherScamDb(file, counter);
      case 'jsonl':
        return parseJsonl(
          file,
          { maxLossFen: this.cfg.reports.maxLossFen, maxAgeDays: this.cfg.reports.maxAgeDays },
          counter,
        );
    }
  }
}

/** The fields of a stored report that linking reads (the narrative and the original input are left behind). */
function linkable(d: ReportRecord): LinkableReportRecord {
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

/** The stored report of one import row (exported for bench/import.ts, which inserts the same documents raw). */
export function importDoc(source: ImportFormat, row: ImportRow, now: Date, cipher: PiiCipher): ReportRecord {
  const _id = `${source}:${row.externalRef}`;
  const doc: ReportRecord = {
    _id,
    source,
    externalRef: row.externalRef,
    fraudType: row.fraudType,
    channel: row.channel,
    occurredAt: row.occurredAt,
    regionCode: row.regionCode,
    lossFen: row.lossFen,
    original: row.original,
    identifiers: row.identifiers,
    reporterKey: row.reporterKey,
    weight: row.weight,
    status: 'RECEIVED',
    linkState: 'AWAITING_LINKING',
    createdAt: now,
  };
  if (row.narrative !== undefined) doc.narrative = row.narrative;
  if (row.paymentMethod) doc.paymentMethod = row.paymentMethod;
  if (row.victimAgeBand) doc.victimAgeBand = row.victimAgeBand;
  if (row.warnings?.length) doc.warnings = row.warnings;
  if (row.contact) {
    const hash = cipher.keyedHash(row.contact.canonical, 'reporter-contact');
    doc.reporterHash = hash;
    doc.reporterKey = `c:${hash}`;
    doc.reporterContactEnc = cipher.encrypt(row.contact.asTyped, `Report:${_id}:reporterContact`);
  }
  return doc;
}
