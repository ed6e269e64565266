import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { RequestMeta, StaffPrincipal } from '../auth/principal';
import { Role } from '../auth/roles';
import { assertInScope, Scope, scopeFor } from '../auth/scope';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { LinkLoaderFactory } from '../linking/link-loaders';
import { clusterVisible } from '../linking/link-scope';
import { ReferenceService } from '../reference/reference.service';
import type { LinkableReportRecord } from '../reports/linked-reports.repository';
import { mapLimit } from '../store/map-limit';
import type { CaseDoc, CaseTaskDoc } from './case.schema';
import { CaseFactsService } from './case-facts.service';
import {
  assertCapacity,
  assertCaseInScope,
  assertWritable,
  CASE_OBJECT,
  caseEvent,
  MAX_CASE_REPORTS,
} from './case-support';
import { defaultTemplate } from './case-templates';
import { CasesError, CasesErrorCode } from './cases.errors';
import { CasesRepository } from './cases.repository';

export interface Actor {
  principal: StaffPrincipal;
  meta: RequestMeta;
}

/** The system actor of automatic openings (no user). */
const SYSTEM_ACTOR = 'system';

/**
 * Cases as groups of reports: open (by hand or automatically for a large loss), add reports, merge. A report
 * belongs to at most one case (a claim inserted before the case is written). Lifecycle, assignment and priority
 * are in CaseLifecycleService; tasks, notes and evidence in CaseWorkService; reads in CaseQueriesService.
 */
@Injectable()
export class CasesService {
  private readonly logger = new Logger(CasesService.name);

  constructor(
    private readonly repo: CasesRepository,
    private readonly facts: CaseFactsService,
    private readonly links: LinkLoaderFactory,
    private readonly reference: ReferenceService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  /** The case as `scope` may see it: NOT_FOUND / FORBIDDEN otherwise. */
  async require(scope: Scope, id: string, field = 'caseId'): Promise<CaseDoc> {
    const doc = await this.repo.get(id);
    if (!doc) throw new CasesError(CasesErrorCode.CASE_NOT_FOUND, `No case ${id}`, field);
    assertCaseInScope(scope, doc);
    return doc;
  }

  /**
   * Reports by id for `scope`: NOT_FOUND naming the first unknown one; FORBIDDEN for a report that is neither
   * filed in the scope's units nor in a cluster that reaches them (shared intelligence, as `reports` lists it).
   */
  private async requireReports(scope: Scope, ids: readonly string[], field: string): Promise<LinkableReportRecord[]> {
    const found = await this.facts.loadReports(ids);
    const missing = found.findIndex((r) => !r);
    if (missing >= 0)
      throw new CasesError(CasesErrorCode.REPORT_NOT_FOUND, `No report ${ids[missing]}`, `${field}[${missing}]`);
    const reports = found as LinkableReportRecord[];
    if (scope.kind === 'UNITS') {
      const L = this.links.for(undefined);
      const outside = reports.filter((r) => !scope.unitCodes.includes(r.regionCode));
      const visible = await mapLimit(outside, 16, async (r) => {
        const c = await L.clusterOfReport(r._id);
        return c !== undefined && clusterVisible(scope, c);
      });
      const hidden = outside.find((_, i) => !visible[i]);
      if (hidden) assertInScope(scope, [hidden.regionCode], `Report ${hidden._id}`);
    }
    return reports;
  }

  /** Claims reports for a case; on a report held by another case, gives back the claims taken and refuses. */
  private async claim(reportIds: readonly string[], caseId: string, field: string): Promise<void> {
    const now = this.clock.now();
    const taken: string[] = [];
    for (const [i, id] of reportIds.entries()) {
      const other = await this.repo.claimReport(id, caseId, now);
      if (other) {
        await this.repo.releaseClaims(taken, caseId);
        throw new CasesError(
          CasesErrorCode.REPORT_IN_OTHER_CASE,
          `Report ${id} is in case ${other} already (merge the cases to bring them together)`,
          `${field}[${i}]`,
        );
      }
      taken.push(id);
    }
  }

  async open(actor: Actor, input: { reportIds: string[]; title: string; unitCode?: string | null }): Promise<CaseDoc> {
    const scope = scopeFor(actor.principal);
    const title = input.title.trim();
    if (!title) throw new CasesError(CasesErrorCode.BAD_INPUT, 'title must not be blank', 'input.title');
    const reports = await this.requireReports(scope, input.reportIds, 'input.reportIds');
    const unitCode = input.unitCode ?? reports[0].regionCode;
    if (!this.reference.isRegion(unitCode))
      throw new CasesError(CasesErrorCode.UNKNOWN_UNIT, `No unit ${unitCode}`, 'input.unitCode');
    assertInScope(scope, [unitCode], `Unit ${unitCode}`);
    const doc = await this.create(reports, { title, unitCode, actorId: actor.principal.userId, auto: false });
    await this.audit.record({
      actorId: actor.principal.userId,
      action: 'CASE_OPENED',
      objectType: CASE_OBJECT,
      objectId: doc._id,
      unitCodes: [unitCode],
      ...actor.meta,
      details: { reports: doc.reportIds.length },
    });
    return doc;
  }

  /**
   * `case.autoOpen`: a public report whose loss passes CASE_AUTO_OPEN_LOSS_YUAN opens a case in its region's
   * unit. Idempotent: a report already in a case (a retry, or an investigator was quicker) is left alone.
   */
  async autoOpen(reportId: string): Promise<string | undefined> {
    const threshold = this.cfg.cases.autoOpenLossFen;
    if (threshold <= 0 || (await this.repo.caseOfReport(reportId))) return undefined;
    const [report] = await this.facts.loadReports([reportId]);
    if (!report || report.source !== 'public' || report.lossFen <= threshold) return undefined;
    try {
      const doc = await this.create([report], {
        title: `${report.fraudType} — ${report.regionCode}`,
        unitCode: report.regionCode,
        actorId: SYSTEM_ACTOR,
        auto: true,
      });
      await this.audit.record({
        action: 'CASE_AUTO_OPENED',
        objectType: CASE_OBJECT,
        objectId: doc._id,
        unitCodes: [doc.unitCode],
        details: { reportId, lossFen: report.lossFen },
      });
      return doc._id;
    } catch (e) {
      if (e instanceof CasesError && e.code === CasesErrorCode.REPORT_IN_OTHER_CASE) return undefined;
      throw e;
    }
  }

  private async create(
    reports: readonly LinkableReportRecord[],
    o: { title: string; unitCode: string; actorId: string; auto: boolean },
  ): Promise<CaseDoc> {
    const now = this.clock.now();
    const reportIds = reports.map((r) => r._id);
    const fraudType = reports[0].fraudType;
    // read before any claim: a failure here leaves nothing behind
    const [template, facts] = await Promise.all([
      this.templateTasks(fraudType, now),
      this.facts.derive({ reportIds }, reports),
    ]);
    const actor = o.actorId === SYSTEM_ACTOR ? undefined : o.actorId;
    for (let attempt = 0; ; attempt++) {
      let id = await this.repo.nextNumber(now.getUTCFullYear());
      // a number already used (the counter was lost with Redis): take the next
      for (let skip = 0; (await this.repo.get(id)) && skip < 10_000; skip++)
        id = await this.repo.nextNumber(now.getUTCFullYear());
      const tasks = template.map((t, i) => ({ ...t, id: `${id}~T${i + 1}` }));
      const base: CaseDoc = {
        _id: id,
        title: o.title,
        status: 'NEW',
        unitCode: o.unitCode,
        reportIds,
        recoveredFen: 0,
        tasks,
        notes: [],
        evidence: [],
        templateOf: fraudType,
        openedAt: now,
        createdBy: o.actorId,
        createdAt: now,
        updatedAt: now,
        version: 1,
        eventCount: 0,
        taskSeq: tasks.length,
        ...facts,
      };
      const events = [
        caseEvent('CASE_OPENED', now, actor, { reportIds, unitCode: o.unitCode, automatic: o.auto }),
        ...(tasks.length ? [caseEvent('TEMPLATE_APPLIED', now, actor, { fraudType, tasks: tasks.length })] : []),
      ];
      await this.claim(reportIds, id, 'input.reportIds');
      // a case that was not written gives its reports back (else they would point at a case that never was)
      const written = await this.repo.create(base, events).catch(async (e: unknown) => {
        await this.repo.releaseClaims(reportIds, id);
        throw e;
      });
      if (written) return { ...base, eventCount: events.length };
      await this.repo.releaseClaims(reportIds, id);
      if (attempt >= 3) throw new CasesError(CasesErrorCode.CASE_BUSY, 'could not number the case; retry');
    }
  }

  /** The template's tasks, due from `now` (their ids are given once the case has its number). */
  private async templateTasks(fraudType: string, now: Date): Promise<Omit<CaseTaskDoc, 'id'>[]> {
    const stored = await this.repo.template(fraudType);
    const tasks = stored?.tasks ?? defaultTemplate(fraudType);
    return tasks.map((t) => ({
      title: t.title,
      mandatory: t.mandatory,
      status: 'OPEN',
      dueAt: new Date(now.getTime() + t.dueInHours * 3_600_000),
      origin: 'TEMPLATE',
      createdAt: now,
    }));
  }

  async addReports(actor: Actor, caseId: string, reportIds: string[]): Promise<CaseDoc> {
    const scope = scopeFor(actor.principal);
    await this.require(scope, caseId);
    const reports = await this.requireReports(scope, reportIds, 'reportIds');
    const { doc, result: added } = await this.repo.write(caseId, async (current) => {
      assertWritable(current);
      const fresh = reports.filter((r) => !current.reportIds.includes(r._id));
      if (fresh.length === 0) return { result: [] as string[] };
      assertCapacity(current.reportIds.length + fresh.length, MAX_CASE_REPORTS, 'reports', 'reportIds');
      await this.claim(
        fresh.map((r) => r._id),
        caseId,
        'reportIds',
      );
      const ids = [...current.reportIds, ...fresh.map((r) => r._id)];
      const all = (await this.facts.loadReports(ids)).filter((r): r is LinkableReportRecord => r !== undefined);
      const now = this.clock.now();
      return {
        doc: { ...current, reportIds: ids, ...(await this.facts.derive({ reportIds: ids }, all)), updatedAt: now },
        events: [caseEvent('REPORTS_ADDED', now, actor.principal.userId, { reportIds: fresh.map((r) => r._id) })],
        result: fresh.map((r) => r._id),
      };
    });
    if (added.length > 0)
      await this.audit.record({
        actorId: actor.principal.userId,
        action: 'CASE_REPORTS_ADDED',
        objectType: CASE_OBJECT,
        objectId: caseId,
        unitCodes: [doc.unitCode],
        ...actor.meta,
        details: { added: added.length },
      });
    return doc;
  }

  /**
   * Merges cases into `targetId`: their reports (claims moved), tasks, notes and evidence join it; each source
   * is marked merged (read-only, out of every list) with the reason. All cases are locked, in id order.
   */
  async merge(actor: Actor, targetId: string, sourceIds: string[], reasonIn: string): Promise<CaseDoc> {
    const scope = scopeFor(actor.principal);
    const reason = reasonIn.trim();
    if (sourceIds.includes(targetId))
      throw new CasesError(CasesErrorCode.BAD_INPUT, 'a case cannot be merged into itself', 'sourceIds');
    await this.require(scope, targetId, 'targetId');
    for (const [i, id] of sourceIds.entries()) await this.require(scope, id, `sourceIds[${i}]`);
    const now = this.clock.now();
    const me = actor.principal.userId;
    const doc = await this.repo.withLocks([targetId, ...sourceIds], async () => {
      const sources = await this.repo.getMany(sourceIds);
      for (const [i, s] of sources.entries()) {
        if (!s) throw new CasesError(CasesErrorCode.CASE_NOT_FOUND, `No case ${sourceIds[i]}`, `sourceIds[${i}]`);
        assertWritable(s, { allowClosed: true });
      }
      const moved = (sources as CaseDoc[]).flatMap((s) => s.reportIds);
      const { doc: target } = await this.repo.write(
        targetId,
        async (t) => {
          assertWritable(t);
          const ids = [...t.reportIds, ...moved.filter((id) => !t.reportIds.includes(id))];
          assertCapacity(ids.length, MAX_CASE_REPORTS, 'reports', 'sourceIds');
          await this.repo.moveClaims(moved, targetId, now);
          const all = (await this.facts.loadReports(ids)).filter((r): r is LinkableReportRecord => r !== undefined);
          const srcs = sources as CaseDoc[];
          return {
            doc: {
              ...t,
              reportIds: ids,
              tasks: [...t.tasks, ...srcs.flatMap((s) => s.tasks)],
              notes: [...t.notes, ...srcs.flatMap((s) => s.notes)],
              evidence: [...t.evidence, ...srcs.flatMap((s) => s.evidence)],
              recoveredFen: t.recoveredFen + srcs.reduce((a, s) => a + s.recoveredFen, 0),
              ...(await this.facts.derive({ reportIds: ids }, all)),
              updatedAt: now,
            },
            events: [caseEvent('CASES_MERGED', now, me, { sourceIds, reason, reports: moved.length })],
            result: undefined,
          };
        },
        { locked: true },
      );
      for (const id of sourceIds)
        await this.repo.write(
          id,
          async (s) => ({
            doc: { ...s, mergedInto: targetId, updatedAt: now },
            events: [caseEvent('MERGED_INTO', now, me, { targetId, reason })],
            result: undefined,
          }),
          { locked: true },
        );
      return target;
    });
    await this.audit.record({
      actorId: me,
      action: 'CASES_MERGED',
      objectType: CASE_OBJECT,
      objectId: targetId,
      unitCodes: [...new Set([doc.unitCode])],
      reason,
      ...actor.meta,
      details: { sources: sourceIds.join(','), reports: doc.reportIds.length },
    });
    return doc;
  }

  /** For the roles check of other services: an ADMIN or a SUPERVISOR. */
  static isSupervisor(p: StaffPrincipal): boolean {
    return p.roles.includes(Role.SUPERVISOR) || p.roles.includes(Role.ADMIN);
  }
}
