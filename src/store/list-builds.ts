import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { ListIndex } from './list-index';
import { withoutQueryTimeLimit } from '../database/query-time-limit';

/** How long a request waits for a build it started before it is answered by a scan. */
const READY_WAIT_MS = 3_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** How long a build may hold its lock before another process may start one (a build renews nothing). */
const BUILD_LOCK_SECONDS = 6 * 3600;

/**
 * Builds of one list, shared by its feature's service: `ready()` is true once a build finished; the first
 * request that finds the list unbuilt starts one in the background (one process at a time, a Redis lock),
 * waits for it up to READY_WAIT_MS, and is answered by the caller's scan when it takes longer. `siqian reindex`
 * runs {@link ListBuilds.rebuild} in the foreground, and `--verify` {@link ListBuilds.verify}.
 */
export class ListBuilds {
  private readonly logger: Logger;
  private running?: Promise<number>;

  private readonly redis: Redis;
  private readonly lockKey: string;

  constructor(
    readonly index: ListIndex,
    private readonly list: string,
    /** adds every record of the list to `index` (the build's scan); returns how many */
    private readonly fill: (index: ListIndex, onProgress?: (n: number) => void) => Promise<number>,
  ) {
    this.logger = new Logger(`ListBuilds(${list})`);
    this.redis = index.redis;
    this.lockKey = index.buildLockKey(list);
  }

  /** True when the list may be served from the index; else starts a background build and returns false. */
  async ready(): Promise<boolean> {
    // a built list stays built until Redis loses it (then the marker is gone too): checked every time, O(1)
    if (await this.index.isBuilt(this.list)) return true;
    if (!this.running) {
      // the build outlives the request that starts it: it must not inherit the request's store time limit
      this.running = withoutQueryTimeLimit(() => this.build(false)).catch((e: unknown) => {
        this.logger.error({ err: e }, `building the ${this.list} list index failed; pages scan until a build succeeds`);
        return 0;
      });
      void this.running.finally(() => (this.running = undefined));
    }
    // a small store's build takes milliseconds: wait a moment rather than answer this page by a scan (whose
    // cursors an index page may not read)
    const waited = await Promise.race([this.running.then(() => true), sleep(READY_WAIT_MS).then(() => false)]);
    return waited && (await this.index.isBuilt(this.list));
  }

  /** Drops the list and builds it again in the foreground (`siqian reindex`); returns the records added. */
  rebuild(onProgress?: (n: number) => void): Promise<number> {
    return this.build(true, onProgress);
  }

  private async build(force: boolean, onProgress?: (n: number) => void): Promise<number> {
    const token = `${process.pid}:${Date.now()}`;
    const taken = await this.redis.set(this.lockKey, token, 'EX', BUILD_LOCK_SECONDS, 'NX');
    if (!taken) {
      if (force) throw new Error(`another process is building the ${this.list} list index (lock ${this.lockKey})`);
      return 0;
    }
    try {
      if (!force && (await this.index.isBuilt(this.list))) return 0;
      const started = Date.now();
      await this.index.clear(this.list);
      const n = await this.fill(this.index, onProgress);
      await this.index.markBuilt(this.list);
      this.logger.log({ records: n, ms: Date.now() - started }, `${this.list} list index built`);
      return n;
    } finally {
      if ((await this.redis.get(this.lockKey)) === token) await this.redis.del(this.lockKey);
    }
  }

  /**
   * Builds the list from the records into a scratch copy beside it and compares the two key by key (nothing
   * changes; the scratch copy is dropped). Writes that run meanwhile show up as differences: a difference seen
   * twice is real. Lines: `missing <key> <member>` (in the records, not in the index) and `extra ...`.
   */
  async verify(): Promise<{ records: number; keys: number; missing: string[]; extra: string[] }> {
    const scratch = this.index.scratch();
    try {
      const records = await this.fill(scratch);
      const keys = new Set([...(await this.index.keysOf(this.list)), ...(await scratch.keysOf(this.list))]);
      const missing: string[] = [];
      const extra: string[] = [];
      for (const k of [...keys].sort()) {
        const have = new Set(await this.index.members(this.list, k));
        const want = new Set(await scratch.members(this.list, k));
        for (const m of want) if (!have.has(m)) missing.push(`${k} ${m}`);
        for (const m of have) if (!want.has(m)) extra.push(`${k} ${m}`);
      }
      return { records, keys: keys.size, missing, extra };
    } finally {
      await scratch.clear(this.list);
    }
  }
}

/**
 * The usual build scan: reads `records` (a store cursor) in batches of `batch`, hands each batch to `add`, reports
 * progress; returns how many records were read.
 */
export async function fillInBatches<T>(
  records: AsyncIterable<T>,
  batch: number,
  add: (batch: T[]) => Promise<void>,
  onProgress?: (n: number) => void,
): Promise<number> {
  let n = 0;
  let pending: T[] = [];
  for await (const r of records) {
    pending.push(r);
    if (pending.length >= batch) {
      await add(pending);
      n += pending.length;
      pending = [];
      onProgress?.(n);
    }
  }
  if (pending.length > 0) await add(pending);
  n += pending.length;
  onProgress?.(n);
  return n;
}
