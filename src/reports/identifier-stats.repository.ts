import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { bulkWriteInChunks } from '../database/bulk-write';
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
    const dup = await insertManyIgnoringDuplicates(
      this.reportClaims.collection as never,
      ids.map((_id) => ({ _id })),
    );
    return ids.filter((_, i) => !dup.has(i));
  }

  /** Claims `<key>|<reporterKey>` ids; returns the ids that were NEW (reporters not counted before). */
  async claimReporters(ids: string[]): Promise<string[]> {
    const dup = await insertManyIgnoringDuplicates(
      this.reporterClaims.collection as never,
      ids.map((_id) => ({ _id })),
    );
    return ids.filter((_, i) => !dup.has(i));
  }

  /**
   * Writes whole stats documents (the caller holds each identifier's lock): new identifiers are inserted
   * (one insertMany), known ones replaced by `_id` (bulkWriteInChunks). Both cost the same at any collection size
   * on MongoDB and on FerretDB v1 with the launcher's `_id` index.
   */
  async save(created: IdentifierStatsRecord[], changed: IdentifierStatsRecord[]): Promise<void> {
    if (created.length) await this.statsColl.insertMany(created, { ordered: false });
    await bulkWriteInChunks(
      this.statsColl,
      changed.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d } })),
    );
  }

  /**
   * Adds the counts of a batch (`deltas`: what the batch alone adds, as a fresh stats document would hold it)
   * to the stored statistics with a bulk upsert (bulkWriteInChunks): `$inc` on the counters, `$min`/`$max` on the dates,
   * `$setOnInsert` for the identity, no read. The caller holds each identifier's lock, which makes it exact on
   * FerretDB v1 too (its updates are "read, then write" inside the store).
   */
  async addCounts(deltas: IdentifierStatsRecord[], now: Date): Promise<void> {
    if (deltas.length === 0) return;
    await bulkWriteInChunks(
      this.statsColl,
      deltas.map((d) => {
        const inc: Record<string, number> = {
          reportCount: d.reportCount,
          reporterCount: d.reporterCount,
          weightedReporters: d.weightedReporters,
          weightTerms: d.weightTerms,
          lossFen: d.lossFen,
        };
        for (const [type, n] of Object.entries(d.fraudTypes)) inc[`fraudTypes.${type}`] = n;
        return {
          updateOne: {
            filter: { _id: d._id },
            upsert: true,
            update: {
              $setOnInsert: { kind: d.kind, value: d.value, display: d.display, confirmed: false },
              $inc: inc,
              $min: { firstReportedAt: d.firstReportedAt },
              $max: { lastReportedAt: d.lastReportedAt },
              $set: { lastReportId: d.lastReportId, updatedAt: now },
            },
          },
        };
      }),
    );
  }

  /** Investigators' confirmation (used by tests now, by the cases issue later). */
  async setConfirmed(key: string, confirmed: boolean): Promise<void> {
    await this.statsColl.updateOne({ _id: key }, { $set: { confirmed, updatedAt: new Date() } });
  }
}
