/**
 * How `report.link` jobs wait for their report to be linked: ONE loop per process, not one poll per job.
 *
 * A job puts its report id into the Redis sorted set `pending` (LinkingService) and registers here. The process's
 * single loop then, in turn: checks every registered id in one round trip (linked = no longer pending, as a
 * holder removes ids only after the commit that linked them; or listed in `failed`), tries the lock once, and —
 * holding it — drains the backlog (`hold`); otherwise it sleeps until a holder anywhere announces a release on
 * the `released` channel (Redis pub/sub), a new job arrives, or a backoff timer fires (5 ms .. 250 ms, jittered:
 * the fallback for a missed message and for holders that do not announce, e.g. a recluster).
 *
 * The guarantees are the ones of a job polling on its own: a job completes only once its report is no longer
 * pending, fails when the report is listed as unlinkable, and fails with LockTimeoutError when neither happened
 * within `waitMs`. A hold that throws fails the jobs waiting in this process with its error (Bull retries them).
 */
import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { quitQuietly } from '../redis/redis.module';
import { Lease, RedisLock, LockTimeoutError } from '../store/redis-lock';

interface Waiter {
  correlationId: string;
  deadline: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface LinkWaitKeys {
  pending: string;
  failed: string;
  released: string;
}

/**
 * Tells waiting processes that the lock is free. Not fatal when Redis refuses: waiters fall back to their
 * backoff timer.
 */
export async function announceRelease(redis: Redis, channel: string, logger: Logger): Promise<void> {
  await redis
    .publish(channel, '1')
    .catch((err: unknown) => logger.debug({ err }, 'lock release not announced; waiters poll instead'));
}

export class LinkWaiters {
  private readonly logger = new Logger(LinkWaiters.name);
  private readonly waiting = new Map<string, Waiter[]>();
  private running = false;
  private wake: (() => void) | undefined;
  private woken = false;
  private subscriber: Redis | undefined;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: LinkWaitKeys,
    private readonly lock: RedisLock,
    private readonly waitMs: number,
    /** drains the backlog holding `lease` (the caller releases it) */
    private readonly hold: (lease: Lease, correlationId: string) => Promise<void>,
  ) {}

  /** Resolves once `reportId` (already in `pending`) is linked; see the class comment for failures. */
  wait(reportId: string, correlationId: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const list = this.waiting.get(reportId) ?? [];
      list.push({ correlationId, deadline: Date.now() + this.waitMs, resolve, reject });
      this.waiting.set(reportId, list);
      this.subscribe();
      this.poke();
      if (!this.running) {
        this.running = true;
        void this.loop();
      }
    });
  }

  /** Announces that the lock was released (holders in every process call this after a release). */
  async announceRelease(): Promise<void> {
    await announceRelease(this.redis, this.keys.released, this.logger);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.poke();
    if (this.subscriber) await quitQuietly(this.subscriber, this.logger, 'link-waiters subscriber');
    this.subscriber = undefined;
  }

  private poke(): void {
    this.woken = true;
    this.wake?.();
  }

  private subscribe(): void {
    if (this.subscriber || this.closed) return;
    const sub = this.redis.duplicate({ enableReadyCheck: false });
    sub.on('error', (e: Error) => this.logger.warn(`redis link-waiters: ${e.message}`));
    sub.on('message', () => this.poke());
    sub.subscribe(this.keys.released).catch((e: unknown) => this.logger.warn({ err: e }, 'subscribe failed'));
    this.subscriber = sub;
  }

  /** Runs while anyone waits; `running` is cleared in the same turn as the last check (no stranded waiter). */
  private async loop(): Promise<void> {
    let delay = 5;
    try {
      while (this.waiting.size > 0) {
        this.woken = false;
        try {
          await this.settle();
          if (this.waiting.size === 0) break;
          const lease = await this.lock.tryAcquire();
          if (lease) {
            delay = 5;
            const first = this.waiting.values().next().value as Waiter[];
            try {
              await this.hold(lease, first[0].correlationId);
            } finally {
              await lease.releaseQuietly();
              await this.announceRelease();
            }
            continue;
          }
        } catch (e) {
          // a failed hold (or a Redis error): the jobs waiting here fail with it and are retried by Bull
          for (const [id, list] of this.waiting) {
            this.waiting.delete(id);
            for (const w of list) w.reject(e);
          }
          break;
        }
        await this.sleep(delay / 2 + Math.random() * delay);
        delay = Math.min(delay * 2, 250);
      }
    } finally {
      this.running = false;
    }
  }

  /** One round trip for every waiting id: resolves the linked, rejects the unlinkable and the timed out. */
  private async settle(): Promise<void> {
    const ids = [...this.waiting.keys()];
    const [pending, failed] = await Promise.all([
      this.redis.zmscore(this.keys.pending, ...ids),
      this.redis.hmget(this.keys.failed, ...ids),
    ]);
    const now = Date.now();
    ids.forEach((id, i) => {
      const list = this.waiting.get(id) ?? [];
      const why = failed[i];
      if (why) {
        this.waiting.delete(id);
        for (const w of list) w.reject(new Error(`report ${id} cannot be linked: ${why}`));
      } else if (pending[i] === null) {
        this.waiting.delete(id);
        for (const w of list) w.resolve();
      } else {
        const late = list.filter((w) => w.deadline < now);
        for (const w of late)
          w.reject(new LockTimeoutError(`report ${id} not linked within ${this.waitMs} ms (linking lock busy)`));
        if (late.length === list.length) this.waiting.delete(id);
        else if (late.length > 0)
          this.waiting.set(
            id,
            list.filter((w) => w.deadline >= now),
          );
      }
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
