import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type Redis from 'ioredis';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { claimByInsert } from '../store/insert';
import { fillInBatches } from '../store/list-builds';
import { mapLimit } from '../store/map-limit';
import { Lease, LockTimeoutError, RedisLock } from '../store/redis-lock';
import {
  CaseDoc,
  CaseEventDoc,
  CaseEventRecord,
  CaseRecord,
  CaseReportDoc,
  CaseReportRecord,
  CaseTemplateDoc,
  CaseTemplateRecord,
} from './case.schema';
import { CaseLists } from './case-lists';
import { CasesError, CasesErrorCode } from './cases.errors';

/** A case write: the new image and the events it appends to the timeline. */
export interface CaseChange<R> {
  doc: CaseDoc;
  events: Omit<CaseEventDoc, '_id' | 'caseId' | 'seq'>[];
  result: R;
}

const READS = 16;
const LOCK_TTL_MS = 15_000;
const LOCK_WAIT_MS = 10_000;

const eventId = (caseId: string, seq: number) => `${caseId}|${String(seq).padStart(6, '0')}`;

/**
 * The cases store. Every read is by `_id`; every write of a case runs under the case's Redis lock
 * ({@link CasesRepository.write}): read, change, append the events, replace the case, place it in the list
 * index. The order makes a crash harmless: events past the case's `eventCount` are orphans the next write
 * overwrites; the list placement is repaired by the next write or `siqian reindex cases`.
 */
@Injectable()
export class CasesRepository {
  constructor(
    @InjectModel(CaseRecord.name) private readonly cases: Model<CaseRecord>,
    @InjectModel(CaseEventRecord.name) private readonly events: Model<CaseEventRecord>,
    @InjectModel(CaseReportRecord.name) private readonly claims: Model<CaseReportRecord>,
    @InjectModel(CaseTemplateRecord.name) private readonly templates: Model<CaseTemplateRecord>,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    readonly lists: CaseLists,
  ) {
    lists.attach((index, onProgress) =>
      fillInBatches(
        this.casesColl.find({}, { batchSize: 1_000 }) as unknown as AsyncIterable<CaseDoc>,
        1_000,
        (batch) => lists.place(batch, index),
        onProgress,
      ),
    );
  }

  private get casesColl(): Collection<CaseDoc> {
    return this.cases.collection as unknown as Collection<CaseDoc>;
  }
  private get eventsColl(): Collection<CaseEventDoc> {
    return this.events.collection as unknown as Collection<CaseEventDoc>;
  }
  private get claimsColl(): Collection<CaseReportDoc> {
    return this.claims.collection as unknown as Collection<CaseReportDoc>;
  }
  private get templatesColl(): Collection<CaseTemplateDoc> {
    return this.templates.collection as unknown as Collection<CaseTemplateDoc>;
  }

  async get(id: string): Promise<CaseDoc | undefined> {
    return (await this.casesColl.findOne({ _id: id })) ?? undefined;
  }

  getMany(ids: readonly string[]): Promise<(CaseDoc | undefined)[]> {
    return mapLimit(ids, READS, (id) => this.get(id));
  }

  /** The next case number of `year` (a Redis counter; a number already taken is skipped by the insert). */
  async nextNumber(year: number): Promise<string> {
    const n = await this.redis.incr(`${this.cfg.queue.prefix}:cases:seq:${year}`);
    return `AJ-${year}-${String(n).padStart(6, '0')}`;
  }

  /**
   * Inserts a new case (false when its number is taken: a counter lost with Redis) with its first events,
   * and places it in the list.
   */
  async create(doc: CaseDoc, events: CaseChange<unknown>['events']): Promise<boolean> {
    const withEvents = { ...doc, eventCount: events.length };
    if (!(await claimByInsert(() => this.casesColl.insertOne(withEvents)))) return false;
    await this.writeEvents(doc._id, 1, events);
    await this.lists.place([withEvents]);
    return true;
  }

  private lock(id: string): RedisLock {
    return new RedisLock(this.redis, `${this.cfg.queue.prefix}:case-lock:${id}`, LOCK_TTL_MS, LOCK_WAIT_MS, {
      numbered: false,
    });
  }

  /** Runs `fn` holding the locks of several cases (a merge), taken in id order so two merges cannot deadlock. */
  async withLocks<T>(ids: readonly string[], fn: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(ids)].sort();
    const leases: Lease[] = [];
    try {
      for (const id of sorted) leases.push(await this.acquire(id));
      return await fn();
    } finally {
      await Promise.all(leases.map((l) => l.releaseQuietly()));
    }
  }

  private async acquire(id: string): Promise<Lease> {
    try {
      return await this.lock(id).acquire();
    } catch (e) {
      if (e instanceof LockTimeoutError)
        throw new CasesError(CasesErrorCode.CASE_BUSY, `case ${id} is being edited by someone else; retry`);
      throw e;
    }
  }

  /**
   * One serialised edit of a case: `change` gets the stored case and returns its new image and events (or
   * undefined: nothing to write). Waits for the case's lock (CONFLICT CASE_BUSY after 10 s). `locked`: the
   * caller holds the lock already (withLocks).
   */
  async write<R>(
    id: string,
    change: (doc: CaseDoc) => Promise<CaseChange<R> | { result: R; doc?: undefined }>,
    opts: { locked?: boolean } = {},
  ): Promise<{ doc: CaseDoc; result: R }> {
    const run = async (): Promise<{ doc: CaseDoc; result: R }> => {
      const current = await this.get(id);
      if (!current) throw new CasesError(CasesErrorCode.CASE_NOT_FOUND, `No case ${id}`);
      const out = await change(current);
      if (!out.doc) return { doc: current, result: out.result };
      const next: CaseDoc = {
        ...out.doc,
        version: current.version + 1,
        eventCount: current.eventCount + out.events.length,
      };
      await this.writeEvents(id, current.eventCount + 1, out.events);
      await this.casesColl.replaceOne({ _id: id }, next);
      await this.lists.place([next]);
      return { doc: next, result: out.result };
    };
    if (opts.locked) return run();
    const lease = await this.acquire(id);
    try {
      return await run();
    } finally {
      await lease.releaseQuietly();
    }
  }

  private async writeEvents(caseId: string, fromSeq: number, events: CaseChange<unknown>['events']): Promise<void> {
    // upserts: an orphan left at this seq by a crashed write is replaced
    for (let i = 0; i < events.length; i++) {
      const seq = fromSeq + i;
      const doc: CaseEventDoc = { _id: eventId(caseId, seq), caseId, seq, ...events[i] };
      await this.eventsColl.replaceOne({ _id: doc._id }, doc, { upsert: true });
    }
  }

  /** Timeline entries `from`..`to` (1-based, inclusive) of a case, by `_id`. */
  async eventRange(caseId: string, from: number, to: number): Promise<CaseEventDoc[]> {
    const seqs: number[] = [];
    for (let s = Math.max(1, from); s <= to; s++) seqs.push(s);
    const docs = await mapLimit(seqs, READS, (s) => this.eventsColl.findOne({ _id: eventId(caseId, s) }));
    return docs.filter((d): d is CaseEventDoc => d !== null);
  }

  /** Claims a report for a case (atomic: an insert); the claim's case when another case holds it. */
  async claimReport(reportId: string, caseId: string, at: Date): Promise<string | undefined> {
    if (await claimByInsert(() => this.claimsColl.insertOne({ _id: reportId, caseId, at }))) return undefined;
    const held = await this.claimsColl.findOne({ _id: reportId });
    return held && held.caseId !== caseId ? held.caseId : undefined;
  }

  /** Drops claims of a case that did not get written (a failed open). */
  async releaseClaims(reportIds: readonly string[], caseId: string): Promise<void> {
    for (const id of reportIds) await this.claimsColl.deleteOne({ _id: id, caseId });
  }

  /** Moves claims to another case (a merge, both cases locked). */
  async moveClaims(reportIds: readonly string[], caseId: string, at: Date): Promise<void> {
    await mapLimit(reportIds, READS, (id) => this.claimsColl.replaceOne({ _id: id }, { caseId, at }, { upsert: true }));
  }

  async caseOfReport(reportId: string): Promise<string | undefined> {
    return (await this.claimOfReport(reportId))?.caseId;
  }

  async claimOfReport(reportId: string): Promise<CaseReportDoc | undefined> {
    return (await this.claimsColl.findOne({ _id: reportId })) ?? undefined;
  }

  casesOfReports(reportIds: readonly string[]): Promise<(string | undefined)[]> {
    return mapLimit(reportIds, READS, (id) => this.caseOfReport(id));
  }

  async template(fraudType: string): Promise<CaseTemplateDoc | undefined> {
    return (await this.templatesColl.findOne({ _id: fraudType })) ?? undefined;
  }

  async setTemplate(doc: CaseTemplateDoc): Promise<void> {
    await this.templatesColl.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }

  async deleteTemplate(fraudType: string): Promise<void> {
    await this.templatesColl.deleteOne({ _id: fraudType });
  }

  /** Staff pages while the list index is being built: a scan (cost-flagged), filtered in the store. */
  async scan(filter: Record<string, unknown>, limit: number): Promise<CaseDoc[]> {
    return this.casesColl.find(filter).sort({ _id: -1 }).limit(limit).toArray();
  }
}
