import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { RedisLock } from '../store/redis-lock';
import type { StopHold } from './payment-stop.schema';
import { pendingTimers, TimerKind } from './stop-rules';

/** A pending timer of the sweep's set: member `<stopId>|<WARN|EXPIRE>`, score = when it is due (ms). */
export interface DueTimer {
  stopId: string;
  kind: TimerKind;
}

function decode(member: string): DueTimer | undefined {
  const [stopId, kind] = member.split('|');
  return stopId && (kind === 'WARN' || kind === 'EXPIRE') ? { stopId, kind } : undefined;
}

/**
 * The Redis side of the payment stops: every stop's lock, and the sweep's sorted set of pending timers (score =
 * when it is due, ms), so the sweep reads what is due without scanning the stops. The set is a cache of the
 * stored holds: the worker rebuilds it from the store when its build marker is missing (a new or
 * emptied Redis). Namespaced by QUEUE_PREFIX.
 */
@Injectable()
export class StopTimers {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.prefix = `${cfg.queue.prefix}:payments`;
  }

  private get dueKey(): string {
    return `${this.prefix}:due`;
  }

  private get builtKey(): string {
    return `${this.prefix}:due:built`;
  }

  /** Serialises every write of one stop (the store has no atomic read-modify-write). */
  lock(stopId: string): RedisLock {
    return new RedisLock(this.redis, `${this.prefix}:lock:stop:${stopId}`, 15_000, 10_000, { numbered: false });
  }

  /** Serialises new stops and freeze requests within one case (taken before a stop's lock, never after). */
  caseLock(caseId: string): RedisLock {
    return new RedisLock(this.redis, `${this.prefix}:lock:case:${caseId}`, 15_000, 10_000, { numbered: false });
  }

  /**
   * Makes the set hold exactly the pending timers of the stop's stored hold (call under the stop's lock, after
   * every change of its hold): a member per timer kind, so a renewed hold simply moves its scores.
   */
  async track(stopId: string, hold: StopHold | undefined): Promise<void> {
    const pending = pendingTimers(hold);
    const pipe = this.redis.multi();
    for (const kind of ['WARN', 'EXPIRE'] as const) {
      const t = pending.find((p) => p.kind === kind);
      if (t) pipe.zadd(this.dueKey, t.atMs, `${stopId}|${kind}`);
      else pipe.zrem(this.dueKey, `${stopId}|${kind}`);
    }
    await pipe.exec();
  }

  /** Timers due at `nowMs`, earliest first (at most `limit`). */
  async due(nowMs: number, limit: number): Promise<DueTimer[]> {
    const members = await this.redis.zrangebyscore(this.dueKey, '-inf', nowMs, 'LIMIT', 0, limit);
    return members.map(decode).filter((t): t is DueTimer => t !== undefined);
  }

  private get outboxKey(): string {
    return `${this.prefix}:outbox`;
  }

  /**
   * A message about to be stored: noted BEFORE the store write, so that a crash between the write and its
   * `stop.dispatch` job leaves a trace the sweep repairs (score = when noted, system time: delivery is
   * transport, not business time).
   */
  async noteOutgoing(stopId: string, messageId: string): Promise<void> {
    await this.redis.zadd(this.outboxKey, Date.now(), `${stopId}|${messageId}`);
  }

  async delivered(stopId: string, messageId: string): Promise<void> {
    await this.redis.zrem(this.outboxKey, `${stopId}|${messageId}`);
  }

  /** Messages noted more than `olderThanMs` ago and not yet delivered or failed. */
  async outgoing(olderThanMs: number, limit: number): Promise<{ stopId: string; messageId: string }[]> {
    const members = await this.redis.zrangebyscore(this.outboxKey, '-inf', Date.now() - olderThanMs, 'LIMIT', 0, limit);
    return members.map((m) => {
      const [stopId, messageId] = m.split('|');
      return { stopId, messageId };
    });
  }

  async built(): Promise<boolean> {
    return (await this.redis.exists(this.builtKey)) === 1;
  }

  async markBuilt(): Promise<void> {
    await this.redis.set(this.builtKey, new Date().toISOString());
  }
}
