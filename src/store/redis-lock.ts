/**
 * Locks and leases in Redis: the embedded store has no atomic read-modify-write (STYLE.md "The store"), so
 * whatever must be serialised takes a Redis key first.
 *
 * - {@link RedisLock}: one key, a renewed {@link Lease}. Acquire is `SET key token NX PX ttl` (and, when
 *   numbered, an INCR of `<key>:gen` in the same script, so a holder can tell that nobody else held the lock
 *   since its previous lease); a timer extends the lease every ttl/3; `stillHeld()` extends it right before a
 *   commit, so a holder that lost its lease never commits (fencing at the commit point).
 * - {@link RedisKeyLocks}: many short-lived keys taken in batches (per-identifier serialisation), no renewal.
 *
 * Both release by compare-and-delete, so a holder whose lock expired never deletes its successor's, and both
 * wait a bounded time with jittered exponential backoff, then throw {@link LockTimeoutError}.
 */
import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** SET NX PX and, when taken, INCR the lock's generation (every acquisition anywhere numbers itself). */
const ACQUIRE_NUMBERED = `if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return redis.call('incr', KEYS[2]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

const logger = new Logger('RedisLock');

/** A lock could not be taken within the bounded wait (a job is retried by Bull; the API answers CONFLICT). */
export class LockTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockTimeoutError';
  }
}

/** The lease expired and was taken by another holder before the commit: nothing was written. */
export class LockLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockLostError';
  }
}

const newToken = (bytes = 16) => randomBytes(bytes).toString('base64url');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Lease {
  private timer: NodeJS.Timeout | undefined;
  private lostFlag = false;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    readonly token: string,
    private readonly ttlMs: number,
    /** the lock's acquisition count when this lease was taken (0 when the lock is not numbered) */
    readonly generation = 0,
  ) {
    this.timer = setInterval(
      () => {
        // a failed renewal is retried by the next tick; `stillHeld()` at the commit point decides
        void this.extend().catch((err: unknown) => logger.debug({ err, key }, 'lease renewal failed; retried'));
      },
      Math.max(50, Math.floor(ttlMs / 3)),
    );
    this.timer.unref();
  }

  /** True once a renewal found the lease gone. */
  get lost(): boolean {
    return this.lostFlag;
  }

  private async extend(): Promise<boolean> {
    if (this.lostFlag) return false;
    const ok = Number(await this.redis.eval(EXTEND, 1, this.key, this.token, String(this.ttlMs))) === 1;
    if (!ok) this.lostFlag = true;
    return ok;
  }

  /** Extends the lease and tells whether it is still ours (call right before committing). */
  async stillHeld(): Promise<boolean> {
    return this.extend();
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.lostFlag) return;
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }

  /**
   * Releases where a failure must not hide the caller's own outcome: the lease then lapses after its ttl
   * (its renewal timer is stopped either way).
   */
  async releaseQuietly(): Promise<void> {
    await this.release().catch((err: unknown) =>
      logger.debug({ err, key: this.key }, 'lease release failed; it lapses after its ttl'),
    );
  }
}

export interface RedisLockOptions {
  /** number every acquisition (`<key>:gen`, a key that never expires); default true */
  numbered?: boolean;
}

/** One Redis key held by one {@link Lease} at a time. */
export class RedisLock {
  private readonly numbered: boolean;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly ttlMs: number,
    private readonly waitMs: number,
    opts: RedisLockOptions = {},
  ) {
    this.numbered = opts.numbered ?? true;
  }

  /** One attempt; undefined when the lock is held by someone else. */
  async tryAcquire(): Promise<Lease | undefined> {
    const token = newToken();
    if (!this.numbered) {
      const ok = await this.redis.set(this.key, token, 'PX', this.ttlMs, 'NX');
      return ok === 'OK' ? new Lease(this.redis, this.key, token, this.ttlMs) : undefined;
    }
    const generation = Number(
      await this.redis.eval(ACQUIRE_NUMBERED, 2, this.key, `${this.key}:gen`, token, String(this.ttlMs)),
    );
    return generation > 0 ? new Lease(this.redis, this.key, token, this.ttlMs, generation) : undefined;
  }

  /** Waits (bounded by `waitMs`, jittered backoff 5 ms .. 250 ms) until the lock is taken. */
  async acquire(): Promise<Lease> {
    const deadline = Date.now() + this.waitMs;
    let delay = 5;
    for (;;) {
      const lease = await this.tryAcquire();
      if (lease) return lease;
      if (Date.now() > deadline) throw new LockTimeoutError(`lock ${this.key} not acquired within ${this.waitMs} ms`);
      await sleep(delay / 2 + Math.random() * delay);
      delay = Math.min(delay * 2, 250);
    }
  }

  /** Runs `fn` holding the lock (acquire with the bounded wait, always released). */
  async withLock<T>(fn: (lease: Lease) => Promise<T>): Promise<T> {
    const lease = await this.acquire();
    try {
      return await fn(lease);
    } finally {
      await lease.releaseQuietly();
    }
  }
}

/** Many keys, each locked for a short critical section; taken in batches of one round trip. */
export class RedisKeyLocks {
  constructor(
    private readonly redis: Redis,
    private readonly ttlMs = 15_000,
    private readonly maxWaitMs = 10_000,
  ) {}

  /**
   * Takes as many of `keys` as possible in one round trip; returns key -> token for those taken. Callers
   * retry the others (see {@link withLocks}).
   */
  async tryAcquire(keys: string[]): Promise<Map<string, string>> {
    const taken = new Map<string, string>();
    if (keys.length === 0) return taken;
    const pipe = this.redis.pipeline();
    const tokens = keys.map(() => newToken(12));
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
      await sleep(delay + Math.random() * delay);
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
