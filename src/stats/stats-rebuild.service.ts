import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { StatsReportsRepository } from '../reports/stats-reports.repository';
import { RedisLock } from '../store/redis-lock';
import { addReport, applyDeltas, Deltas, RollupReport, StoredCell } from './rollup';
import { StatsError, StatsErrorCode } from './stats.errors';
import { StatsRepository } from './stats.repository';
import { StatsRollups } from './stats-rollups.service';

/** Reports counted per round of the rebuild: each touched document is read and written once a round. */
const REBUILD_CHUNK = 50_000;
/** Differences listed in a verification at most. */
const MAX_DIFFERENCES = 200;

export interface StatsVerifyOutcome {
  reports: number;
  documents: number;
  differences: string[];
  ok: boolean;
}

export interface StatsRebuildOutcome {
  reports: number;
  generation: number;
  seconds: number;
}

/**
 * `siqian stats rebuild [--verify]`. A rebuild builds the next generation from the reports while the
 * incremental path feeds both it and the current one (StatsRollups.count), then makes it current and drops
 * the old one: queries never see a half-built generation. `verify` recomputes everything in memory from the
 * reports and compares it with the current generation, cell by cell; it changes nothing.
 */
@Injectable()
export class StatsRebuildService {
  constructor(
    private readonly repo: StatsRepository,
    private readonly rollups: StatsRollups,
    private readonly reports: StatsReportsRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async rebuild(onProgress?: (done: number, total: number) => void): Promise<StatsRebuildOutcome> {
    const started = Date.now();
    const lease = await new RedisLock(
      this.redis,
      `${this.cfg.queue.prefix}:lock:stats-rebuild`,
      60_000,
      0,
    ).tryAcquire();
    if (!lease) throw new StatsError(StatsErrorCode.REBUILD_RUNNING, 'another stats rebuild is running');
    try {
      const g = await this.repo.generations();
      const next = Math.max(g.current, g.building ?? 0) + 1;
      await this.repo.setGenerations({ current: g.current, building: next });
      const total = await this.reports.estimatedCount();
      let done = 0;
      let chunk: RollupReport[] = [];
      const flush = async () => {
        await this.rollups.countInto(next, chunk);
        done += chunk.length;
        chunk = [];
        onProgress?.(done, total);
      };
      for await (const r of this.reports.scan()) {
        chunk.push(r);
        if (chunk.length >= REBUILD_CHUNK) await flush();
      }
      await flush();
      if (!(await lease.stillHeld())) throw new Error('the rebuild lost its lease; nothing was switched');
      await this.repo.setGenerations({ current: next });
      for (const old of new Set([g.current, g.building])) if (old !== undefined) await this.repo.dropGeneration(old);
      return { reports: done, generation: next, seconds: (Date.now() - started) / 1000 };
    } finally {
      await lease.releaseQuietly();
    }
  }

  async verify(onProgress?: (done: number, total: number) => void): Promise<StatsVerifyOutcome> {
    const { current } = await this.repo.generations();
    const total = await this.reports.estimatedCount();
    const deltas: Deltas = new Map();
    let reports = 0;
    for await (const r of this.reports.scan()) {
      addReport(deltas, current, r);
      if (++reports % 10_000 === 0) onProgress?.(reports, total);
    }
    onProgress?.(reports, total);
    const expected = new Map<string, StoredCell[]>([...deltas].map(([id, d]) => [id, applyDeltas([], d)]));
    const differences: string[] = [];
    const note = (s: string) => {
      if (differences.length < MAX_DIFFERENCES) differences.push(s);
    };
    let documents = 0;
    for await (const stored of this.repo.scanGeneration(current)) {
      documents++;
      compareCells(stored.id, expected.get(stored.id) ?? [], applyDeltas(stored.cells, new Map()), note);
      expected.delete(stored.id);
    }
    for (const [id, cells] of expected) if (cells.length > 0) note(`${id}: missing (${cells.length} cells expected)`);
    return { reports, documents, differences, ok: differences.length === 0 };
  }
}

function compareCells(id: string, want: StoredCell[], got: StoredCell[], note: (s: string) => void): void {
  const g = new Map(got.map((c) => [c.k, c]));
  for (const w of want) {
    const s = g.get(w.k);
    g.delete(w.k);
    const fmt = (c?: StoredCell) => (c ? `${c.r}/${c.v}/${c.l}/${c.n}` : 'none');
    if (!s || s.r !== w.r || s.v !== w.v || s.l !== w.l || s.n !== w.n)
      note(`${id} ${w.k}: expected ${fmt(w)} (reports/victims/fen/near misses), stored ${fmt(s)}`);
  }
  for (const [k, s] of g) note(`${id} ${k}: stored ${s.r}/${s.v}/${s.l}/${s.n}, expected none`);
}
