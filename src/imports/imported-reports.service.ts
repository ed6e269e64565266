import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { Lease, RedisLock } from '../store/redis-lock';
import { REDIS } from '../redis/redis.module';
import { ImportCounter } from './import-counter.service';
import { ListedReport, ReportLists } from '../reports/report-lists.service';
import { ImportCounts } from './import-counts';
import type { ImportRunState } from './import-run.schema';
import { ImportRunRecord, ImportRunsRepository } from './import-runs.repository';
import { ReportRecord, ReportsRepository } from '../reports/reports.repository';
import type { RollupReport } from '../stats/rollup';
import { StatsRollups } from '../stats/stats-rollups.service';

/**
 * Identifiers a round of an import's counts holds in memory (~0.5 KB each) before it is added to the
 * statistics: the round's memory is bounded, whatever the file's size. 100,000 generated reports touch ~25,000.
 */
export const IMPORT_ROUND_KEYS = 200_000;
/** Inserted reports counted into the statistics rollups at once (StatsRollups: one write per touched document). */
const STATS_ROUND = 50_000;
/** An import run's Redis lease (renewed every third of it): a run whose lease lapsed is dead. */
const RUN_LEASE_MS = 60_000;

/** An import run in progress (ImportService): its reports are counted round by round. */
export interface ImportRun {
  readonly id: string;
  readonly source: string;
  /** the round in progress: the reports inserted now are counted by it */
  round: number;
  /** reports counted by the rounds applied so far */
  counted: number;
  readonly counts: ImportCounts;
  readonly lease: Lease;
  /** identifiers a round holds before it is applied (IMPORT_ROUND_KEYS) */
  readonly roundKeys: number;
  /** inserted reports not yet counted into the statistics rollups (STATS_ROUND at most) */
  statsPending: RollupReport[];
}

/** An import run taken over for recovery: its lease is now ours. */
export interface DeadRun {
  readonly record: ImportRunRecord;
  readonly lease: Lease;
}

/** An import's runs: their leases, the inserts they tag, counting round by round, dead runs (linking: ImportLinker). */
@Injectable()
export class ImportedReportsService {
  private readonly prefix: string;

  constructor(
    private readonly repo: ReportsRepository,
    private readonly counter: ImportCounter,
    private readonly runs: ImportRunsRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) cfg: AppConfig,
    private readonly stats: StatsRollups,
    private readonly lists: ReportLists,
  ) {
    this.prefix = cfg.queue.prefix;
  }

  /** The run's lease (`<prefix>:import:run:<id>`, SET NX PX, renewed while held); undefined when held. */
  private async tryLease(runId: string): Promise<Lease | undefined> {
    const key = `${this.prefix}:import:run:${runId}`;
    return new RedisLock(this.redis, key, RUN_LEASE_MS, 0, { numbered: false }).tryAcquire();
  }

  /** Starts a run (import_runs, state COUNTING) holding its lease. */
  async startRun(source: string, file: string, now = new Date(), roundKeys = IMPORT_ROUND_KEYS): Promise<ImportRun> {
    const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
    const id = `${source}-${stamp}-${randomBytes(4).toString('hex')}`;
    const lease = await this.tryLease(id);
    if (!lease) throw new Error(`import run ${id}: its lease is taken`);
    await this.runs.create({
      _id: id,
      source,
      file: basename(file),
      state: 'COUNTING',
      rounds: 0,
      counted: 0,
      startedAt: now,
      updatedAt: now,
    });
    return { id, source, round: 1, counted: 0, counts: new ImportCounts(), lease, roundKeys, statsPending: [] };
  }

  /**
   * Inserts a batch, AWAITING_LINKING and tagged with the run and its round; the reports it wrote (`fresh`: not
   * the duplicates, nor a second row with the same id) are added to the round's counts, which is applied once
   * it holds IMPORT_ROUND_KEYS identifiers. An insert is the claim: a re-import inserts nothing, so counts
   * nothing; what a run inserted and did not count is counted by its recovery (`deadRuns`).
   */
  async insert(
    run: ImportRun,
    docs: ReportRecord[],
  ): Promise<{ inserted: number; duplicates: number; fresh: ReportRecord[] }> {
    // a run whose lease a renewal found gone (Redis lost it, or the process stalled past it) may be under
    // recovery by another import, which would not see what it inserts from now on: it stops here
    if (run.lease.lost) throw new Error(`import run ${run.id} lost its lease; the next import recovers it`);
    for (const d of docs) {
      d.importRun = run.id;
      d.importRound = run.round;
    }
    const dup = await this.repo.insertReports(docs);
    const fresh = docs.filter((_, i) => !dup.has(i));
    await this.lists.add(fresh);
    const now = new Date();
    for (const d of fresh) run.counts.add(d, now);
    run.statsPending.push(...fresh.map(rollupOf));
    if (run.statsPending.length >= STATS_ROUND) await this.countStats(run);
    if (run.counts.keys >= run.roundKeys) await this.count(run);
    return { inserted: docs.length - dup.size, duplicates: dup.size, fresh };
  }

  /** The stored content of imported reports by id (digest, or `original` for reports stored before digests). */
  storedContent(ids: readonly string[]): Promise<Map<string, Pick<ReportRecord, 'contentDigest' | 'original'>>> {
    return this.repo.findImportContent(ids);
  }

  /** Adds the round in progress to the statistics and starts the next (`onProgress`: identifiers applied). */
  async count(run: ImportRun, onProgress?: (identifiers: number) => void): Promise<void> {
    // a run that lost its lease may be being recovered by another import: it must not count too
    const counted = run.counted + run.counts.reports;
    await this.countStats(run);
    await this.applyRound(run.id, run.lease, run.round, run.counts, counted, { onProgress });
    run.counted = counted;
    run.round += 1;
  }

  /**
   * Applies a round of run `runId` while `lease` is still ours, then records it (`counted`: the run's reports
   * counted once it is in).
   */
  private async applyRound(
    runId: string,
    lease: Lease,
    round: number,
    counts: ImportCounts,
    counted: number,
    opts: { recovering?: boolean; onProgress?: (identifiers: number) => void },
  ): Promise<void> {
    if (lease.lost || !(await lease.stillHeld()))
      throw new Error(`import run ${runId} lost its lease; the next import recovers it`);
    await this.counter.applyRound(runId, round, counts.take(), opts);
    await this.runs.roundApplied(runId, round, counted);
  }

  /**
   * Counts the run's inserted reports into the statistics rollups (exactly once per report by their claims).
   * Reports of a run that dies before this are not recounted by its recovery: `siqian stats rebuild` is.
   */
  private async countStats(run: ImportRun): Promise<void> {
    const pending = run.statsPending.splice(0);
    if (pending.length > 0) await this.stats.count(pending);
  }

  async setState(runId: string, state: ImportRunState): Promise<void> {
    await this.runs.setState(runId, state);
  }

  /** The run is DONE; its lease is released. */
  async finish(run: ImportRun): Promise<void> {
    await this.runs.setState(run.id, 'DONE');
    await run.lease.release();
  }

  /** The run stops here (an error): its lease is released at once, so the next import recovers it. */
  async abandon(run: ImportRun): Promise<void> {
    await run.lease.releaseQuietly();
  }

  /** Runs that are not DONE and whose lease lapsed, each taken over (its lease is now the caller's). */
  async deadRuns(): Promise<DeadRun[]> {
    const dead: DeadRun[] = [];
    for (const record of await this.runs.unfinished()) {
      const lease = await this.tryLease(record._id);
      if (lease) dead.push({ record, lease });
    }
    return dead;
  }

  /** Adds a dead run's reports to the staff list again (idempotent: its run may have died before it did). */
  listAgain(reports: readonly ListedReport[]): Promise<void> {
    return this.lists.add(reports);
  }

  /** A dead run's reports (a full scan of the reports). */
  reportsOf(runId: string): AsyncIterable<ReportRecord> {
    return this.repo.scanImportRun(runId);
  }

  /** Applies a dead run's round again (ImportCounter: what it already reached is skipped) and records it. */
  async recount(dead: DeadRun, round: number, counts: ImportCounts, counted: number): Promise<void> {
    await this.applyRound(dead.record._id, dead.lease, round, counts, counted, { recovering: true });
  }
}

/** What the statistics read of an imported report (not the whole document, which is kept until counted). */
function rollupOf(d: ReportRecord): RollupReport {
  const r: RollupReport = {
    _id: d._id,
    occurredAt: d.occurredAt,
    regionCode: d.regionCode,
    fraudType: d.fraudType,
    channel: d.channel,
    lossFen: d.lossFen,
  };
  if (d.paymentMethod !== undefined) r.paymentMethod = d.paymentMethod;
  if (d.victimAgeBand !== undefined) r.victimAgeBand = d.victimAgeBand;
  if (d.repeatOf !== undefined) r.repeatOf = d.repeatOf;
  return r;
}
