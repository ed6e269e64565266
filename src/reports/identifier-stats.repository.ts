import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { insertManyIgnoringDuplicates } from './bulk-insert';
import { IdentifierReportClaimDoc, IdentifierReporterClaimDoc, IdentifierStatsDoc } from './identifier-stats.schema';

export type IdentifierStatsRecord = IdentifierStatsDoc;

/** identifier_stats and its two claim collections; `_id` reads and inserts only. */
@Injectable()
export class IdentifierStatsRepository {
  constructor(
    @InjectModel(IdentifierStatsDoc.name) private readonly stats: Model<IdentifierStatsDoc>,
    @InjectModel(IdentifierReportClaimDoc.name) private readonly reportClaims: Model<IdentifierReportClaimDoc>,
    @InjectModel(IdentifierReporterClaimDoc.name) private readonly reporterClaims: Model<IdentifierReporterClaimDoc>,
  ) {}

  private get statsColl(): Collection<IdentifierStatsDoc> {
    return this.stats.collection as unknown as Collection<IdentifierStatsDoc>;
  }

  async find(key: string): Promise<IdentifierStatsRecord | null> {
    return this.statsColl.findOne({ _id: key });
  }

  /** Claims `<key>|<reportId>` ids; returns the ids that were NEW (not counted before). */
  async claimReports(ids: string[]): Promise<string[]> {
    const dup = await insertManyIgnoringDuplicates(this.reportClaims.collection as never, ids.map((_id) => ({ _id })));
    return ids.filter((_, i) => !dup.has(i));
  }

  /** Claims `<key>|<reporterKey>` ids; returns the ids that were NEW (reporters not counted before). */
  async claimReporters(ids: string[]): Promise<string[]> {
    const dup = await insertManyIgnoringDuplicates(this.reporterClaims.collection as never, ids.map((_id) => ({ _id })));
    return ids.filter((_, i) => !dup.has(i));
  }

  /** Writes whole stats documents (the caller holds each identifier's lock). */
  async save(docs: IdentifierStatsRecord[]): Promise<void> {
    if (docs.length === 0) return;
    await this.statsColl.bulkWrite(
      docs.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })),
      { ordered: false },
    );
  }

  /** Investigators' confirmation (used by tests now, by the cases issue later). */
  async setConfirmed(key: string, confirmed: boolean): Promise<void> {
    await this.statsColl.updateOne({ _id: key }, { $set: { confirmed, updatedAt: new Date() } });
  }
}
