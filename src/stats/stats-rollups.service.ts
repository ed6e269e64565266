import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { RedisLock } from '../store/redis-lock';
import { addReport, applyDeltas, Deltas, Figures, RollupReport, shanghaiDay } from './rollup';
import { StatsRepository } from './stats.repository';

/** Lock lease (renewed while held) and wait: a month's documents are read and written whole while it is held. */
const LOCK_TTL_MS = 30_000;
const LOCK_WAIT_MS = 30_000;

/** One claim and what it adds: a report (+1), or a correction (−1 the report before, +1 after). */
interface Entry {
  /** `<reportId>` or `<reportId>@<correctionId>`; the generation is prefixed per generation */
  claim: string;
  changes: { report: RollupReport; sign: 1 | -1 }[];
}

/**
 * Maintains the rollups (src/stats/rollup.ts) incrementally, exactly once per (report, generation):
 *
 * 1. Everything a report touches lives in the documents of its Shanghai month (day and month documents), so a
 *    Redis lock per month (`<prefix>:lock:stats:<YYYY-MM>`) serialises every read-modify-write of them. No
 *    `$inc` races on FerretDB v1, where an update is "read, then write" without atomicity.
 * 2. Under the lock: the claims `<generation>:<reportId>` are inserted (a duplicate: already counted, skipped),
 *    the new reports are folded in memory, each touched document is read by `_id` once and written once.
 * 3. Every generation the meta names is fed (the current one and, during a rebuild, the one being built).
 *
 * At most once per (report, generation): a crash between the claims and the write loses those reports' counts,
 * never doubles them; `siqian stats rebuild --verify` reports it and `stats rebuild` repairs it.
 */
@Injectable()
export class StatsRollups {
  constructor(
    private readonly repo: StatsRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  private lockKey(month: string): string {
    return `${this.cfg.queue.prefix}:lock:stats:${month}`;
  }

  /** Counts reports (the `stats.rollup` job, imports) into every live generation; one counted before adds nothing. */
  async count(reports: readonly RollupReport[], now = new Date()): Promise<void> {
    const g = await this.repo.generations();
    for (const gen of g.building === undefined ? [g.current] : [g.current, g.building])
      await this.countInto(gen, reports, now);
  }

  /** Counts reports into one generation (the rebuild feeds the one it builds), one month at a time. */
  async countInto(generation: number, reports: readonly RollupReport[], now = new Date()): Promise<void> {
    const byMonth = new Map<string, Entry[]>();
    for (const r of reports) {
      const month = shanghaiDay(r.occurredAt).slice(0, 7);
      const list = byMonth.get(month) ?? [];
      list.push({ claim: r._id, changes: [{ report: r, sign: 1 }] });
      byMonth.set(month, list);
    }
    for (const month of [...byMonth.keys()].sort())
      await this.holding([month], () => this.apply(generation, byMonth.get(month) as Entry[], now));
  }

  /**
   * Runs `fn` holding the locks of `months`, taken in order (no deadlock between two holders of two months).
   * Leases renewed while held: a large import chunk may hold a month for longer than a lock's expiry.
   */
  private async holding(months: string[], fn: () => Promise<void>): Promise<void> {
    const [first, ...rest] = [...new Set(months)].sort();
    if (first === undefined) return fn();
    const lock = new RedisLock(this.redis, this.lockKey(first), LOCK_TTL_MS, LOCK_WAIT_MS, { numbered: false });
    await lock.withLock(() => this.holding(rest, fn));
  }

  /**
   * Moves a report's figures after a correction (another region, type, day, loss...): `before` out of its
   * cells, `after` into its own, once per `correctionId`, in the current generation (a rebuild reads the
   * corrected report). The caller stores the corrected report first. A correction made while a rebuild runs
   * may be missing from the generation being built: `stats rebuild --verify` afterwards shows it.
   */
  async correct(before: RollupReport, after: RollupReport, correctionId: string, now = new Date()): Promise<void> {
    const { current } = await this.repo.generations();
    const entry: Entry = {
      claim: `${before._id}@${correctionId}`,
      changes: [
        { report: before, sign: -1 },
        { report: after, sign: 1 },
      ],
    };
    const months = [before, after].map((r) => shanghaiDay(r.occurredAt).slice(0, 7));
    await this.holding(months, () => this.apply(current, [entry], now));
  }

  private async apply(generation: number, entries: readonly Entry[], now: Date): Promise<void> {
    if (entries.length === 0) return;
    const taken = await this.repo.claim(
      entries.map((e) => `${generation}:${e.claim}`),
      now,
    );
    const deltas: Deltas = new Map();
    entries.forEach((e, i) => {
      if (taken.has(i)) return;
      for (const c of e.changes) addReport(deltas, generation, c.report, c.sign);
    });
    const ids = [...deltas.keys()];
    const stored = await this.repo.cellsOf(ids);
    await this.repo.write(
      ids.map((id, i) => ({ id, cells: applyDeltas(stored[i], deltas.get(id) ?? new Map<string, Figures>()) })),
      now,
    );
  }
}
