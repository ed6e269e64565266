import { Inject, Injectable, Logger } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import type Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { JobQueueService } from '../queue/job-queue.service';
import { ClusterUpdatedJob } from '../queue/job.types';
import { PUB_SUB, REDIS } from '../redis/redis.module';
import { LinkKeys, utcDay } from './linking.options';
import { ClusterEvent, ClusterEventType } from './models/cluster-event.model';

/** Redis pub/sub trigger of the `clusterUpdated` subscription. */
export const CLUSTER_UPDATED = 'linking.clusterUpdated';
/** `cluster.updated` jobs per Bull addBulk (one MULTI each). */
const EVENT_JOBS_PER_ADD = 500;
/** Days summed by a cluster's `growth`. */
export const GROWTH_DAYS = 7;

/** A step of the growth bookkeeping, in the order the engine did it (`occurredAt`: the linked report's, ISO). */
export type GrowthOp =
  { kind: 'inc'; clusterId: string; occurredAt: string } | { kind: 'merge'; into: string; from: string[] };

/**
 * Fan-out of the engine's events after a commit: the `clusterUpdated` subscription on every API instance
 * (Redis pub/sub) and a `cluster.updated` Bull job per event on the `events` queue — the consumption point for
 * later features (alert rules, campaigns), processed for now by ClusterUpdatedProcessor (a log line).
 *
 * Delivery is at least once: the events are committed with the hold that caused them (its outbox in the
 * journal) and sent after the commit; a holder that dies in between leaves the outbox, which a later hold
 * sends (LinkingService.redeliverOutboxes). Event ids are `<opId>:<n>`, the same on a redelivery.
 *
 * Growth: a cluster's reports per UTC day of their fraud (`occurredAt`, not the day they were linked: a 2021
 * ring imported today has not grown) in Redis sorted sets, one per day of the last GROWTH_DAYS days (8-day
 * expiry); a report of an older day is not counted; a merge moves the merged clusters' counts to the survivor;
 * a split starts the new clusters at zero.
 */
@Injectable()
export class LinkEventsService {
  private readonly logger = new Logger(LinkEventsService.name);
  private readonly keys: LinkKeys;

  constructor(
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) cfg: AppConfig,
    private readonly jobs: JobQueueService,
  ) {
    this.keys = new LinkKeys(cfg.queue.prefix);
  }

  /**
   * True when every event reached Redis (subscription and job); failures are logged, never thrown. The
   * subscription messages go out in order on one connection without waiting for each other, the jobs in bulk
   * (Bull addBulk, EVENT_JOBS_PER_ADD at a time): a hold of an import can have thousands of events.
   */
  async publish(opId: string, events: ClusterEvent[], correlationId: string): Promise<boolean> {
    if (events.length === 0) return true;
    const jobs = events.map((e, n) => {
      const data: ClusterUpdatedJob = {
        correlationId,
        eventId: `${opId}:${n}`,
        type: e.type,
        clusterId: e.clusterId,
        size: e.size,
        regionCodes: e.regionCodes,
        at: e.at.toISOString(),
        ...(e.mergedFrom.length ? { mergedFrom: e.mergedFrom } : {}),
        ...(e.splitInto.length ? { splitInto: e.splitInto } : {}),
      };
      return { name: 'cluster.updated' as const, data };
    });
    const enqueue = async () => {
      for (let i = 0; i < jobs.length; i += EVENT_JOBS_PER_ADD)
        await this.jobs.enqueueMany(jobs.slice(i, i + EVENT_JOBS_PER_ADD));
    };
    const [published, queued] = await Promise.allSettled([
      Promise.all(events.map((e) => this.pubSub.publish(CLUSTER_UPDATED, { clusterUpdated: e }))),
      enqueue(),
    ]);
    for (const r of [published, queued])
      if (r.status === 'rejected')
        this.logger.warn({ err: r.reason as unknown, opId, events: events.length }, 'cluster events not delivered');
    return published.status === 'fulfilled' && queued.status === 'fulfilled';
  }

  iterator(): AsyncIterator<{ clusterUpdated: ClusterEvent }> {
    return this.pubSub.asyncIterator<{ clusterUpdated: ClusterEvent }>(CLUSTER_UPDATED);
  }

  /** Applies growth steps in order (called under the linking lock, so counts are never raced). */
  async recordGrowth(ops: readonly GrowthOp[], now = new Date()): Promise<void> {
    if (ops.length === 0) return;
    const days = Array.from({ length: GROWTH_DAYS }, (_, d) => this.keys.growth(utcDay(now, d)));
    const written = new Set<string>();
    const pipe = this.redis.pipeline();
    for (const op of ops) {
      if (op.kind === 'inc') {
        const day = this.keys.growth(utcDay(new Date(op.occurredAt)));
        // a report of a day before the window (or of a day the window's clock has not reached) is not growth
        if (!days.includes(day)) continue;
        pipe.zincrby(day, 1, op.clusterId);
        written.add(day);
      } else {
        // ZUNIONSTORE of one member is not available; move scores with a tiny script per day key
        for (const key of days) {
          for (const from of op.from) pipe.eval(MOVE_SCORE, 1, key, from, op.into);
        }
      }
    }
    for (const key of written) pipe.expire(key, 8 * 86_400);
    await pipe.exec();
  }

  /** Reports whose fraud happened in the last GROWTH_DAYS days, per cluster id. */
  async growthOf(clusterIds: readonly string[], now = new Date()): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (clusterIds.length === 0) return out;
    const pipe = this.redis.pipeline();
    for (let d = 0; d < GROWTH_DAYS; d++) pipe.zmscore(this.keys.growth(utcDay(now, d)), ...clusterIds);
    const res = (await pipe.exec()) ?? [];
    clusterIds.forEach((id, i) => {
      let sum = 0;
      for (const [, scores] of res) sum += Number((scores as (string | null)[] | null)?.[i] ?? 0);
      out.set(id, sum);
    });
    return out;
  }

  /**
   * Every cluster with growth in the last GROWTH_DAYS days and its growth (the union of the day sets: as many
   * as clusters that grew this week, whatever the store's size). Ids may be merged or split clusters since.
   */
  async growing(now = new Date()): Promise<Map<string, number>> {
    const pipe = this.redis.pipeline();
    for (let d = 0; d < GROWTH_DAYS; d++) pipe.zrange(this.keys.growth(utcDay(now, d)), 0, -1, 'WITHSCORES');
    const out = new Map<string, number>();
    for (const [err, flat] of (await pipe.exec()) ?? []) {
      if (err) throw err;
      const l = flat as string[];
      for (let i = 0; i < l.length; i += 2) out.set(l[i], (out.get(l[i]) ?? 0) + Number(l[i + 1]));
    }
    return out;
  }
}

/** Moves the score of ARGV[1] onto ARGV[2] in sorted set KEYS[1]. */
const MOVE_SCORE = `local s = redis.call('zscore', KEYS[1], ARGV[1])
if s then redis.call('zincrby', KEYS[1], s, ARGV[2]); redis.call('zrem', KEYS[1], ARGV[1]) end
return 0`;

export { ClusterEventType };
