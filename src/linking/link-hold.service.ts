import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { Lease, LockTimeoutError, RedisLock } from '../store/redis-lock';
import { BufferedLinkStore } from './buffered-link-store';
import { LinkingEngine, type LinkEvent, type LinkingEngineOptions } from './engine';
import { GrowthOp, LinkEventsService } from './link-events.service';
import { LinkStoreRepository } from './link-store.repository';
import { announceRelease } from './link-waiters';
import { engineOptions, LinkKeys } from './linking.options';
import { LinkingError, LinkingErrorCode } from './linking.errors';
import { ClusterEvent, ClusterEventType } from './models/cluster-event.model';

/** An outbox older than this was left by a holder that died before delivering it. */
export const OUTBOX_REDELIVERY_MS = 60_000;

/** What one engine run under the lock produced. */
export interface LockedRun<T> {
  result: T;
  events: LinkEvent[];
  growth?: GrowthOp[];
}

/** The engine work of one hold, on the hold's buffered store. */
export type HoldWork<T> = (engine: LinkingEngine, store: BufferedLinkStore, lease: Lease) => Promise<LockedRun<T>>;

/**
 * One hold of the ONE linking lock: every engine operation runs on a BufferedLinkStore whose writes are
 * committed atomically with the hold's events (the journal's unit of work, LinkStoreRepository.withHold), then
 * the events are delivered. Callers: LinkingService (group commit, imports, judgements), ReclusterService (the
 * lock alone).
 */
@Injectable()
export class LinkHoldService {
  private readonly logger = new Logger(LinkHoldService.name);
  private readonly keys: LinkKeys;
  readonly lock: RedisLock;
  readonly options: LinkingEngineOptions;

  constructor(
    private readonly repo: LinkStoreRepository,
    private readonly events: LinkEventsService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.keys = new LinkKeys(cfg.queue.prefix);
    this.lock = new RedisLock(redis, this.keys.lock, cfg.linking.lockTtlMs, cfg.linking.lockWaitMs);
    this.options = engineOptions(cfg);
  }

  /** Takes the lock (bounded wait: LINKING_BUSY), runs one hold, releases and announces the release. */
  async withLock<T>(
    opId: string,
    fn: HoldWork<T>,
    storeFor?: (lease: Lease) => BufferedLinkStore,
  ): Promise<{ result: T; events: ClusterEvent[] }> {
    let lease: Lease;
    try {
      lease = await this.lock.acquire();
    } catch (e) {
      if (e instanceof LockTimeoutError)
        throw new LinkingError(
          LinkingErrorCode.LINKING_BUSY,
          'Linking is busy (an import or recluster is running); retry shortly',
        );
      throw e;
    }
    try {
      return await this.runLocked(lease, opId, fn, storeFor);
    } finally {
      await lease.releaseQuietly();
      await announceRelease(this.redis, this.keys.released, this.logger);
    }
  }

  /**
   * One hold on a lease the caller holds: redo an unfinished journal entry, refuse to run after an interrupted
   * recluster, run the engine on a fresh BufferedLinkStore, commit its writes and described events atomically,
   * record growth.
   */
  async runLocked<T>(
    lease: Lease,
    opId: string,
    fn: HoldWork<T>,
    storeFor: (lease: Lease) => BufferedLinkStore = () => new BufferedLinkStore(this.repo),
  ): Promise<{ result: T; events: ClusterEvent[] }> {
    const { run, events, stats, t1 } = await this.repo.withHold(lease, opId, async () => {
      if (await this.repo.reclusterInterrupted()) {
        throw new LinkingError(
          LinkingErrorCode.RECLUSTER_REQUIRED,
          'a recluster was interrupted: run `siqian recluster`',
        );
      }
      await this.redeliverOutboxes();
      const t0 = Date.now();
      const store = storeFor(lease);
      const run = await fn(new LinkingEngine(store, this.options), store, lease);
      const t1 = Date.now();
      const writes = store.writes();
      const stats = {
        opId,
        reads: store.fetched,
        writes: writes.length,
        inserts: writes.filter((w) => w.isNew).length,
        runMs: t1 - t0,
      };
      // described before the commit so that they are committed with it (the outbox), delivered after it
      const events = await describe(store, run.events);
      return { result: { run, events, stats, t1 }, writes, outbox: events };
    });
    this.logger.debug({ ...stats, commitMs: Date.now() - t1 }, 'linking hold committed');
    if (run.growth?.length)
      await this.events
        .recordGrowth(run.growth)
        .catch((err: unknown) => this.logger.warn({ err }, 'growth not recorded'));
    return { result: run.result, events };
  }

  /**
   * Hands a committed hold's events to the subscription and the `cluster.updated` jobs, then clears its outbox.
   * An outbox that could not be delivered in full stays, and a later hold delivers it again (at least once;
   * the jobs' ids dedupe a redelivery while the first job is kept, consumers dedupe by `eventId`).
   */
  async deliver(opId: string, events: ClusterEvent[], correlationId: string): Promise<void> {
    if (events.length === 0) return;
    if (await this.events.publish(opId, events, correlationId)) await this.repo.clearOutbox(opId);
  }

  /** Outboxes left by holders that died between their commit and the delivery (older than a minute). */
  private async redeliverOutboxes(): Promise<void> {
    for (const o of await this.repo.undeliveredOutboxes(OUTBOX_REDELIVERY_MS)) {
      this.logger.warn({ opId: o.opId, events: o.events.length }, 'linking: delivering the events of an earlier hold');
      await this.deliver(o.opId, o.events as ClusterEvent[], `outbox:${o.opId}`);
    }
  }
}

/**
 * Engine events -> ClusterEvents with the regions of the clusters concerned (read from the hold's cache).
 * GREW events of one cluster within one hold are coalesced into the last one.
 */
async function describe(store: BufferedLinkStore, events: readonly LinkEvent[]): Promise<ClusterEvent[]> {
  const at = new Date();
  const lastGrew = new Map<string, number>();
  events.forEach((e, i) => e.type === 'GREW' && lastGrew.set(e.clusterId, i));
  const out: ClusterEvent[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.type === 'GREW' && lastGrew.get(e.clusterId) !== i) continue;
    const regionOf = async (id: string) => Object.keys((await store.getCluster(id))?.summary.byRegion ?? {});
    const ids = e.type === 'SPLIT' ? (e.splitInto ?? []) : [e.clusterId];
    const regions = new Set<string>();
    for (const id of ids) for (const r of await regionOf(id)) regions.add(r);
    out.push({
      type: ClusterEventType[e.type],
      clusterId: e.clusterId,
      mergedFrom: e.mergedFrom ?? [],
      splitInto: e.splitInto ?? [],
      size: e.size,
      regionCodes: [...regions].sort(),
      at,
    });
  }
  return out;
}
