import { Injectable, Logger } from '@nestjs/common';
import type { LinkWrite, StoredDoc } from './buffered-link-store';
import {
  checkInvariants,
  endsAboveCap,
  InMemoryLinkStore,
  LinkingEngine,
  verifyStore,
  type LinkCollection,
  type LinkPolicy,
  type LinkReport,
  type VerifyDifference,
} from './engine';
import { Lease } from '../store/redis-lock';
import { LinkStoreRepository } from './link-store.repository';
import { LinkableReportRecord, LinkedReportsRepository } from '../reports/linked-reports.repository';
import { isWarninglistedKey, toNewLinkReport } from './linking.options';
import { LinkHold, LinkingService } from './linking.service';
import { registryMismatches } from './link-verify';

export type ReclusterPhase = 'load' | 'link' | 'write' | 'check';
export type ProgressFn = (phase: ReclusterPhase, done: number, total: number) => void;

export interface VerifyOutcome {
  ok: boolean;
  reportCount: number;
  clusterCount: number;
  /** partition differences from the from-scratch reference (verifyStore) */
  differences: VerifyDifference[];
  /** deep invariant violations (pages, sizes, summaries, victims, identifier lists: checkInvariants) */
  violations: string[];
  /** stored reports (collection `reports`) that have no link document */
  unlinked: string[];
  /** hub registry entries that disagree with the identifiers' status */
  hubMismatches: string[];
  /** identifiers whose policy differs from the judgement recorded in link_policies (what recluster applies) */
  policyMismatches: string[];
}

export interface ReclusterOutcome {
  reports: number;
  newlyLinked: number;
  clusters: number;
  multiReportClusters: number;
  largest: number[];
  seconds: number;
}

const COLLECTIONS: LinkCollection[] = ['reports', 'identifiers', 'clusters', 'pages', 'victims'];

/**
 * `siqian recluster [--verify]`, both under the linking lock (so they see and leave a quiescent store).
 *
 * verify: loads every link_* document into memory and runs the engine's `verifyStore` (stored partition
 * against the from-scratch reference) and `checkInvariants`, and lists never-linked reports and hub-registry
 * disagreements; `ok` only when all are empty.
 *
 * recluster: rebuilds every derived document from the sources of truth (the link reports' edges, the
 * policies, the current warninglist, plus never-linked reports), in memory, then rewrites the derived
 * collections as version 1 (compacting old versions) and a new version of every link report. A journal flag
 * spans the rewrite: while an interrupted one is unfinished, linking answers RECLUSTER_REQUIRED.
 *
 * Slightly past 300 lines: verify, recluster and the first-data rebuild share the load-and-rewrite steps.
 */
@Injectable()
export class ReclusterService {
  private readonly logger = new Logger(ReclusterService.name);

  constructor(
    private readonly linking: LinkingService,
    private readonly repo: LinkStoreRepository,
    private readonly reports: LinkedReportsRepository,
  ) {}

  async verify(onProgress?: ProgressFn, maxListed = 1_000): Promise<VerifyOutcome> {
    return this.linking.linkLock.withLock(async () => {
      await this.repo.recoverJournal();
      const mem = await this.load(onProgress);
      onProgress?.('check', 0, 1);
      const options = this.linking.options;
      const verified = await verifyStore(mem, {
        caps: options.caps,
        isWarninglisted: isWarninglistedKey,
        maxDifferences: maxListed,
      });
      const violations = checkInvariants(mem, new LinkingEngine(mem, options)).slice(0, maxListed);
      const unlinked: string[] = [];
      for await (const r of this.reports.scanForLinking()) {
        if (!mem.reports.has(r._id) && unlinked.length < maxListed) unlinked.push(r._id);
      }
      const { hubMismatches, policyMismatches } = registryMismatches(
        mem,
        await this.repo.scanLatest('hubs'),
        await this.repo.scanLatest('policies'),
      );
      onProgress?.('check', 1, 1);
      return {
        ok:
          verified.ok &&
          violations.length === 0 &&
          unlinked.length === 0 &&
          hubMismatches.length === 0 &&
          policyMismatches.length === 0,
        reportCount: verified.reportCount,
        clusterCount: verified.clusterCount,
        differences: verified.differences,
        violations,
        unlinked,
        hubMismatches: hubMismatches.slice(0, maxListed),
        policyMismatches: policyMismatches.slice(0, maxListed),
      };
    });
  }

  async recluster(onProgress?: ProgressFn): Promise<ReclusterOutcome> {
    const started = Date.now();
    return this.linking.linkLock.withLock(async (lease: Lease) => {
      await this.repo.recoverJournal();
      // no bound on the size: never undefined
      return (await this.rebuild(lease, started, onProgress)) as ReclusterOutcome;
    });
  }

  /**
   * An import's linking when nothing is linked yet (a store's first data) or a rebuild is owed: one in-memory
   * rebuild writes every document once, instead of rewriting a cluster's documents each time a hold grows it.
   * Nobody follows a cluster that does not exist yet, so its ids are no one's loss. Like `recluster` it
   * publishes no events and holds the link store in memory, so it gives up (before writing) above
   * `maxReports` stored reports. Undefined when nothing was done.
   *
   * `holds`: the import's reports; linking those avoids a full scan for unlinked reports (others are linked
   * by their own jobs). An owed recluster still takes every stored report.
   */
  async linkFirstData(
    maxReports: number,
    onProgress?: ProgressFn,
    holds?: () => AsyncIterable<LinkHold>,
  ): Promise<ReclusterOutcome | undefined> {
    const started = Date.now();
    return this.linking.linkLock.withLock(async (lease: Lease) => {
      await this.repo.recoverJournal();
      const nothingLinked = await this.repo.nothingLinked();
      if (!nothingLinked && !(await this.repo.reclusterInterrupted())) return undefined;
      const unlinked = nothingLinked && holds ? this.reportsOf(holds()) : undefined;
      return this.rebuild(lease, started, onProgress, maxReports, unlinked);
    });
  }

  /** The reports of holds, each once: the records they carry, the others read by `_id`. */
  private async *reportsOf(holds: AsyncIterable<LinkHold>): AsyncIterable<LinkableReportRecord> {
    const seen = new Set<string>();
    for await (const hold of holds) {
      const missing: string[] = [];
      for (const id of hold.ids) {
        if (seen.has(id)) continue;
        seen.add(id);
        const r = hold.records?.get(id);
        if (r) yield r;
        else missing.push(id);
      }
      for (const r of await this.reports.findMany(missing)) if (r) yield r;
    }
  }

  /**
   * Undefined, with nothing written, when the store holds more than `maxReports` reports. `unlinked`: the
   * reports to link besides those that have link documents (default: every stored report, a full scan).
   */
  private async rebuild(
    lease: Lease,
    started: number,
    onProgress?: ProgressFn,
    maxReports = Infinity,
    unlinked: AsyncIterable<LinkableReportRecord> = this.reports.scanForLinking(),
  ): Promise<ReclusterOutcome | undefined> {
    onProgress?.('load', 0, 0);
    const oldVersions = await this.repo.scanLatestVersions('reports');
    if (oldVersions.length > maxReports) return undefined;
    const old = oldVersions.map((v) => v.doc as unknown as LinkReport);
    const versionOf = new Map(oldVersions.map((v) => [v.doc._id, v.version]));
    const known = new Set(old.map((r) => r._id));
    const fresh = [];
    for await (const r of unlinked) {
      if (known.has(r._id)) continue;
      if (old.length + fresh.length >= maxReports) return undefined;
      fresh.push(toNewLinkReport(r));
    }
    const policies = await this.policies();
    const mem = this.memoryStore();
    const engine = new LinkingEngine(mem, {
      ...this.linking.options,
      endsAboveCap: endsAboveCap([...old, ...fresh], policies, this.linking.options.caps),
    });
    for (const p of policies) await engine.setPolicy(p._id, p.policy);
    const total = old.length + fresh.length;
    let done = 0;
    // the in-memory engine never waits on I/O, so its awaits never leave the microtask queue: the lease's
    // renewal timer (and progress output) would starve and the lock expire. Every 500 reports timers run.
    const step = async () => {
      onProgress?.('link', done, total);
      await new Promise((r) => setImmediate(r));
    };
    for (const r of old) {
      await engine.addReport({ _id: r._id, identifierKeys: r.identifierKeys, summaryFacts: r.summaryFacts });
      if (++done % 500 === 0) await step();
    }
    for (const r of fresh) {
      await engine.addReport(r);
      if (++done % 500 === 0) await step();
    }
    for (const r of old)
      for (const o of r.explicitLinks) if (r._id < o && mem.reports.has(o)) await engine.linkReports(r._id, o);
    for (const r of old) {
      const m = mem.reports.get(r._id);
      if (m && r.detachedKeys.length) m.detachedKeys = [...r.detachedKeys];
    }
    onProgress?.('link', total, total);
    return this.write(lease, started, mem, versionOf, fresh.length, onProgress);
  }

  /**
   * Rewrites the link store from `mem` (the engine's result): derived collections cleared and written fresh,
   * a new version of every link report (`versionOf`: the versions stored before). A marker spans the rewrite.
   */
  private async write(
    lease: Lease,
    started: number,
    mem: InMemoryLinkStore,
    versionOf: ReadonlyMap<string, number>,
    newlyLinked: number,
    onProgress?: ProgressFn,
  ): Promise<ReclusterOutcome> {
    if (lease.lost || !(await lease.stillHeld()))
      throw new Error('the linking lock was lost during recluster; nothing was written, run it again');
    // from here to the end the store is being rewritten: an interruption leaves the marker (RECLUSTER_REQUIRED)
    await this.repo.setReclusterMarker(true);

    const written = { n: 0 };
    const docs = COLLECTIONS.reduce((n, c) => n + (mem[c] as unknown as Map<string, unknown>).size, 0);
    const tick = (k: number) => {
      written.n += k;
      onProgress?.('write', written.n, docs);
    };
    // derived documents: cleared (all versions and hints) and written fresh as version 1 (compaction);
    // link reports: a new version each (the edges never leave the store)
    for (const col of ['identifiers', 'clusters', 'pages', 'victims', 'hubs'] as const) await this.repo.clear(col);
    for (const col of ['pages', 'victims', 'clusters', 'identifiers'] as const) {
      const all = [...(mem[col] as unknown as Map<string, StoredDoc>).values()];
      for (let i = 0; i < all.length; i += 5_000) {
        await this.repo.applyWrites(all.slice(i, i + 5_000).map((doc) => ({ col, id: doc._id, doc, version: 1 })));
        tick(Math.min(5_000, all.length - i));
      }
    }
    const hubs = [...mem.identifiers.values()].filter((i) => i.status === 'HUB');
    await this.repo.applyWrites(
      hubs.map((i) => ({
        col: 'hubs',
        id: i._id,
        doc: { _id: i._id, kind: i.kind, degree: i.degree },
        isNew: true as const,
      })),
    );
    const reports = [...mem.reports.values()];
    for (let i = 0; i < reports.length; i += 5_000) {
      const writes: LinkWrite[] = reports.slice(i, i + 5_000).map((r) => ({
        col: 'reports',
        id: r._id,
        doc: r as unknown as StoredDoc,
        version: (versionOf.get(r._id) ?? 0) + 1,
      }));
      await this.repo.applyWrites(writes);
      tick(writes.length);
    }
    await this.repo.setReclusterMarker(false);

    const sizes = [...mem.clusters.values()].filter((c) => c.size > 0 && !c.mergedInto && !c.dead).map((c) => c.size);
    sizes.sort((a, b) => b - a);
    const outcome: ReclusterOutcome = {
      reports: mem.reports.size,
      newlyLinked,
      clusters: sizes.length,
      multiReportClusters: sizes.filter((s) => s > 1).length,
      largest: sizes.slice(0, 10),
      seconds: (Date.now() - started) / 1000,
    };
    this.logger.log(outcome, 'recluster done');
    return outcome;
  }

  /** The judged identifiers' policies (link_policies). */
  private async policies(): Promise<{ _id: string; policy: LinkPolicy }[]> {
    return (await this.repo.scanLatest('policies')) as unknown as { _id: string; policy: LinkPolicy }[];
  }

  /** An in-memory link store whose fresh ids come from the real store's generator (never reused). */
  private memoryStore(): InMemoryLinkStore {
    const repo = this.repo;
    return new (class extends InMemoryLinkStore {
      override newId(prefix: string): string {
        return repo.newId(prefix);
      }
    })({ copy: false });
  }

  /** Every link_* document into memory (full scans). */
  private async load(onProgress?: ProgressFn): Promise<InMemoryLinkStore> {
    const mem = new InMemoryLinkStore({ copy: false });
    let n = 0;
    for (const col of COLLECTIONS) {
      const map = mem[col] as unknown as Map<string, StoredDoc>;
      for (const doc of await this.repo.scanLatest(col)) {
        map.set(doc._id, doc);
        if (++n % 5_000 === 0) onProgress?.('load', n, 0);
      }
    }
    return mem;
  }
}
