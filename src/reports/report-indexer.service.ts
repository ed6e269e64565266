import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { JobQueueService } from '../queue/job-queue.service';
import type { JobItem } from '../queue/job.types';
import { REDIS } from '../redis/redis.module';
import { GroupCommit } from '../store/group-commit';
import {
  countReport,
  countReporter,
  emptyStats,
  IdentifierStatsRecord,
  IdentifierStatsRepository,
} from './identifier-stats.repository';
import { mapLimit } from '../store/map-limit';
import { LookupCache } from './lookup-cache';
import type { StoredIdentifier } from './prepare-report';
import { ReportKeys } from './redis-keys';
import { ReportLists } from './report-lists.service';
import { RedisKeyLocks } from '../store/redis-lock';
import { IndexableReport, ReportsRepository } from './reports.repository';
import { decayTerm } from './risk';

interface KeyEntries {
  identifier: StoredIdentifier;
  reports: IndexableReport[];
}

/**
 * Counts public reports into the lookup statistics of their identifiers (the `report.index` job; imports
 * count in rounds instead, ImportCounter, under the same identifier locks):
 *
 * 1. Repeats (`repeatOf`) and warninglisted identifiers count nothing.
 * 2. Per identifier, under the Redis lock `lock:ident:<key>`: claim `<key>|<reportId>` (a duplicate: already
 *    counted), claim `<key>|<reporterKey>` for the newly counted reports' reporters (a duplicate: not a new
 *    distinct reporter; a reporter keyed by its own report is not claimed), then one bulk `$inc` upsert.
 *    Exact without atomic updates: serialised by the lock.
 * 3. Hand-off to linking: an insert into `report_handoffs` (a duplicate: already handed off), not an update
 *    of the report, which costs more than an insert on FerretDB v1.
 *
 * At most once per (identifier, report): a crash between a claim and the stats write loses one count, never
 * doubles it.
 */
@Injectable()
export class ReportIndexer {
  private readonly locks: RedisKeyLocks;
  private readonly keys: ReportKeys;
  private readonly lookupCache: LookupCache<object>;
  /** Concurrent `report.index` jobs (WORKER_CONCURRENCY of them) are indexed together: see indexReport. */
  private readonly jobBatches = new GroupCommit<{ reportId: string; correlationId: string }, void>(
    (jobs) => this.indexJobs(jobs),
    64,
    1,
  );

  constructor(
    private readonly reports: ReportsRepository,
    private readonly stats: IdentifierStatsRepository,
    @Inject(REDIS) redis: Redis,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly jobs: JobQueueService,
    private readonly lists: ReportLists,
  ) {
    this.locks = new RedisKeyLocks(redis);
    this.keys = new ReportKeys(cfg.queue.prefix);
    this.lookupCache = new LookupCache(redis, this.keys, cfg.reports.lookupCacheTtlSeconds);
  }

  /**
   * The `report.index` job (the reports of one hand-off batch); then the hand-off to linking: one
   * `report.link` job for the reports indexed together. Jobs running at the same time are indexed together (one lock
   * round trip, one insert per claim collection, one hand-off insert, one bulk enqueue) and each resolves when
   * its reports are done; a failed batch fails each of its jobs, which Bull retries (indexing is idempotent).
   */
  async indexReports(reportIds: readonly string[], correlationId: string): Promise<void> {
    await Promise.all(reportIds.map((reportId) => this.jobBatches.submit({ reportId, correlationId })));
  }

  private async indexJobs(jobs: { reportId: string; correlationId: string }[]): Promise<{ value: void }[]> {
    const found = await mapLimit(jobs, 8, (j) => this.reports.findIndexable(j.reportId));
    const reports = found.filter((r): r is IndexableReport => r !== null); // never stored: nothing to index
    if (reports.length > 0) {
      await this.indexBatch(reports, new Date());
      await this.lists.add(reports);
      // the same batch to linking and to the statistics rollups (src/stats), in one round trip per queue
      const data = {
        batchId: randomUUID(),
        reportIds: reports.map((r) => r._id),
        correlationId: jobs[0].correlationId,
      };
      // a large loss opens a case (src/cases): public reports only, never a repeat of an earlier report
      const threshold = this.cfg.cases.autoOpenLossFen;
      const autoOpen: JobItem[] =
        threshold > 0
          ? reports
              .filter((r) => r.source === 'public' && !r.repeatOf && r.lossFen > threshold)
              .map((r) => ({ name: 'case.autoOpen', data: { reportId: r._id, correlationId: data.correlationId } }))
          : [];
      await this.jobs.enqueueMany([{ name: 'report.link', data }, { name: 'stats.rollup', data }, ...autoOpen]);
    }
    return jobs.map(() => ({ value: undefined }));
  }

  /**
   * Indexes many reports at once (the jobs' batches), then records their hand-off. The counts are added by
   * bulk `$inc` upserts by `_id` without reading them first (fewer round trips). Never a `$in` query: FerretDB
   * v1 compares every stored document with every key, while writes by `_id` cost the same at any size.
   */
  async indexBatch(reports: IndexableReport[], now = new Date()): Promise<void> {
    const byKey = new Map<string, KeyEntries>();
    const seen = new Set<string>();
    for (const r of reports) {
      if (r.repeatOf || seen.has(r._id)) continue; // the same report twice in a batch counts once
      seen.add(r._id);
      for (const id of r.identifiers) {
        if (id.warninglisted) continue;
        const e = byKey.get(id.key) ?? { identifier: id, reports: [] };
        if (!e.reports.includes(r)) e.reports.push(r);
        byKey.set(id.key, e);
      }
    }
    const lockToKey = new Map([...byKey.keys()].map((k) => [this.keys.lock(k), k]));
    await this.locks.withLocks([...lockToKey.keys()], (locked) =>
      this.apply(
        locked.map((l) => lockToKey.get(l) as string),
        byKey,
        now,
      ),
    );
    await this.lookupCache.forget([...byKey.keys()]);
    await this.reports.recordHandOffs(
      reports.map((r) => r._id),
      now,
    );
  }

  /**
   * Investigator confirmation (`confirmIdentifier` on a case): under the same lock as the counting; the cached
   * lookup answer is forgotten, so the public sees CONFIRMED at its next lookup.
   */
  async setConfirmed(key: string, confirmed: boolean): Promise<void> {
    await this.locks.withLocks([this.keys.lock(key)], () => this.stats.setConfirmed(key, confirmed));
    await this.lookupCache.forget([key]);
  }

  private async apply(keys: string[], byKey: Map<string, KeyEntries>, now: Date): Promise<void> {
    const reportClaims = keys.flatMap((k) => (byKey.get(k) as KeyEntries).reports.map((r) => `${k}|${r._id}`));
    const newReports = new Set(await this.stats.claimReports(reportClaims));
    const reporterClaims = new Set<string>();
    // a reporter that is the report itself (an imported row without a contact: reporterKey = the report's
    // id) is new exactly when the report is: its claim would be written only to be found new, so it is not
    const selfReporters: string[] = [];
    for (const k of keys) {
      for (const r of (byKey.get(k) as KeyEntries).reports) {
        if (!newReports.has(`${k}|${r._id}`)) continue;
        if (r.reporterKey === r._id) selfReporters.push(`${k}|${r.reporterKey}`);
        else reporterClaims.add(`${k}|${r.reporterKey}`);
      }
    }
    const newReporters = new Set([...(await this.stats.claimReporters([...reporterClaims])), ...selfReporters]);
    const touched = keys.filter((k) =>
      (byKey.get(k) as KeyEntries).reports.some((r) => newReports.has(`${k}|${r._id}`)),
    );
    // the counts of this batch are added by one bulk upsert ($inc/$min/$max, no read): exact under the
    // identifier locks held here, on MongoDB and on FerretDB v1 alike. A fraud type that cannot be a field name
    // (never one of the taxonomy's) falls back to reading each document by `_id` and writing it back whole.
    const upsert = touched.every((k) => (byKey.get(k) as KeyEntries).reports.every(safeKey));
    const current = upsert ? touched.map(() => null) : await mapLimit(touched, 16, (k) => this.stats.find(k));
    const created: IdentifierStatsRecord[] = [];
    const changed: IdentifierStatsRecord[] = [];
    touched.forEach((k, i) => {
      const { identifier, reports } = byKey.get(k) as KeyEntries;
      const first = upsert ? (reports.find((r) => newReports.has(`${k}|${r._id}`)) as IndexableReport) : reports[0];
      const doc: IdentifierStatsRecord = current[i] ?? emptyStats(identifier, first.occurredAt, now);
      for (const r of reports) {
        if (!newReports.has(`${k}|${r._id}`)) continue;
        countReport(doc, r);
        const reporterClaim = `${k}|${r.reporterKey}`;
        if (newReporters.delete(reporterClaim)) countReporter(doc, r.weight, decayTerm(r.weight, r.occurredAt));
      }
      doc.updatedAt = now;
      (current[i] ? changed : created).push(doc);
    });
    if (upsert) await this.stats.addCounts(created, now);
    else await this.stats.save(created, changed);
  }
}

/** A fraud type usable as a field name in `fraudTypes.<type>` ($inc): no dot, no leading `$`. */
const safeKey = (r: IndexableReport): boolean => /^[A-Za-z0-9_]+$/.test(r.fraudType);
