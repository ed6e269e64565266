import { Injectable } from '@nestjs/common';
import { Scope } from '../auth/scope';
import { Clock } from '../common/clock/clock';
import { ConnectionShape, decodeAfter, indexedConnection, pageSize, toConnection } from '../common/graphql/pagination';
import { LinkLoaderFactory } from '../linking/link-loaders';
import { countFiltered, readFiltered } from '../store/list-index';
import { mapLimit } from '../store/map-limit';
import { UsersService } from '../users/users.service';
import { ALL_UNITS } from '../auth/scope';
import type { CaseDoc, CaseEventDoc, CaseTaskDoc } from './case.schema';
import { CaseListQuery, effectivePriority } from './case-lists';
import { allowedMoves, isClosed, nextDue, slaClocks } from './case-rules';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';
import {
  Case,
  CaseCluster,
  CaseEvent,
  CasePriority,
  CaseStatus,
  CaseTask,
  CaseTaskStatus,
  SlaClockName,
  WorkloadRow,
} from './models/case.models';

/**
 * Reads of cases: one case (by `_id`), the staff list and the unit inbox (the list index: ids from Redis, cases
 * by `_id`; a scan only while the index is being built), the workload table, a case's timeline (its events by
 * `_id`), its clusters and how they grew.
 */
@Injectable()
export class CaseQueriesService {
  constructor(
    private readonly cases: CasesService,
    private readonly repo: CasesRepository,
    private readonly links: LinkLoaderFactory,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  async get(scope: Scope, id: string): Promise<Case> {
    return this.toModel(await this.cases.require(scope, id, 'id'));
  }

  /** The staff page: `scope`'s units (ADMIN: all), the filter, newest first (overdue: most overdue first). */
  async list(
    scope: Scope,
    q: CaseListQuery,
    first: number | undefined,
    after: string | undefined,
  ): Promise<ConnectionShape<Case>> {
    const from = decodeAfter(after);
    const limit = pageSize(first, 50, 200);
    const lists = this.repo.lists;
    const units = await lists.unitsOf(scope, q.unitCode);
    const matches = (c: CaseDoc) => this.matches(c, units, q);
    if (await lists.builds.ready()) {
      const plan = lists.plan(units, q);
      const read = (at: string | undefined, n: number) => lists.page(plan.keys, plan.range, plan.sorted, at, n);
      const load = (ids: string[]) => this.repo.getMany(ids);
      const [{ found, hasNext }, upper] = await Promise.all([
        readFiltered({ read, load, matches, limit, after: from, exact: plan.exact }),
        lists.count(plan.keys, { hi: plan.range.hi }),
      ]);
      const total = plan.exact ? upper : await countFiltered({ upper, read, load, matches });
      return indexedConnection(found, hasNext, total, (c) => this.toModel(c));
    }
    // the list index is being built: scan meanwhile (cursors are case ids, newest first)
    const filter: Record<string, unknown> = { mergedInto: { $exists: false }, unitCode: { $in: units } };
    if (q.status) filter.status = q.status;
    if (q.assigneeId) filter.assigneeId = q.assigneeId;
    if (q.fraudType) filter.fraudTypes = q.fraudType;
    if (q.regionCode) filter.regionCodes = q.regionCode;
    if (from) filter._id = { $lt: from };
    const rows = (await this.repo.scan(filter, 10_000)).filter(matches);
    return toConnection(
      rows.slice(0, limit + 1),
      limit,
      rows.length,
      (c) => c._id,
      (c) => this.toModel(c),
    );
  }

  private matches(c: CaseDoc, units: readonly string[], q: CaseListQuery): boolean {
    return (
      !c.mergedInto &&
      units.includes(c.unitCode) &&
      (!q.status || c.status === q.status) &&
      (!q.priority || effectivePriority(c) === q.priority) &&
      (!q.assigneeId || c.assigneeId === q.assigneeId) &&
      (!q.fraudType || c.fraudTypes.includes(q.fraudType)) &&
      (!q.regionCode || c.regionCodes.includes(q.regionCode)) &&
      (q.overdue === undefined || this.isOverdue(c) === q.overdue)
    );
  }

  private isOverdue(c: CaseDoc): boolean {
    const due = nextDue(
      c,
      this.repo.lists.sla,
      c.tasks.filter((t) => t.status === 'OPEN' && t.dueAt).map((t) => new Date(t.dueAt as Date)),
      isClosed(c.status),
    );
    return due !== undefined && due.getTime() < this.clock.nowMs();
  }

  /** The next open unassigned case of the scope's units (highest priority, then oldest): an investigator's inbox. */
  async nextUnassigned(scope: Scope, unitCode: string | undefined): Promise<Case | null> {
    const lists = this.repo.lists;
    const units = await lists.unitsOf(scope, unitCode);
    if (!(await lists.builds.ready())) {
      const rows = await this.repo.scan(
        { mergedInto: { $exists: false }, unitCode: { $in: units }, assigneeId: { $exists: false } },
        10_000,
      );
      const open = rows.filter((c) => !isClosed(c.status));
      const rank = (c: CaseDoc) => Object.values(CasePriority).indexOf(effectivePriority(c) as CasePriority);
      open.sort((a, b) => rank(a) - rank(b) || new Date(a.openedAt).getTime() - new Date(b.openedAt).getTime());
      return open[0] ? this.toModel(open[0]) : null;
    }
    const entry = await lists.nextInbox(units);
    const doc = entry ? await this.repo.get(entry.id) : undefined;
    return doc ? this.toModel(doc) : null;
  }

  async workload(scope: Scope, unitCode: string | undefined): Promise<WorkloadRow[]> {
    const lists = this.repo.lists;
    await lists.builds.ready();
    const rows = (await lists.workload(await lists.unitsOf(scope, unitCode))).filter(
      (r) => r.open > 0 || r.overdue > 0,
    );
    const names = await mapLimit(rows, 8, async (r) =>
      r.assigneeId
        ? ((await this.users.get(r.assigneeId, ALL_UNITS).catch(() => undefined))?.displayName ?? null)
        : null,
    );
    return rows.map((r, i) => ({
      unitCode: r.unitCode,
      assigneeId: r.assigneeId,
      assigneeName: names[i],
      openCases: r.open,
      overdueCases: r.overdue,
    }));
  }

  /** A page of the timeline, oldest first (cursor: the entry's sequence number). */
  async timeline(
    c: Pick<Case, 'id' | 'eventCount'>,
    first: number | undefined,
    after: string | undefined,
  ): Promise<ConnectionShape<CaseEvent>> {
    const from = decodeAfter(after, (k) => (/^\d{1,6}$/.test(k) ? Number(k) : undefined)) ?? 0;
    const limit = pageSize(first, 50, 500);
    const to = Math.min(c.eventCount, from + limit + 1);
    const events = await this.repo.eventRange(c.id, from + 1, to);
    return toConnection(events, limit, c.eventCount, (e) => String(e.seq), toEvent);
  }

  /** The live clusters of the case's reports (the first 200 reports), and how each grew since the case's last write. */
  async clusters(c: Pick<Case, 'reportIds' | 'clusterSizes'>, ctx: object | undefined): Promise<CaseCluster[]> {
    const L = this.links.for(ctx);
    const roots = await mapLimit(c.reportIds.slice(0, 200), 16, (id) => L.clusterOfReport(id));
    const inCase = new Map<string, number>();
    const size = new Map<string, number>();
    for (const r of roots)
      if (r) {
        inCase.set(r._id, (inCase.get(r._id) ?? 0) + 1);
        size.set(r._id, r.size);
      }
    return [...inCase.keys()].sort().map((id) => ({
      clusterId: id,
      reportCount: size.get(id) ?? 0,
      inCase: inCase.get(id) ?? 0,
      grownBy: Math.max(0, (size.get(id) ?? 0) - (c.clusterSizes[id] ?? size.get(id) ?? 0)),
    }));
  }

  toModel(c: CaseDoc): Case {
    const now = this.clock.now();
    const sla = slaClocks(c, this.repo.lists.sla, now).map((s) => ({
      name: s.name as SlaClockName,
      dueAt: s.dueAt,
      metAt: s.metAt ?? null,
      overdue: s.overdue,
      breached: s.breached,
    }));
    const tasks = c.tasks.map((t) => toTask(c._id, t, now));
    const closed = isClosed(c.status);
    return {
      id: c._id,
      number: c._id,
      title: c.title,
      status: c.status as CaseStatus,
      allowedTransitions: c.mergedInto ? [] : (allowedMoves(c.status) as CaseStatus[]),
      priority: effectivePriority(c) as CasePriority,
      computedPriority: c.computedPriority as CasePriority,
      priorityOverride: c.priorityOverride
        ? { ...c.priorityOverride, priority: c.priorityOverride.priority as CasePriority }
        : null,
      unitCode: c.unitCode,
      regionCodes: c.regionCodes,
      fraudTypes: c.fraudTypes,
      assigneeId: c.assigneeId ?? null,
      reportCount: c.reportIds.length,
      totalLoss: c.lossFen,
      recoveredAmount: c.recoveredFen,
      tasks,
      notes: c.notes.map((n) => ({ ...n, caseId: c._id })),
      evidence: c.evidence.map((e) => ({ ...e, description: e.description ?? null })),
      sla,
      overdue: !closed && (sla.some((s) => s.overdue) || tasks.some((t) => t.overdue)),
      mergedInto: c.mergedInto ?? null,
      openedAt: c.openedAt,
      closedAt: c.closedAt ?? null,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      reportIds: c.reportIds,
      clusterSizes: c.clusterSizes,
      eventCount: c.eventCount,
    };
  }
}

export function toTask(caseId: string, t: CaseTaskDoc, now: Date): CaseTask {
  return {
    id: t.id,
    caseId,
    title: t.title,
    mandatory: t.mandatory,
    status: t.status as CaseTaskStatus,
    dueAt: t.dueAt ?? null,
    overdue: t.status === 'OPEN' && t.dueAt !== undefined && new Date(t.dueAt).getTime() < now.getTime(),
    assigneeId: t.assigneeId ?? null,
    origin: t.origin,
    outcome: t.outcome ?? null,
    doneAt: t.doneAt ?? null,
    doneBy: t.doneBy ?? null,
    createdAt: t.createdAt,
  };
}

function toEvent(e: CaseEventDoc): CaseEvent {
  return { seq: e.seq, type: e.type, at: e.at, actorId: e.actorId ?? null, data: JSON.stringify(e.data ?? {}) };
}
