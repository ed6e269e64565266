import { withoutBidiControls } from '../common/graphql/text.rules';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { statSync } from 'node:fs';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { awaitedLater } from '../common/promises';
import type { IdentifierNotice } from '../identifiers';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { IMPORT_LINK_HOLD, ImportLinker } from './import-linker.service';
import { ImportedReportsService } from './imported-reports.service';
import { reporterContactAad } from '../reports/report.schema';
import type { ReportRecord } from '../reports/reports.repository';
import { ReferenceService } from '../reference/reference.service';
import { contentDigest, importId } from './content-key';
import { EXTERNAL_REGION } from '../reference/enums';
import { ImportRow, ParsedRecord } from './import-row';
import { ImportRecovery, RecoveredRun } from './import-recovery';
import { insertKeyed, KeyedBatch } from './keyed-insert';
import { LinkSpool, linkableOf } from './link-spool';
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
  /**
   * of the imported and already present records, those whose source id the store holds with another content
   * (a source id is not always unique): each is a report of its own (`<source>:<externalRef>~<digest>`)
   */
  duplicateIdDifferentContent: number;
  /** the region the reports are filed under (EXTERNAL unless the import names one) */
  regionCode: string;
  rejectedCount: number;
  rejected: { line: number; reason: string }[];
  /** records kept with an identifier in a weaker form, by notice (a URL without a DOMAIN, an unvalidated wallet) */
  notices: Partial<Record<IdentifierNotice, number>>;
  /** reports newly counted into the lookup statistics */
  indexed: number;
  seconds: number;
  /** dead runs of earlier imports recovered first (ImportRecovery) */
  recovered: RecoveredRun[];
}

/** Options of one import. */
export interface ImportOptions {
  batchSize?: number;
  roundKeys?: number;
  /**
   * The region (src/reference) its reports are filed under, for formats whose records carry none (not jsonl,
   * whose rows name theirs); default EXTERNAL. Not part of a report's key: a re-import under another region
   * adds nothing.
   */
  regionCode?: string | null;
  onProgress?: (p: ImportProgress) => void;
}

/** An import that cannot start as asked (bad options): nothing was read or written. */
export class ImportOptionError extends Error {}

/**
 * `siqian import`: streams a partner file (constant memory) and inserts its reports in batches with
 * insertMany({ ordered: false }), keyed on the record's source id and content (content-key.ts, keyed-insert.ts):
 * a duplicate _id with the same content means "already imported".
 * Each run is recorded (import_runs) and tags the reports it inserts; what it inserted is counted into the
 * lookup statistics in memory and added round by round (ImportCounter: one write per identifier, not per
 * report), and a run that dies is recovered by the next import (ImportRecovery, run first). No per-report
 * `report.index` job and no per-report hand-off during an import: linking is deferred and done once at the end,
 * over every id read, by one rebuild when the import is the store's first data and in large holds of the
 * linking lock otherwise; until then the ids and the fields linking needs wait in a temporary file
 * (LinkSpool), so memory does not grow with the file.
 */
@Injectable()
export class ImportService {
  private readonly logger = new Logger(ImportService.name);

  constructor(
    private readonly reports: ImportedReportsService,
    private readonly linker: ImportLinker,
    private readonly recovery: ImportRecovery,
    private readonly cipher: PiiCipher,
    private readonly reference: ReferenceService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async run(format: ImportFormat, file: string, opts: ImportOptions = {}): Promise<ImportSummary> {
    const started = process.hrtime.bigint();
    const regionCode = this.regionOf(format, opts.regionCode);
    const batchSize = opts.batchSize ?? 1000;
    const totalBytes = statSync(file).size;
    const counter: ByteCounter = { bytes: 0 };
    const summary: ImportSummary = {
      format,
      file,
      read: 0,
      imported: 0,
      alreadyPresent: 0,
      duplicateIdDifferentContent: 0,
      regionCode,
      rejectedCount: 0,
      rejected: [],
      notices: {},
      indexed: 0,
      seconds: 0,
      recovered: await this.recovery.recoverDeadRuns(),
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
    const run = await this.reports.startRun(format, file, now, opts.roundKeys);
    let batch: ImportRow[] = [];
    // linking is deferred to the end (larger holds: see ImportLinker.link): what it needs is spooled
    // to a temporary file, not kept in memory
    const spool = new LinkSpool();
    // one insert in flight while the next batch is read (the store and the parser work side by side); a batch's
    // outcome is taken in order, before the next insert starts
    let inFlight: Promise<KeyedBatch> | undefined;
    const settle = async (): Promise<void> => {
      if (!inFlight) return;
      const settling = inFlight;
      inFlight = undefined;
      const done = await settling;
      summary.imported += done.inserted;
      summary.alreadyPresent += done.alreadyPresent;
      summary.duplicateIdDifferentContent += done.otherContent;
      summary.indexed = run.counted;
      await spool.add(done.ids, done.fresh.map(linkableOf));
      progress('insert');
    };
    const flush = async () => {
      if (batch.length === 0) return;
      await settle();
      const rows = batch;
      batch = [];
      inFlight = insertKeyed(this.reports, run, rows, (row, alternate) =>
        importDoc(format, row, now, this.cipher, alternate),
      );
      awaitedLater(inFlight); // by settle
    };
    try {
      await this.readAll(format, file, counter, summary, async (row) => {
        batch.push(row.regionCode === EXTERNAL_REGION ? { ...row, regionCode } : row);
        if (batch.length >= batchSize) await flush();
      });
      await flush();
      await settle();
      // the last round: progress in reports, pro rata of its identifiers applied. (Counting it while the reports
      // are linked gained nothing measurable: both wait on the store.)
      const [before, round, keys] = [run.counted, run.counts.reports, run.counts.keys];
      await this.reports.count(run, (identifiers) => {
        summary.indexed = before + Math.round((round * identifiers) / keys);
        progress('index');
      });
      summary.indexed = run.counted;
      await this.reports.setState(run.id, 'LINKING');
      if (spool.size > 0)
        await this.linker.link(
          () => spool.holds(IMPORT_LINK_HOLD),
          spool.size,
          format,
          (n) => {
            linked = n;
            progress('link');
          },
        );
      await this.reports.finish(run);
    } catch (e) {
      // nothing of the run may land after it is given up (its recovery would miss it)
      await inFlight?.catch((err: unknown) =>
        this.logger.debug({ err }, 'the in-flight insert failed as well; the run fails with the first error'),
      );
      await this.reports.abandon(run);
      throw e;
    } finally {
      spool.dispose();
    }
    summary.seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return summary;
  }

  /** The region an import files its reports under: a known region (src/reference), or EXTERNAL by default. */
  private regionOf(format: ImportFormat, code: string | null | undefined): string {
    if (code === undefined || code === null || code === EXTERNAL_REGION) return EXTERNAL_REGION;
    if (format === 'jsonl') throw new ImportOptionError('a jsonl import takes no region: each row names its own');
    if (!this.reference.isRegion(code))
      throw new ImportOptionError(
        `unknown region ${JSON.stringify(code.slice(0, 40))}: use a region code of the reference list (query regions)`,
      );
    return code;
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
      for (const n of rec.row.notices ?? []) summary.notices[n] = (summary.notices[n] ?? 0) + 1;
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

/**
 * The stored report of one import row (exported for bench/import.ts, which inserts the same documents raw), under
 * its plain id or, `alternate`, under the id of another content of its source id (content-key.ts).
 */
export function importDoc(
  source: ImportFormat,
  row: ImportRow,
  now: Date,
  cipher: PiiCipher,
  alternate = false,
): ReportRecord {
  const digest = contentDigest(source, row.original);
  const plain = importId(source, row.externalRef);
  const _id = alternate ? importId(source, row.externalRef, digest) : plain;
  const doc: ReportRecord = {
    _id,
    source,
    externalRef: row.externalRef,
    contentDigest: digest,
    fraudType: row.fraudType,
    channel: row.channel,
    occurredAt: row.occurredAt,
    regionCode: row.regionCode,
    lossFen: row.lossFen,
    original: row.original,
    identifiers: row.identifiers,
    // a row that is its own reporter names its plain id: so is its report under the other id
    reporterKey: row.reporterKey === plain ? _id : row.reporterKey,
    weight: row.weight,
    status: 'RECEIVED',
    linkState: 'AWAITING_LINKING',
    createdAt: now,
  };
  // report text as the public API stores it: bidi controls removed (the original keeps them)
  if (row.narrative !== undefined) doc.narrative = withoutBidiControls(row.narrative);
  if (row.paymentMethod) doc.paymentMethod = row.paymentMethod;
  if (row.victimAgeBand) doc.victimAgeBand = row.victimAgeBand;
  if (row.warnings?.length) doc.warnings = row.warnings;
  if (row.contact) {
    const hash = cipher.keyedHash(row.contact.canonical, 'reporter-contact');
    doc.reporterHash = hash;
    doc.reporterKey = `c:${hash}`;
    doc.reporterContactEnc = cipher.encrypt(row.contact.asTyped, reporterContactAad(_id));
  }
  return doc;
}
