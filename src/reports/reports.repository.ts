import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { InsertBatcher, insertManyIgnoringDuplicates } from '../store/insert';
import { mapLimit } from '../store/map-limit';
import { ClientRequestDoc, ReportDoc, ReportHandOffDoc, TrackingCodeDoc } from './report.schema';

export type ReportRecord = ReportDoc;
export type ClientRequestRecord = ClientRequestDoc;

/** Fields the indexer needs (projection of a report). */
export type IndexableReport = Pick<
  ReportDoc,
  | '_id'
  | 'reporterKey'
  | 'weight'
  | 'occurredAt'
  | 'lossFen'
  | 'fraudType'
  | 'identifiers'
  | 'repeatOf'
  | 'createdAt'
  | 'regionCode'
  | 'source'
>;

/** What a reporter notice copies from a report: its tracking code and the contact, still sealed. */
export type SealedContactRecord = Pick<ReportDoc, '_id' | 'trackingCode' | 'reporterContactEnc'>;

/** How many just-written reports this process remembers for its own `report.index` jobs (see findIndexable). */
const RECENT_REPORTS = 4_096;
/** `_id` reads in flight when an import compares contents (findImportContent). */
const IMPORT_CONTENT_READS = 16;
/** `_id` reads in flight when reporter notices read contacts (findSealedContacts). */
const CONTACT_READS = 16;

/**
 * Reports, tracking codes and idempotency claims. Every hot-path read is an exact `_id` read (STYLE.md, store);
 * every claim is an insert refused on a duplicate _id. The request path's single inserts go through
 * {@link InsertBatcher}s: concurrent submissions share insertMany round trips, each answered as its own insert.
 */
@Injectable()
export class ReportsRepository {
  private readonly reportInserts = new InsertBatcher<ReportDoc>(() => this.reportsColl);
  private readonly codeInserts = new InsertBatcher<TrackingCodeDoc>(
    () => this.codes.collection as unknown as Collection<TrackingCodeDoc>,
  );
  private readonly requestInserts = new InsertBatcher<ClientRequestDoc>(
    () => this.requests.collection as unknown as Collection<ClientRequestDoc>,
  );
  /** Reports this process wrote and has not indexed yet (insertion order = age; bounded). */
  private readonly recent = new Map<string, IndexableReport>();

  constructor(
    @InjectModel(ReportDoc.name) private readonly reports: Model<ReportDoc>,
    @InjectModel(TrackingCodeDoc.name) private readonly codes: Model<TrackingCodeDoc>,
    @InjectModel(ClientRequestDoc.name) private readonly requests: Model<ClientRequestDoc>,
    @InjectModel(ReportHandOffDoc.name) private readonly handoffs: Model<ReportHandOffDoc>,
  ) {}

  private get reportsColl(): Collection<ReportDoc> {
    return this.reports.collection as unknown as Collection<ReportDoc>;
  }

  /** Inserts a report; false when a report with that _id already exists. */
  async insertReport(doc: ReportRecord): Promise<boolean> {
    const inserted = await this.reportInserts.insert(doc);
    if (inserted) this.remember(doc);
    return inserted;
  }

  /** Rewrites a report this request has just written and not yet answered for (a tracking-code collision). */
  async replaceReport(doc: ReportRecord): Promise<void> {
    await this.reportsColl.replaceOne({ _id: doc._id }, doc);
  }

  /** Removes a report this request has just written but cannot answer for (its code claim failed). */
  async deleteReport(id: string): Promise<void> {
    this.recent.delete(id);
    await this.reportsColl.deleteOne({ _id: id });
  }

  /**
   * Keeps the indexable fields of a report this process just wrote, for its own `report.index` job: a report
   * is never updated after it is written (report.schema.ts), so the copy is what a read would return.
   */
  private remember(doc: ReportRecord): void {
    if (this.recent.size >= RECENT_REPORTS) this.recent.delete(this.recent.keys().next().value as string);
    const r: IndexableReport = {
      _id: doc._id,
      reporterKey: doc.reporterKey,
      weight: doc.weight,
      occurredAt: doc.occurredAt,
      lossFen: doc.lossFen,
      fraudType: doc.fraudType,
      identifiers: doc.identifiers,
      createdAt: doc.createdAt,
      regionCode: doc.regionCode,
      source: doc.source,
    };
    if (doc.repeatOf !== undefined) r.repeatOf = doc.repeatOf;
    this.recent.set(doc._id, r);
  }

  /** Bulk insert for imports: returns the positions refused as duplicates (already imported). */
  async insertReports(docs: ReportRecord[]): Promise<Set<number>> {
    return insertManyIgnoringDuplicates(this.reportsColl, docs);
  }

  /**
   * The content of stored imported reports (their digest, and `original` for reports imported before reports
   * carried one), by `_id` reads in parallel (an `$in` would scan on the embedded store). Ids not found are absent.
   */
  async findImportContent(
    ids: readonly string[],
  ): Promise<Map<string, Pick<ReportRecord, 'contentDigest' | 'original'>>> {
    const found = await mapLimit(ids, IMPORT_CONTENT_READS, (_id) =>
      this.reportsColl.findOne({ _id }, { projection: { contentDigest: 1, original: 1 } }),
    );
    return new Map(found.flatMap((d) => (d ? [[d._id, d] as const] : [])));
  }

  /**
   * Tracking code and sealed contact of reports, by parallel `_id` reads (never opened here: see
   * reporterContactAad). Ids not found are left out.
   */
  async findSealedContacts(ids: readonly string[]): Promise<SealedContactRecord[]> {
    const found = await mapLimit(ids, CONTACT_READS, (_id) =>
      this.reportsColl.findOne({ _id }, { projection: { trackingCode: 1, reporterContactEnc: 1 } }),
    );
    return found.filter((d): d is SealedContactRecord & ReportDoc => d !== null);
  }

  async findReport(id: string): Promise<ReportRecord | null> {
    return this.reportsColl.findOne({ _id: id });
  }

  /** The indexer's view of a report: the copy this process kept when it wrote it, else an `_id` read. */
  async findIndexable(id: string): Promise<IndexableReport | null> {
    const kept = this.recent.get(id);
    if (kept) {
      this.recent.delete(id);
      return kept;
    }
    return this.reportsColl.findOne({ _id: id }, { projection: INDEXABLE_PROJECTION });
  }

  /** Records that reports were handed to linking (inserts; an existing record means already handed off). */
  async recordHandOffs(ids: string[], at: Date): Promise<void> {
    await insertManyIgnoringDuplicates(
      this.handoffs.collection as never,
      ids.map((_id) => ({ _id, at })),
    );
  }

  /** Claims a tracking code for a report; false when the code is taken. */
  async insertTrackingCode(code: string, reportId: string): Promise<boolean> {
    return this.codeInserts.insert({ _id: code, reportId });
  }

  async findTrackingCode(code: string): Promise<TrackingCodeDoc | null> {
    return this.codes.collection.findOne({ _id: code as never }) as Promise<TrackingCodeDoc | null>;
  }

  /** The idempotency claim of a clientRequestId; false when it exists already. */
  async insertClientRequest(doc: ClientRequestRecord): Promise<boolean> {
    return this.requestInserts.insert(doc);
  }

  async findClientRequest(id: string): Promise<ClientRequestRecord | null> {
    return this.requests.collection.findOne({ _id: id as never }) as Promise<ClientRequestRecord | null>;
  }

  /**
   * The reports an import run inserted, without their narrative, original input or contact (recovery of a dead
   * run, rare: a full scan on FerretDB v1, where nothing but `_id` is indexed).
   */
  async *scanImportRun(runId: string): AsyncIterable<ReportRecord> {
    const cursor = this.reportsColl.find({ importRun: runId }, { projection: IMPORT_RUN_PROJECTION, batchSize: 1_000 });
    for await (const doc of cursor) yield doc;
  }

  /** Staff/test helper: how many reports are stored (a full count; not for request paths). */
  async countReports(): Promise<number> {
    return this.reportsColl.countDocuments({});
  }
}

const INDEXABLE_PROJECTION = {
  _id: 1,
  reporterKey: 1,
  weight: 1,
  occurredAt: 1,
  lossFen: 1,
  fraudType: 1,
  identifiers: 1,
  repeatOf: 1,
  createdAt: 1,
  regionCode: 1,
  source: 1,
} as const;

const IMPORT_RUN_PROJECTION = {
  ...INDEXABLE_PROJECTION,
  source: 1,
  channel: 1,
  regionCode: 1,
  paymentMethod: 1,
  importRun: 1,
  importRound: 1,
} as const;
