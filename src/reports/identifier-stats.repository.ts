import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { insertManyIgnoringDuplicates } from './bulk-insert';
import { IdentifierReportClaimDoc, IdentifierReporterClaimDoc, IdentifierStatsDoc } from './identifier-stats.schema';

export type IdentifierStatsRecord = IdentifierStatsDoc;

/** From this many changed documents a write rewrites them with deleteMany + insertMany. */
const BULK_REWRITE_FROM = 8;

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

  /**
   * Many stats at once, for the import's batches: one `$in` query. On FerretDB v1 that is one scan of the
   * collection (~5 µs per stored identifier), far cheaper than a thousand point reads; on MongoDB it is
   * indexed. Never used on a request path.
   */
  async findMany(keys: string[]): Promise<Map<string, IdentifierStatsRecord>> {
    const out = new Map<string, IdentifierStatsRecord>();
    if (keys.length === 0) return out;
    for (const d of await this.statsColl.find({ _id: { $in: keys } }).toArray()) out.set(d._id, d);
    return out;
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
   * Writes whole stats documents (the caller holds each identifier's lock): new identifiers are inserted,
   * known ones replaced. On FerretDB v1 a replace by `_id` still scans the collection (measured: ~5 µs per
   * stored document per write), an insert does not; so first sightings, the common case, stay cheap.
   * `bulkRewrite` false (the request-driven jobs): replaces by `_id` only, never a `$in` scan.
   */
  async save(created: IdentifierStatsRecord[], changed: IdentifierStatsRecord[], bulkRewrite = true): Promise<void> {
    if (created.length) await this.statsColl.insertMany(created, { ordered: false });
    if (bulkRewrite && changed.length > BULK_REWRITE_FROM) {
      // a batch: one scan to delete and one insert instead of one scan per replace (FerretDB v1); lookups in
      // between miss the identifier for a moment (they are cached, and the next lookup sees it again)
      await this.statsColl.deleteMany({ _id: { $in: changed.map((d) => d._id) } });
      await this.statsColl.insertMany(changed, { ordered: false });
    } else if (changed.length) {
      await this.statsColl.bulkWrite(
        changed.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d } })),
        { ordered: false },
      );
    }
  }

  /**
   * Adds the counts of a batch (`deltas`: what the batch alone adds, as a fresh stats document would hold it)
   * to the stored statistics with one bulk upsert: `$inc` on the counters, `$min`/`$max` on the dates,
   * `$setOnInsert` for the identity, no read. The caller holds each identifier's lock, which makes it exact on
   * FerretDB v1 too (its updates are "read, then write" inside the store).
   */
  async addCounts(deltas: IdentifierStatsRecord[], now: Date): Promise<void> {
    if (deltas.length === 0) return;
    await this.statsColl.bulkWrite(
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
      { ordered: false },
    );
  }

  /** Investigators' confirmation (used by tests now, by the cases issue later). */
  async setConfirmed(key: string, confirmed: boolean): Promise<void> {
    await this.statsColl.updateOne({ _id: key }, { $set: { confirmed, updatedAt: new Date() } });
  }
}
