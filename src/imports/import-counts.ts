import {
  countReport,
  countReporter,
  emptyStats,
  type IdentifierStatsRecord,
} from '../reports/identifier-stats.repository';
import type { IndexableReport } from '../reports/reports.repository';
import { decayTerm } from '../reports/risk';

/** What one round of an import adds to the statistics of one identifier. */
export interface CountDelta {
  /**
   * The counts as a fresh statistics document would hold them: every report, and the reporters that are their
   * own report (imported rows without a contact: new exactly when their report is).
   */
  stats: IdentifierStatsRecord;
  /**
   * Reporters with a contact (`c:<hash>`), each with what it adds if it is new to the identifier (the weight and
   * decay term of its first report in the round): whether it is new is decided by its claim when the round is
   * applied, since it may have reported the identifier before, in another import or over the API.
   */
  reporters: Map<string, { weight: number; term: number }>;
}

/**
 * The lookup-statistics counts of an import round, added up in memory report by report (pure: no store). The
 * same rules as the `report.index` job (ReportIndexer): repeats and warninglisted identifiers count nothing, a
 * report counts once per identifier however often it lists it, a reporter once per identifier.
 */
export class ImportCounts {
  private readonly byKey = new Map<string, CountDelta>();
  private counted = 0;

  /** Reports added so far. */
  get reports(): number {
    return this.counted;
  }

  /** Identifiers touched so far: what the round's memory grows with. */
  get keys(): number {
    return this.byKey.size;
  }

  add(r: IndexableReport, now: Date): void {
    if (r.repeatOf) return;
    this.counted++;
    const seen = new Set<string>();
    for (const id of r.identifiers) {
      if (id.warninglisted || seen.has(id.key)) continue;
      seen.add(id.key);
      let d = this.byKey.get(id.key);
      if (!d) {
        d = {
          stats: emptyStats(id, r.occurredAt, now),
          reporters: new Map(),
        };
        this.byKey.set(id.key, d);
      }
      const s = d.stats;
      countReport(s, r);
      if (r.reporterKey === r._id) countReporter(s, r.weight, decayTerm(r.weight, r.occurredAt));
      else if (!d.reporters.has(r.reporterKey)) {
        d.reporters.set(r.reporterKey, { weight: r.weight, term: decayTerm(r.weight, r.occurredAt) });
      }
    }
  }

  /** The deltas in key order (so that concurrent rounds take their identifier locks in one order), and empties. */
  take(): CountDelta[] {
    const out = [...this.byKey.keys()].sort().map((k) => this.byKey.get(k) as CountDelta);
    this.byKey.clear();
    this.counted = 0;
    return out;
  }
}

/**
 * The delta with the reporters found new added: `fresh` holds the reporter claims (`<key>|<reporterKey>`)
 * that were new to the store.
 */
export function withNewReporters(d: CountDelta, fresh: ReadonlySet<string>): IdentifierStatsRecord {
  const s = { ...d.stats, fraudTypes: { ...d.stats.fraudTypes } };
  for (const [reporter, add] of d.reporters) {
    if (fresh.has(`${s._id}|${reporter}`)) countReporter(s, add.weight, add.term);
  }
  return s;
}
