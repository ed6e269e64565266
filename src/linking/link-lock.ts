/**
 * The linking lock: one Redis lease that serialises every write to the link_* collections (the embedded store
 * has no atomic read-modify-write, STYLE.md "The store").
 *
 * - acquire: `SET key token NX PX ttl` with a random token; bounded wait with jittered exponential backoff;
 * - renewal: while held, a timer extends the lease every ttl/3 by a compare-and-PEXPIRE script; if the lease is
 *   found taken by someone else (it expired during a long pause) the lease is marked lost;
 * - `stillHeld()`: the same compare-and-extend, called right before a commit — a holder that lost its lease
 *   never commits (fencing at the commit point; the remaining window is one Redis round trip + one insert);
 * - release: compare-and-delete (Lua), so a holder whose lease expired never deletes its successor's;
 * - generation: every acquisition increments `<key>:gen` in the same script, so a holder can tell that nobody
 *   else held the lock since its previous lease (`generation` is exactly one more).
 */
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** SET NX PX and, when taken, INCR the lock's generation (every acquisition anywhere numbers itself). */
const ACQUIRE = `if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return redis.call('incr', KEYS[2]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** The lock could not be taken within the bounded wait (a job is retried by Bull; the API answers CONFLICT). */
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

export class Lease {
  private timer: NodeJS.Timeout | undefined;
  private lostFlag = false;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    readonly token: string,
    private readonly ttlMs: number,
    /** the lock's acquisition count when this lease was taken */
    readonly generation = 0,
  ) {
    this.timer = setInterval(
      () => {
        void this.extend().catch(() => undefined);
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
}

export class LinkLock {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly ttlMs: number,
    private readonly waitMs: number,
  ) {}

  /** One attempt; undefined when the lock is held by someone else. */
  async tryAcquire(): Promise<Lease | undefined> {
    const token = randomBytes(16).toString('base64url');
    const generation = Number(
      await this.redis.eval(ACQUIRE, 2, this.key, `${this.key}:gen`, token, String(this.ttlMs)),
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
      if (Date.now() > deadline)
        throw new LockTimeoutError(`linking lock ${this.key} not acquired within ${this.waitMs} ms`);
      await new Promise((r) => setTimeout(r, delay / 2 + Math.random() * delay));
      delay = Math.min(delay * 2, 250);
    }
  }

  /** Runs `fn` holding the lock (acquire with the bounded wait, always released). */
  async withLock<T>(fn: (lease: Lease) => Promise<T>): Promise<T> {
    const lease = await this.acquire();
    try {
      return await fn(lease);
    } finally {
      await lease.release().catch(() => undefined);
    }
  }
}
