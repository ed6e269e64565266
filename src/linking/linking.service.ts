import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { BufferedLinkStore } from './buffered-link-store';
import {
  LinkEngineError,
  LinkingEngine,
  type LinkCluster,
  type LinkEvent,
  type LinkIdentifier,
  type LinkingEngineOptions,
  type NewLinkReport,
} from './engine';
import { GrowthOp, LinkEventsService } from './link-events.service';
import { Lease, LinkLock, LockLostError, LockTimeoutError } from './link-lock';
import { LinkStoreRepository } from './link-store.repository';
import { LinkWaiters } from './link-waiters';
import { LinkableReportRecord, LinkedReportsRepository } from './linked-reports.repository';
import { engineOptions, LinkKeys, toNewLinkReport } from './linking.options';
import { LinkingError, LinkingErrorCode } from './linking.errors';
import { ClusterEvent, ClusterEventType } from './models/cluster-event.model';

/** An outbox older than this was left by a holder that died before delivering it. */
export const OUTBOX_REDELIVERY_MS = 60_000;

/** Longest a job keeps draining the backlog in one hold of the lock. */
const MAX_DRAIN_MS = 5_000;

/**
 * A hold's cache is handed to the next hold of the same linkHolds while it holds fewer documents than this
 * (then it starts afresh): the bound of an import's memory for linking (about 200 MB).
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

/** What one engine run under the lock produced. */
interface LockedRun<T> {
  result: T;
  events: LinkEvent[];
  growth?: GrowthOp[];
}

/**
 * The write side of linking: every engine operation runs while holding the ONE linking lock (Redis), on a
 * BufferedLinkStore whose writes are committed atomically through the journal (LinkStoreRepository.commit).
 *
 * Reports are linked by group commit: a `report.link` job puts its report id into the Redis sorted set
 * `pending` (by arrival time) and waits (LinkWaiters: one loop per process) until it is linked — by another
 * process's holder, or by this process's loop taking the lock and linking the LINK_BATCH_SIZE oldest pending
 * ids per commit (one journal commit, one bulk write) while a backlog remains. Throughput is therefore bounded
 * by one lock holder at a time but not by one report per hold: on the embedded FerretDB a hold of 200 reports
 * costs roughly a few hundred parallel primary-key reads plus one bulk write (see bench:link for figures).
 *
 * Idempotency: `addReport` of a linked report is a no-op (its link document exists only once it was fully
 * committed) and judgements setting the current value are no-ops, so a `report.link` job (one per indexed
 * batch, not deduplicated) may run twice. A pending id leaves the set only after the commit that linked it.
 */
@Injectable()
export class LinkingService implements OnModuleDestroy {
  private readonly logger = new Logger(LinkingService.name);
  private readonly keys: LinkKeys;
  private readonly lock: LinkLock;
  private readonly waiters: LinkWaiters;
  readonly options: LinkingEngineOptions;

  constructor(
    private readonly repo: LinkStoreRepository,
    private readonly reports: LinkedReportsRepository,
    private readonly events: LinkEventsService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {
    this.keys = new LinkKeys(cfg.queue.prefix);
    this.lock = new LinkLock(redis, this.keys.lock, cfg.linking.lockTtlMs, cfg.linking.lockWaitMs);
    this.options = engineOptions(cfg);
    this.waiters = new LinkWaiters(redis, this.keys, this.lock, cfg.linking.lockWaitMs, (lease, correlationId) =>
      this.holdBacklog(lease, correlationId),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.waiters.close();
  }

  /** A lock on the linking partition (recluster holds it for the whole rebuild). */
  get linkLock(): LinkLock {
    return this.lock;
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
      await this.deliver(batch.opId, batch.events, correlationId);
    } while (Date.now() - started < MAX_DRAIN_MS && (await this.redis.zcard(this.keys.pending)) > 0);
  }

  /** Links up to LINK_BATCH_SIZE pending ids (the oldest first: waiting is bounded by the backlog, not luck). */
  private async drain(lease: Lease): Promise<{ opId: string; events: ClusterEvent[] }> {
    const ids = await this.redis.zrange(this.keys.pending, 0, this.cfg.linking.batchSize - 1);
    if (ids.length === 0) return { opId: randomUUID(), events: [] };
    const opId = randomUUID();
    const { result: failed, events } = await this.runLocked(lease, opId, (engine, store) =>
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
      const { result, events } = await this.withLock(
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
      await this.deliver(opId, events, correlationId);
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
    const { events } = await this.withLock(opId, async (engine, store) => ({
      result: undefined,
      events: await fn(engine, store),
    }));
    await this.deliver(opId, events, correlationId);
    return events;
  }

  // ---------------------------------------------------------------- the lock hold

  private async withLock<T>(
    opId: string,
    fn: (engine: LinkingEngine, store: BufferedLinkStore, lease: Lease) => Promise<LockedRun<T>>,
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
      await lease.release().catch(() => undefined);
      await this.waiters.announceRelease().catch(() => undefined);
    }
  }

  /**
   * One hold: redo an unfinished journal entry, refuse to run after an interrupted recluster, run the engine
   * on a fresh BufferedLinkStore, commit its writes atomically, record growth, describe the events.
   */
  private async runLocked<T>(
    lease: Lease,
    opId: string,
    fn: (engine: LinkingEngine, store: BufferedLinkStore, lease: Lease) => Promise<LockedRun<T>>,
    storeFor: (lease: Lease) => BufferedLinkStore = () => new BufferedLinkStore(this.repo),
  ): Promise<{ result: T; events: ClusterEvent[] }> {
    const redone = await this.repo.recoverJournal();
    if (redone > 0) this.logger.warn({ writes: redone }, 'linking journal: re-applied an interrupted commit');
    if (await this.repo.reclusterInterrupted()) {
      throw new LinkingError(
        LinkingErrorCode.RECLUSTER_REQUIRED,
        'a recluster was interrupted: run `siqian recluster`',
      );
    }
    await this.redeliverOutboxes();
    const t0 = Date.now();
    const store = storeFor(lease);
    const engine = new LinkingEngine(store, this.options);
    const run = await fn(engine, store, lease);
    const t1 = Date.now();
    const writes = store.writes();
    // described before the commit so that they are committed with it (the outbox), delivered after it
    const events = await this.describe(store, run.events);
    const committed = await this.repo.commit(writes, opId, () => lease.stillHeld(), events);
    if (!committed) throw new LockLostError('the linking lock expired before the commit; nothing was written');
    this.logger.debug(
      {
        opId,
        reads: store.fetched,
        writes: writes.length,
        inserts: writes.filter((w) => w.isNew).length,
        runMs: t1 - t0,
        commitMs: Date.now() - t1,
      },
      'linking hold committed',
    );
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
  private async deliver(opId: string, events: ClusterEvent[], correlationId: string): Promise<void> {
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

  /**
   * Engine events -> ClusterEvents with the regions of the clusters concerned (read from the hold's cache).
   * GREW events of one cluster within one hold are coalesced into the last one.
   */
  private async describe(store: BufferedLinkStore, events: readonly LinkEvent[]): Promise<ClusterEvent[]> {
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
}

/**
 * Warms a hold's cache with what `addReport` will read for `inputs` (identifiers, victims, the identifiers'
 * clusters along their alias chains, the tail pages of both), in a few rounds of parallel primary-key reads.
 */
export async function prefetchForReports(store: BufferedLinkStore, inputs: readonly NewLinkReport[]): Promise<void> {
  if (inputs.length === 0) return;
  const keys = [...new Set(inputs.flatMap((i) => i.identifierKeys))];
  await Promise.all([store.prefetch('identifiers', keys), store.prefetch('victims', victimKeysOf(inputs))]);
  const idents = keys
    .map((k) => store.inspect<LinkIdentifier>('identifiers', k))
    .filter((i): i is LinkIdentifier => !!i);
  const roots = await prefetchClusterChains(
    store,
    idents.map((i) => i.clusterId).filter((c): c is string => !!c),
  );
  const tails = [...idents.map((i) => i.memberPages), ...roots.map((c) => c.memberPages)]
    .map((pages) => pages[pages.length - 1])
    .filter((p): p is string => !!p);
  await store.prefetch('pages', tails);
}

/**
 * Warms the cache with clusters and the alias chains of merged ones (up to 8 hops, one round of parallel
 * primary-key reads per hop); returns the roots reached.
 */
export async function prefetchClusterChains(store: BufferedLinkStore, ids: readonly string[]): Promise<LinkCluster[]> {
  const roots: LinkCluster[] = [];
  let next = [...new Set(ids)];
  for (let hop = 0; hop < 8 && next.length > 0; hop++) {
    await store.prefetch('clusters', next);
    const merged: string[] = [];
    for (const id of next) {
      const c = store.inspect<LinkCluster>('clusters', id);
      if (c?.mergedInto) merged.push(c.mergedInto);
      else if (c) roots.push(c);
    }
    next = merged;
  }
  return roots;
}

/** The victims with a key of their own (a report without one is its own victim: no document). */
function victimKeysOf(inputs: readonly NewLinkReport[]): string[] {
  return inputs.map((i) => i.summaryFacts.victimKey).filter((v): v is string => v !== undefined);
}
