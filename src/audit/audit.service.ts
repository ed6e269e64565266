import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Scope } from '../auth/scope';
import { ConnectionShape, decodeAfter, indexedConnection, pageSize, toConnection } from '../common/graphql/pagination';
import { countFiltered, readFiltered } from '../store/list-index';
import { AuditError, AuditErrorCode } from './audit.errors';
import { AuditEntryRecord, AuditQuery, AuditRepository } from './audit.repository';
import { AuditEntry } from './models/audit-entry.model';

/** What a feature hands to `AuditService.record`. */
export interface AuditInput {
  /** User id of the actor; omit for anonymous attempts. */
  actorId?: string;
  action: string;
  objectType: string;
  objectId?: string;
  /** Units the entry concerns (the actor's and the object's); supervisors of these units can read it. */
  unitCodes?: readonly string[];
  reason?: string;
  ip?: string;
  userAgent?: string;
  /** Non-personal facts only: never decrypted personal data, passwords or tokens. */
  details?: Record<string, string | number | boolean>;
  /** Defaults to now. */
  at?: Date;
}

/**
 * The append-only audit log. `record` is for every feature to call (it awaits the insert: an action whose
 * audit entry cannot be written fails rather than going unrecorded); `list` is the supervisors' page.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(private readonly repo: AuditRepository) {}

  async record(input: AuditInput): Promise<void> {
    const at = input.at ?? new Date();
    const entry: AuditEntryRecord = {
      _id: `${at.toISOString()}-${randomBytes(6).toString('hex')}`,
      at,
      action: input.action,
      objectType: input.objectType,
      unitCodes: [...new Set(input.unitCodes ?? [])],
      ...(input.actorId ? { actorId: input.actorId } : {}),
      ...(input.objectId ? { objectId: input.objectId } : {}),
      ...(input.reason ? { reason: input.reason.slice(0, 500) } : {}),
      ...(input.ip ? { ip: input.ip } : {}),
      ...(input.userAgent ? { userAgent: input.userAgent } : {}),
      ...(input.details && Object.keys(input.details).length ? { details: input.details } : {}),
    };
    await this.repo.insert(entry);
    this.logger.debug({ action: entry.action, objectType: entry.objectType, id: entry._id }, 'audit');
  }

  async list(
    scope: Scope,
    q: AuditQuery,
    first: number | undefined,
    after: string | undefined,
  ): Promise<ConnectionShape<AuditEntry>> {
    if (q.from && q.to && q.from >= q.to)
      throw new AuditError(AuditErrorCode.BAD_TIME_RANGE, 'filter.from must be before filter.to', 'filter.from');
    const before = decodeAfter(after);
    const limit = pageSize(first, 50, 200);
    if (await this.repo.lists.builds.ready()) {
      const plan = this.repo.lists.plan(scope, q);
      const read = (from: string | undefined, n: number) => this.repo.lists.page({ ...plan, after: from, limit: n });
      const load = (ids: string[]) => this.repo.findMany(ids);
      const matches = (e: AuditEntryRecord) => AuditRepository.matches(e, q);
      const [{ found, hasNext }, upper] = await Promise.all([
        readFiltered({ read, load, matches, limit, after: before, exact: plan.exact }),
        this.repo.lists.count(plan.keys, plan, plan.disjoint),
      ]);
      const total = plan.exact ? upper : await countFiltered({ upper, read, load, matches });
      return indexedConnection(found, hasNext, total, toModel);
    }
    // the list index is being built (the first page after a start on a store without it): scan meanwhile
    const [rows, total] = await Promise.all([this.repo.list(scope, q, limit + 1, before), this.repo.count(scope, q)]);
    return toConnection(rows, limit, total, (r) => r._id, toModel);
  }
}

function toModel(r: AuditEntryRecord): AuditEntry {
  return {
    id: r._id,
    at: r.at,
    actorId: r.actorId,
    action: r.action,
    objectType: r.objectType,
    objectId: r.objectId,
    unitCodes: r.unitCodes ?? [],
    reason: r.reason,
    ip: r.ip,
    userAgent: r.userAgent,
    details: Object.entries(r.details ?? {}).map(([key, value]) => ({ key, value: String(value) })),
  };
}
