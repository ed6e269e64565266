import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** A lock could not be taken within the bounded wait (the job is retried by Bull). */
export class LockTimeoutError extends Error {}

/**
 * Mutual exclusion over Redis: `SET key token NX PX ttl`, released by a compare-and-delete script so that a
 * holder whose lock expired never deletes its successor's. Waits a bounded time with jittered backoff.
 */
export class RedisLocks {
  constructor(
    private readonly redis: Redis,
    private readonly ttlMs = 15_000,
    private readonly maxWaitMs = 10_000,
  ) {}

  /**
   * Takes as many of `keys` as possible in one round trip; returns key -> token for those taken. Callers
   * retry the others (see {@link acquireAll}).
   */
  async tryAcquire(keys: string[]): Promise<Map<string, string>> {
    const taken = new Map<string, string>();
    if (keys.length === 0) return taken;
    const pipe = this.redis.pipeline();
    const tokens = keys.map(() => randomBytes(12).toString('base64url'));
    keys.forEach((k, i) => pipe.set(k, tokens[i], 'PX', this.ttlMs, 'NX'));
    const res = (await pipe.exec()) ?? [];
    res.forEach(([err, ok], i) => {
      if (!err && ok === 'OK') taken.set(keys[i], tokens[i]);
    });
    return taken;
  }

  /** Runs `fn` with every key locked, taking locks in batches and waiting for busy ones (bounded). */
  async withLocks<T>(keys: string[], fn: (locked: string[]) => Promise<T>): Promise<T[]> {
    const results: T[] = [];
    let remaining = [...new Set(keys)];
    const deadline = Date.now() + this.maxWaitMs;
    let delay = 5;
    while (remaining.length > 0) {
      const taken = await this.tryAcquire(remaining);
      if (taken.size > 0) {
        try {
          results.push(await fn([...taken.keys()]));
        } finally {
          await this.release(taken);
        }
        remaining = remaining.filter((k) => !taken.has(k));
        delay = 5;
        continue;
      }
      if (Date.now() > deadline)
        throw new LockTimeoutError(`could not lock ${remaining.length} key(s) within ${this.maxWaitMs} ms`);
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 200);
    }
    return results;
  }

  async release(taken: Map<string, string>): Promise<void> {
    if (taken.size === 0) return;
    const pipe = this.redis.pipeline();
    for (const [k, token] of taken) pipe.eval(RELEASE, 1, k, token);
    await pipe.exec();
  }
}
