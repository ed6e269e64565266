import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { Lease, RedisLock } from '../store/redis-lock';
import { BufferedLinkStore } from './buffered-link-store';
import {
  LinkEngineError,
  LinkingEngine,
  type LinkEvent,
  type LinkingEngineOptions,
  type NewLinkReport,
} from './engine';
import { GrowthOp } from './link-events.service';
import { LinkHoldService, type LockedRun } from './link-hold.service';
import { prefetchForReports, victimKeysOf } from './link-prefetch';
import { LinkStoreRepository } from './link-store.repository';
import { LinkWaiters } from './link-waiters';
import { LinkableReportRecord, LinkedReportsRepository } from '../reports/linked-reports.repository';
import { LinkKeys, toNewLinkReport } from './linking.options';
import { ClusterEvent } from './models/cluster-event.model';

/** Longest a job keeps draining the backlog in one hold of the lock. */
const MAX_DRAIN_MS = 5_000;

/**
 * A hold's cache is handed to the next hold of the same linkHolds while it holds fewer documents than this
 * (then it starts afresh): the bound of an import's memory for linking.
 */
const MAX_CARRIED_DOCS = 200_000;

/** Imports of at least this many reports scan which identifiers and victims exist (see linkHolds). */
export const SCAN_EXISTING_FROM = 5_000;

/** One hold of {@link LinkingService.linkHolds}. */
export interface LinkHold {
  ids: readonly string[];
  /** ids the caller knows have no link document yet (an import's freshly inserted reports) */
  neverLinked?: ReadonlySet<string>;
  /** the stored reports, when the caller holds them already: not read again */
  records?: ReadonlyMap<string, LinkableReportRecord>;
}

/**
 * The identifiers and victims that have a link document (any version), as learnt by a scan in the hold of lock
 * generation `generation` and kept up to date by that holder's own writes since.
 */
interface ExistingLinkDocs {
  generation: number;
  identifiers: Set<string>;
  victims: Set<string>;
}

/**
 * The write side of linking, by use case: group commit of `report.link` jobs, an import's holds, judgements.
 * Each runs as holds of the ONE linking lock (LinkHoldService).
 *
 * Group commit: a job puts its report id into the Redis sorted set `pending` (by arrival time) and waits
 * (LinkWaiters: one loop per process) until a holder — in any process — links it; a holder links the
 * LINK_BATCH_SIZE oldest pending ids per commit while a backlog remains, so one holder at a time does not
 * mean one report per hold.
 *
 * Idempotency: `addReport` of a linked report is a no-op and a pending id leaves the set only after the commit
 * that linked it, so a `report.link` job may run twice.
 */
@Injectable()
export class LinkingService implements OnModuleDestroy {
  private readonly logger = new Logger(LinkingService.name);
  private readonly keys: LinkKeys;
  private readonly waiters: LinkWaiters;

  constructor(
    private readonly holds: LinkHoldService,
    private readonly repo: LinkStoreRepository,
    private readonly reports: LinkedReportsRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {
    this.keys = new LinkKeys(cfg.queue.prefix);
    this.waiters = new LinkWaiters(redis, this.keys, holds.lock, cfg.linking.lockWaitMs, (lease, correlationId) =>
      this.holdBacklog(lease, correlationId),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.waiters.close();
  }

  /** A lock on the linking partition (recluster holds it for the whole rebuild). */
  get linkLock(): RedisLock {
    return this.holds.lock;
  }

  get options(): LinkingEngineOptions {
    return this.holds.options;
  }

  // ---------------------------------------------------------------- reports

  /**
   * The `report.link` job: returns once its reports are linked (by this process's holder or another's).
   * Waiting costs no Redis round trips of its own: the process's one LinkWaiters loop checks every waiting id
   * at once.
   */
  async linkReportsJob(reportIds: readonly string[], correlationId: string): Promise<void> {
    if (reportIds.length === 0) return;
    const now = Date.now();
    await this.redis.zadd(this.keys.pending, 'NX', ...reportIds.flatMap((id) => [now, id]));
    await Promise.all(reportIds.map((id) => this.waiters.wait(id, correlationId)));
  }

  /**
   * One hold taken by the waiters' loop: keeps the lock while there is a backlog (no hand-off gap between
   * batches), but not for ever: an investigator's judgement waits at most about MAX_DRAIN_MS for its turn.
   */
  private async holdBacklog(lease: Lease, correlationId: string): Promise<void> {
    const started = Date.now();
    do {
      const batch = await this.drain(lease);
      await this.holds.deliver(batch.opId, batch.events, correlationId);
    } while (Date.now() - started < MAX_DRAIN_MS && (await this.redis.zcard(this.keys.pending)) > 0);
  }

  /** Links up to LINK_BATCH_SIZE pending ids (the oldest first: waiting is bounded by the backlog, not luck). */
  private async drain(lease: Lease): Promise<{ opId: string; events: ClusterEvent[] }> {
    const ids = await this.redis.zrange(this.keys.pending, 0, this.cfg.linking.batchSize - 1);
    if (ids.length === 0) return { opId: randomUUID(), events: [] };
    const opId = randomUUID();
    const { result: failed, events } = await this.holds.runLocked(lease, opId, (engine, store) =>
      this.linkBatch(engine, store, ids),
    );
    if (failed.size > 0) {
      const pipe = this.redis.pipeline();
      for (const [id, why] of failed) pipe.hset(this.keys.failed, id, why);
      pipe.expire(this.keys.failed, 7 * 86_400);
      await pipe.exec();
    }
    await this.redis.zrem(this.keys.pending, ...ids);
    return { opId, events };
  }

  /**
   * Links reports now, hold by hold: each hold of `holds` (an import streams them from its spool file, so
   * memory does not grow with the file) is linked under one acquisition of the lock, one journal commit.
   * `large`: the caller expects at least SCAN_EXISTING_FROM reports in all, most of them never linked — then the
   * first hold learns once which identifiers and victims exist (two scans of `_id`s), so that the many that do
   * not are not looked for one by one, and each hold starts from the previous hold's committed cache; both only
   * while nobody else took the lock between two holds (lock generations). Returns how many were linked.
   */
  async linkHolds(
    holds: AsyncIterable<LinkHold>,
    correlationId: string,
    opts: { onProgress?: (done: number) => void; large?: boolean } = {},
  ): Promise<number> {
    let linked = 0;
    let done = 0;
    let existing: ExistingLinkDocs | undefined;
    let carried: { generation: number; store: BufferedLinkStore } | undefined;
    const storeFor = (lease: Lease): BufferedLinkStore => {
      const reuse = carried?.generation === lease.generation - 1 && carried.store.cachedCount < MAX_CARRIED_DOCS;
      const store = reuse && carried ? carried.store.afterCommit() : new BufferedLinkStore(this.repo);
      carried = { generation: lease.generation, store };
      return store;
    };
    for await (const hold of holds) {
      const chunk = [...new Set(hold.ids)];
      if (chunk.length === 0) continue;
      const learn = opts.large && hold.neverLinked !== undefined;
      const opId = randomUUID();
      const { result, events } = await this.holds.withLock(
        opId,
        async (engine, store, lease) => {
          if (learn) {
            if (existing?.generation !== lease.generation - 1) {
              const [identifiers, victims] = await Promise.all([
                this.repo.scanIds('identifiers'),
                this.repo.scanIds('victims'),
              ]);
              existing = { generation: 0, identifiers, victims };
            }
            existing.generation = lease.generation;
          }
          return this.linkBatch(engine, store, chunk, hold.neverLinked, hold.records, learn ? existing : undefined);
        },
        storeFor,
      );
      for (const [id, why] of result) this.logger.warn({ reportId: id, why }, 'report not linked');
      linked += chunk.length - result.size;
      done += hold.ids.length;
      await this.holds.deliver(opId, events, correlationId);
      opts.onProgress?.(done);
    }
    return linked;
  }

  /**
   * Links `ids` in this hold. `neverLinked`: ids the caller knows have no link document yet (an import's
   * freshly inserted reports): their link documents are not read — on the embedded store every primary-key
   * read is a few milliseconds. (A report that is its own victim has no victim document to read.)
   */
  private async linkBatch(
    engine: LinkingEngine,
    store: BufferedLinkStore,
    ids: readonly string[],
    neverLinked?: ReadonlySet<string>,
    known?: ReadonlyMap<string, LinkableReportRecord>,
    existing?: ExistingLinkDocs,
  ): Promise<LockedRun<Map<string, string>>> {
    const failed = new Map<string, string>();
    const missing = known ? ids.filter((id) => !known.has(id)) : ids;
    const read = new Map((await this.reports.findMany(missing)).map((r, i) => [missing[i], r]));
    const records = ids.map((id) => known?.get(id) ?? read.get(id));
    if (neverLinked) {
      const fresh = ids.filter((id) => neverLinked.has(id));
      store.assumeAbsent('reports', fresh);
    }
    await store.prefetch('reports', ids);
    const inputs: NewLinkReport[] = [];
    records.forEach((r, i) => {
      if (!r) failed.set(ids[i], 'no such stored report');
      else if (!store.inspect('reports', r._id)) inputs.push(toNewLinkReport(r));
    });
    if (existing) {
      const keys = inputs.flatMap((r) => r.identifierKeys);
      store.assumeAbsent(
        'identifiers',
        keys.filter((k) => !existing.identifiers.has(k)),
      );
      store.assumeAbsent(
        'victims',
        victimKeysOf(inputs).filter((v) => !existing.victims.has(v)),
      );
    }
    await prefetchForReports(store, inputs);
    const events: LinkEvent[] = [];
    const growth: GrowthOp[] = [];
    for (const input of inputs) {
      let evs: LinkEvent[];
      try {
        evs = await engine.addReport(input);
      } catch (e) {
        // the engine validates before it writes anything: a refused report leaves the batch intact
        if (e instanceof LinkEngineError && e.code === 'BAD_INPUT') {
          failed.set(input._id, e.message);
          continue;
        }
        throw e;
      }
      events.push(...evs);
      for (const ev of evs)
        if (ev.type === 'MERGED' && ev.mergedFrom)
          growth.push({ kind: 'merge', into: ev.clusterId, from: ev.mergedFrom });
      const linked = store.inspect<{ clusterId: string }>('reports', input._id);
      if (linked) growth.push({ kind: 'inc', clusterId: linked.clusterId, occurredAt: input.summaryFacts.occurredAt });
      // written by this hold's commit (or the whole linkHolds fails): they exist from now on
      for (const k of input.identifierKeys) existing?.identifiers.add(k);
      if (input.summaryFacts.victimKey !== undefined) existing?.victims.add(input.summaryFacts.victimKey);
    }
    return { result: failed, events, growth };
  }

  // ---------------------------------------------------------------- judgements (the caller audits them)

  /** Runs an investigator's judgement under the lock; returns the cluster events it caused. */
  async judge(
    correlationId: string,
    fn: (engine: LinkingEngine, store: BufferedLinkStore) => Promise<LinkEvent[]>,
  ): Promise<ClusterEvent[]> {
    const opId = randomUUID();
    const { events } = await this.holds.withLock(opId, async (engine, store) => ({
      result: undefined,
      events: await fn(engine, store),
    }));
    await this.holds.deliver(opId, events, correlationId);
    return events;
  }
}
