import { Injectable } from '@nestjs/common';
import { fillInBatches } from '../store/list-builds';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter } from 'mongoose';
import { Scope, scopeFilter } from '../auth/scope';
import { AuditEntryDoc } from './audit-entry.schema';
import { AuditLists, ListedEntry } from './audit-lists';
import { mapLimit } from '../store/map-limit';

const LISTED = { _id: 1, unitCodes: 1, action: 1, objectType: 1, objectId: 1, actorId: 1 } as const;

export type AuditEntryRecord = AuditEntryDoc;

export interface AuditQuery {
  actorId?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  from?: Date;
  to?: Date;
}

/**
 * Append-only by construction: `insert`, `list` and `count` are the only methods. Do not add update or
 * delete methods here; the audit log must not be editable through the application.
 *
 * Pages read the list index (AuditLists: ids from Redis, entries by `_id`); `list` and `count` below filter on
 * secondary fields — a scan on FerretDB v1 — and serve only while that index is being built.
 */
@Injectable()
export class AuditRepository {
  constructor(
    @InjectModel(AuditEntryDoc.name) private readonly entries: Model<AuditEntryDoc>,
    readonly lists: AuditLists,
  ) {
    lists.attach((add) =>
      fillInBatches(
        this.entries.collection.find(
          {},
          { projection: LISTED, batchSize: 5_000 },
        ) as unknown as AsyncIterable<ListedEntry>,
        5_000,
        add,
      ),
    );
  }

  /** Inserts an entry and adds it to the list index (`siqian reindex audit` repairs a crash between the two). */
  async insert(entry: AuditEntryRecord): Promise<void> {
    await this.entries.create(entry);
    await this.lists.add([entry]);
  }

  /** Entries by `_id` (in parallel single reads: an `$in` scans on the embedded store); missing ones undefined. */
  async findMany(ids: readonly string[]): Promise<(AuditEntryRecord | undefined)[]> {
    return mapLimit(
      ids,
      16,
      async (id) => (await this.entries.findById(id).lean<AuditEntryRecord>().exec()) ?? undefined,
    );
  }

  /** True when an entry passes every filter of `q` (a page read through the index checks what its key did not). */
  static matches(e: AuditEntryRecord, q: AuditQuery): boolean {
    const at = new Date(e.at).getTime();
    return (
      (!q.actorId || e.actorId === q.actorId) &&
      (!q.action || e.action === q.action) &&
      (!q.objectType || e.objectType === q.objectType) &&
      (!q.objectId || e.objectId === q.objectId) &&
      (!q.from || at >= q.from.getTime()) &&
      (!q.to || at < q.to.getTime())
    );
  }

  /** Newest first; `before` is the `_id` of the last entry of the previous page; `scope` is required. */
  async list(scope: Scope, q: AuditQuery, limit: number, before?: string): Promise<AuditEntryRecord[]> {
    const filter = this.filter(scope, q);
    if (before) filter._id = { $lt: before };
    return this.entries.find(filter).sort({ _id: -1 }).limit(limit).lean<AuditEntryRecord[]>().exec();
  }

  async count(scope: Scope, q: AuditQuery): Promise<number> {
    return this.entries.countDocuments(this.filter(scope, q)).exec();
  }

  private filter(scope: Scope, q: AuditQuery): QueryFilter<AuditEntryDoc> {
    const f: QueryFilter<AuditEntryDoc> = { ...scopeFilter(scope, 'unitCodes') };
    if (q.actorId) f.actorId = q.actorId;
    if (q.action) f.action = q.action;
    if (q.objectType) f.objectType = q.objectType;
    if (q.objectId) f.objectId = q.objectId;
    if (q.from || q.to) f.at = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lt: q.to } : {}) };
    return f;
  }
}
