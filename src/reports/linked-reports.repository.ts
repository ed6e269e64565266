import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection, Document, Filter } from 'mongodb';
import { Model } from 'mongoose';
import { Scope, scopeFilter } from '../auth/scope';
import { mapLimit } from '../store/map-limit';
import type { StoredIdentifier } from './prepare-report';
import { ReportDoc } from './report.schema';

/** The fields of a stored report that linking and the staff pages read (a projection of ReportDoc). */
export type LinkableReportRecord = Pick<
  ReportDoc,
  | '_id'
  | 'source'
  | 'externalRef'
  | 'trackingCode'
  | 'fraudType'
  | 'channel'
  | 'occurredAt'
  | 'regionCode'
  | 'lossFen'
  | 'paymentMethod'
  | 'reporterKey'
  | 'victimAgeBand'
  | 'createdAt'
> & { identifiers: Pick<StoredIdentifier, 'kind' | 'value' | 'display' | 'key' | 'origin' | 'warninglisted'>[] };

/** Never read here: reporter contact (encrypted), its hash, narratives and the original input. */
const PROJECTION = {
  _id: 1,
  source: 1,
  externalRef: 1,
  trackingCode: 1,
  fraudType: 1,
  channel: 1,
  occurredAt: 1,
  regionCode: 1,
  lossFen: 1,
  paymentMethod: 1,
  reporterKey: 1,
  victimAgeBand: 1,
  identifiers: 1,
  createdAt: 1,
} as const;

export interface StaffReportQuery {
  source?: string;
  regionCode?: string;
  fraudType?: string;
}

const READ_PARALLELISM = 64;

/**
 * The reports feature's read-only face for linking (src/linking asks this repository, never the `reports`
 * collection: the record's shape and projection live with the schema they project). Reads by `_id` (parallel single-_id reads for batches); the staff listing `list` filters
 * on secondary fields and therefore scans on FerretDB v1 — a paged staff page, not a hot path.
 */
@Injectable()
export class LinkedReportsRepository {
  constructor(@InjectModel(ReportDoc.name) private readonly model: Model<ReportDoc>) {}

  private get reports(): Collection<Document> {
    return this.model.collection;
  }

  async find(id: string): Promise<LinkableReportRecord | undefined> {
    const doc = await this.reports.findOne({ _id: id as never }, { projection: PROJECTION });
    return (doc as unknown as LinkableReportRecord | null) ?? undefined;
  }

  async findMany(ids: readonly string[]): Promise<(LinkableReportRecord | undefined)[]> {
    return mapLimit(ids, READ_PARALLELISM, (id) => this.find(id));
  }

  /** Staff page, `_id` order; `scope` is required (reports filed in the user's units; ADMIN: all). Scans. */
  async list(scope: Scope, q: StaffReportQuery, limit: number, afterId?: string): Promise<LinkableReportRecord[]> {
    const filter = this.filter(scope, q);
    if (afterId) filter._id = { $gt: afterId as never };
    return (await this.reports
      .find(filter, { projection: PROJECTION })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray()) as unknown as LinkableReportRecord[];
  }

  async count(scope: Scope, q: StaffReportQuery): Promise<number> {
    return this.reports.countDocuments(this.filter(scope, q));
  }

  /** Every report id, streamed (recluster: finds reports that were never linked). A full scan. */
  async *scanForLinking(): AsyncIterable<LinkableReportRecord> {
    const cursor = this.reports.find({}, { projection: PROJECTION, batchSize: 1_000 });
    for await (const doc of cursor) yield doc as unknown as LinkableReportRecord;
  }

  private filter(scope: Scope, q: StaffReportQuery): Filter<Document> {
    const f: Filter<Document> = { ...scopeFilter(scope, 'regionCode') };
    if (q.regionCode) {
      // both the user's filter and the scope restrict regionCode
      f.regionCode = scope.kind === 'ALL' || scope.unitCodes.includes(q.regionCode) ? q.regionCode : { $in: [] };
    }
    if (q.source) f.source = q.source;
    if (q.fraudType) f.fraudType = q.fraudType;
    return f;
  }
}
