import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { bulkWriteInChunks } from '../store/bulk-write';
import { insertManyIgnoringDuplicates } from '../store/insert';
import { mapLimit } from '../store/map-limit';
import type { StoredIdentifier } from './prepare-report';
import type { IndexableReport } from './reports.repository';
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
   * An import round's reporter claims (`<key>|<reporterKey>`, tagged `by` the round); returns the ids that are
   * new. `recovering`: the round is applied again after its run died, so a claim this same round already
   * wrote (tagged with it) is new too, read back by `_id` (only refused claims are read).
   */
  async claimReportersBy(ids: string[], by: string, recovering: boolean): Promise<Set<string>> {
    const dup = await insertManyIgnoringDuplicates(
      this.reporterClaims.collection as never,
      ids.map((_id) => ({ _id, by })),
    );
    const fresh = new Set(ids.filter((_, i) => !dup.has(i)));
    if (recovering && dup.size > 0) {
      const refused = ids.filter((_, i) => dup.has(i));
      const claims = this.reporterClaims.collection as unknown as Collection<IdentifierReporterClaimDoc>;
      const found = await mapLimit(refused, 16, (_id) => claims.findOne({ _id }));
      found.forEach((c, i) => {
        if (c?.by === by) fresh.add(refused[i]);
      });
    }
    return fresh;
  }

  /**
   * Adds an import round's counts (`docs`: what the round adds, as fresh documents) exactly once per round
   * `marker` (the caller holds each identifier's lock): one insertMany writes the identifiers the store does not
   * know; each known one is read by `_id` and, unless it already carries the marker (the round reached it
   * before its run died), its counts are added by `_id` with the marker appended to its last
   * COUNTED_BY_KEPT markers. Returns how many documents were written.
   */
  async addRound(docs: IdentifierStatsRecord[], marker: string, now: Date): Promise<number> {
    const dup = await insertManyIgnoringDuplicates(
      this.statsColl,
      docs.map((d) => ({ ...d, countedBy: [marker], updatedAt: now })),
    );
    const known = docs.filter((_, i) => dup.has(i));
    const current = await mapLimit(known, 16, (d) => this.find(d._id));
    const due = known.filter((_, i) => !current[i]?.countedBy?.includes(marker));
    const markers = new Map(
      known.map((d, i) => [d._id, [...(current[i]?.countedBy ?? []), marker].slice(-COUNTED_BY_KEPT)]),
    );
    await bulkWriteInChunks(
      this.statsColl,
      due.map((d) => ({
        updateOne: {
          filter: { _id: d._id },
          update: {
            ...countsUpdate(d),
            $set: { lastReportId: d.lastReportId, updatedAt: now, countedBy: markers.get(d._id) },
          },
        },
      })),
    );
    return docs.length - known.length + due.length;
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
        const { $inc, $min, $max } = countsUpdate(d);
        return {
          updateOne: {
            filter: { _id: d._id },
            upsert: true,
            update: {
              $setOnInsert: { kind: d.kind, value: d.value, display: d.display, confirmed: false },
              $inc,
              $min,
              $max,
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

/** The statistics of an identifier before any report is counted (`at`: the date its first report counts at). */
export function emptyStats(identifier: StoredIdentifier, at: Date, now: Date): IdentifierStatsRecord {
  return {
    _id: identifier.key,
    kind: identifier.kind,
    value: identifier.value,
    display: identifier.display,
    reportCount: 0,
    reporterCount: 0,
    weightedReporters: 0,
    weightTerms: 0,
    lossFen: 0,
    fraudTypes: {},
    firstReportedAt: at,
    lastReportedAt: at,
    confirmed: false,
    lastReportId: '',
    updatedAt: now,
  };
}

/** Adds one report to an identifier's counts (its reporter apart: whether it is new is the caller's to know). */
export function countReport(
  s: IdentifierStatsRecord,
  r: Pick<IndexableReport, '_id' | 'lossFen' | 'fraudType' | 'occurredAt'>,
): void {
  s.reportCount += 1;
  s.lossFen += r.lossFen;
  s.fraudTypes[r.fraudType] = (s.fraudTypes[r.fraudType] ?? 0) + 1;
  if (r.occurredAt < s.firstReportedAt) s.firstReportedAt = r.occurredAt;
  if (r.occurredAt > s.lastReportedAt) s.lastReportedAt = r.occurredAt;
  s.lastReportId = r._id;
}

/** Adds a reporter new to the identifier: its weight and its decay term (risk.ts `decayTerm`). */
export function countReporter(s: IdentifierStatsRecord, weight: number, term: number): void {
  s.reporterCount += 1;
  s.weightedReporters += weight;
  s.weightTerms += term;
}

/** The last import-round markers kept on a statistics document (`countedBy`): see addRound. */
export const COUNTED_BY_KEPT = 16;

/** `$inc` of the counters, `$min`/`$max` of the dates: what adding a delta document's counts takes. */
function countsUpdate(d: IdentifierStatsRecord) {
  const inc: Record<string, number> = {
    reportCount: d.reportCount,
    reporterCount: d.reporterCount,
    weightedReporters: d.weightedReporters,
    weightTerms: d.weightTerms,
    lossFen: d.lossFen,
  };
  for (const [type, n] of Object.entries(d.fraudTypes)) inc[`fraudTypes.${type}`] = n;
  return { $inc: inc, $min: { firstReportedAt: d.firstReportedAt }, $max: { lastReportedAt: d.lastReportedAt } };
}
