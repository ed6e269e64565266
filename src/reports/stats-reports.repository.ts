import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { mapLimit } from '../store/map-limit';
import { ReportDoc } from './report.schema';

/** What the statistics (src/stats) read of a report. */
export type StatsReportRecord = Pick<
  ReportDoc,
  | '_id'
  | 'occurredAt'
  | 'regionCode'
  | 'fraudType'
  | 'channel'
  | 'paymentMethod'
  | 'victimAgeBand'
  | 'lossFen'
  | 'repeatOf'
>;

const PROJECTION = {
  _id: 1,
  occurredAt: 1,
  regionCode: 1,
  fraudType: 1,
  channel: 1,
  paymentMethod: 1,
  victimAgeBand: 1,
  lossFen: 1,
  repeatOf: 1,
} as const;

/** `_id` reads in flight. */
const READS = 16;

/** The read-only face of `reports` the statistics use: by `_id` (the rollup job), or a full scan (rebuild). */
@Injectable()
export class StatsReportsRepository {
  constructor(@InjectModel(ReportDoc.name) private readonly model: Model<ReportDoc>) {}

  private get coll(): Collection<ReportDoc> {
    return this.model.collection as unknown as Collection<ReportDoc>;
  }

  async findMany(ids: readonly string[]): Promise<StatsReportRecord[]> {
    const found = await mapLimit(
      ids,
      READS,
      (id) => this.coll.findOne({ _id: id }, { projection: PROJECTION }) as Promise<StatsReportRecord | null>,
    );
    return found.filter((r): r is StatsReportRecord => r !== null);
  }

  /** Every report (`stats rebuild`: a scan, never on a request path). */
  async *scan(): AsyncIterable<StatsReportRecord> {
    yield* this.coll.find({}, { projection: PROJECTION, batchSize: 1_000 }) as AsyncIterable<StatsReportRecord>;
  }

  /** How many reports there are (the rebuild's progress total). */
  estimatedCount(): Promise<number> {
    return this.coll.estimatedDocumentCount();
  }
}
