import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { isDuplicateKeyError } from '../common/errors/mongo-errors';
import { insertManyIgnoringDuplicates } from './bulk-insert';
import { ClientRequestDoc, ReportDoc, ReportHandOffDoc, TrackingCodeDoc } from './report.schema';

export type ReportRecord = ReportDoc;
export type ClientRequestRecord = ClientRequestDoc;

/** Fields the indexer needs (projection of a report). */
export type IndexableReport = Pick<
  ReportDoc,
  '_id' | 'reporterKey' | 'weight' | 'occurredAt' | 'lossFen' | 'fraudType' | 'identifiers' | 'repeatOf' | 'createdAt'
>;

/**
 * Reports, tracking codes and idempotency claims. Every hot-path read is an exact `_id` read (STYLE.md, store);
 * every claim is an insert refused on a duplicate _id.
 */
@Injectable()
export class ReportsRepository {
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
    try {
      await this.reportsColl.insertOne(doc);
      return true;
    } catch (e) {
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
  }

  /** Bulk insert for imports: returns the positions refused as duplicates (already imported). */
  async insertReports(docs: ReportRecord[]): Promise<Set<number>> {
    return insertManyIgnoringDuplicates(this.reportsColl, docs);
  }

  async findReport(id: string): Promise<ReportRecord | null> {
    return this.reportsColl.findOne({ _id: id });
  }

  async findIndexable(id: string): Promise<IndexableReport | null> {
    return this.reportsColl.findOne({ _id: id }, { projection: INDEXABLE_PROJECTION });
  }

  /** Records that reports were handed to linking (inserts; an existing record means already handed off). */
  async recordHandOffs(ids: string[], at: Date): Promise<void> {
    await insertManyIgnoringDuplicates(
      this.handoffs.collection as never,
      ids.map((_id) => ({ _id, at })),
    );
  }

  async findHandOff(id: string): Promise<ReportHandOffDoc | null> {
    return this.handoffs.collection.findOne({ _id: id as never }) as Promise<ReportHandOffDoc | null>;
  }

  /** Claims a tracking code for a report; false when the code is taken. */
  async insertTrackingCode(code: string, reportId: string): Promise<boolean> {
    try {
      await this.codes.collection.insertOne({ _id: code, reportId } as never);
      return true;
    } catch (e) {
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
  }

  async findTrackingCode(code: string): Promise<TrackingCodeDoc | null> {
    return this.codes.collection.findOne({ _id: code as never }) as Promise<TrackingCodeDoc | null>;
  }

  /** The idempotency claim of a clientRequestId; false when it exists already. */
  async insertClientRequest(doc: ClientRequestRecord): Promise<boolean> {
    try {
      await this.requests.collection.insertOne(doc as never);
      return true;
    } catch (e) {
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
  }

  async findClientRequest(id: string): Promise<ClientRequestRecord | null> {
    return this.requests.collection.findOne({ _id: id as never }) as Promise<ClientRequestRecord | null>;
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
} as const;
