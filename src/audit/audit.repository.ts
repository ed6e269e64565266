import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter } from 'mongoose';
import { Scope, scopeFilter } from '../auth/scope';
import { AuditEntryDoc } from './audit-entry.schema';

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
 * Listing filters on secondary fields (actor, action, object, time, units): on FerretDB v1 that scans the
 * collection. Acceptable: this is a paged staff page for supervisors and admins, not a hot path. On MongoDB
 * the `_id` order alone serves the sort.
 */
@Injectable()
export class AuditRepository {
  constructor(@InjectModel(AuditEntryDoc.name) private readonly entries: Model<AuditEntryDoc>) {}

  async insert(entry: AuditEntryRecord): Promise<void> {
    await this.entries.create(entry);
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
