import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { scopeFor } from '../auth/scope';
import { Clock } from '../common/clock/clock';
import { type IdentifierKind, identifierKey, normalizeIdentifier } from '../identifiers';
import { isWarninglistedKey } from '../linking/linking.options';
import { ReportIndexer } from '../reports/report-indexer.service';
import { UsersService } from '../users/users.service';
import { ALL_UNITS } from '../auth/scope';
import type { CaseDoc, CaseEvidenceDoc, CaseNoteDoc, CaseTaskDoc, CaseTemplateDoc } from './case.schema';
import { CaseFactsService } from './case-facts.service';
import {
  assertCapacity,
  assertWritable,
  CASE_OBJECT,
  caseEvent,
  caseIdOfTask,
  MAX_CASE_ITEMS,
  withFirstAction,
} from './case-support';
import { defaultTemplate, TemplateTask } from './case-templates';
import { CasesError, CasesErrorCode } from './cases.errors';
import { CasesRepository } from './cases.repository';
import { Actor, CasesService } from './cases.service';

export interface TaskInput {
  title: string;
  dueAt?: Date | null;
  assigneeId?: string | null;
  mandatory?: boolean | null;
}

/**
 * The work on a case: tasks (with due dates, owners, `mandatory`), notes, evidence references, the templates of
 * first tasks per fraud type, and confirming an identifier (its public risk becomes CONFIRMED). Tasks other
 * features put on a case (an appeal) come through {@link CaseWorkService.addSystemTask}, idempotent by key.
 */
@Injectable()
export class CaseWorkService {
  constructor(
    private readonly cases: CasesService,
    private readonly repo: CasesRepository,
    private readonly facts: CaseFactsService,
    private readonly indexer: ReportIndexer,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private async checkAssignee(id: string, unitCode: string, field: string): Promise<void> {
    const user = await this.users.get(id, ALL_UNITS).catch(() => undefined);
    if (!user || user.disabled || !user.unitCodes.includes(unitCode))
      throw new CasesError(CasesErrorCode.BAD_ASSIGNEE, `${id} is not an enabled user of unit ${unitCode}`, field);
  }

  async addTask(actor: Actor, caseId: string, input: TaskInput): Promise<CaseTaskDoc> {
    const before = await this.cases.require(scopeFor(actor.principal), caseId);
    const title = input.title.trim();
    if (!title) throw new CasesError(CasesErrorCode.BAD_INPUT, 'title must not be blank', 'input.title');
    if (input.assigneeId) await this.checkAssignee(input.assigneeId, before.unitCode, 'input.assigneeId');
    const now = this.clock.now();
    const { result: task } = await this.repo.write(caseId, async (c) => {
      assertWritable(c);
      assertCapacity(c.tasks.length + 1, MAX_CASE_ITEMS, 'tasks', 'input');
      const t: CaseTaskDoc = {
        id: `${caseId}~T${c.taskSeq + 1}`,
        title,
        mandatory: input.mandatory === true,
        status: 'OPEN',
        origin: 'MANUAL',
        createdAt: now,
        createdBy: actor.principal.userId,
      };
      if (input.dueAt) t.dueAt = input.dueAt;
      if (input.assigneeId) t.assigneeId = input.assigneeId;
      return {
        doc: { ...c, tasks: [...c.tasks, t], taskSeq: c.taskSeq + 1, updatedAt: now },
        events: [caseEvent('TASK_ADDED', now, actor.principal.userId, { taskId: t.id, title, mandatory: t.mandatory })],
        result: t,
      };
    });
    return task;
  }

  /** Completes a task; the case is found from the task id (following a merge). */
  async completeTask(
    actor: Actor,
    taskId: string,
    outcome?: string | null,
  ): Promise<{ task: CaseTaskDoc; caseId: string }> {
    const scope = scopeFor(actor.principal);
    let caseId = caseIdOfTask(taskId);
    let doc = caseId ? await this.repo.get(caseId) : undefined;
    for (let hops = 0; doc?.mergedInto && hops < 20; hops++) doc = await this.repo.get(doc.mergedInto);
    if (!doc || !doc.tasks.some((t) => t.id === taskId))
      throw new CasesError(CasesErrorCode.TASK_NOT_FOUND, `No task ${taskId}`, 'taskId');
    caseId = doc._id;
    await this.cases.require(scope, caseId, 'taskId');
    const now = this.clock.now();
    const text = outcome?.trim() || undefined;
    const { result: task } = await this.repo.write(caseId, async (c) => {
      assertWritable(c, { allowClosed: true });
      const t = c.tasks.find((x) => x.id === taskId);
      if (!t) throw new CasesError(CasesErrorCode.TASK_NOT_FOUND, `No task ${taskId}`, 'taskId');
      if (t.status === 'DONE')
        throw new CasesError(CasesErrorCode.TASK_DONE, `Task ${taskId} is done already`, 'taskId');
      const done: CaseTaskDoc = { ...t, status: 'DONE', doneAt: now, doneBy: actor.principal.userId };
      if (text) done.outcome = text;
      return {
        doc: withFirstAction({ ...c, tasks: c.tasks.map((x) => (x.id === taskId ? done : x)), updatedAt: now }, now),
        events: [
          caseEvent('TASK_COMPLETED', now, actor.principal.userId, { taskId, ...(text ? { outcome: text } : {}) }),
        ],
        result: done,
      };
    });
    return { task, caseId };
  }

  async addNote(actor: Actor, caseId: string, textIn: string): Promise<CaseNoteDoc> {
    await this.cases.require(scopeFor(actor.principal), caseId);
    const text = textIn.trim();
    if (!text) throw new CasesError(CasesErrorCode.BAD_INPUT, 'text must not be blank', 'text');
    const now = this.clock.now();
    const { result: note } = await this.repo.write(caseId, async (c) => {
      assertWritable(c, { allowClosed: true });
      assertCapacity(c.notes.length + 1, MAX_CASE_ITEMS, 'notes', 'text');
      const n: CaseNoteDoc = {
        id: `${caseId}~N${c.notes.length + 1}`,
        text,
        authorId: actor.principal.userId,
        at: now,
      };
      return {
        doc: withFirstAction({ ...c, notes: [...c.notes, n], updatedAt: now }, now),
        events: [caseEvent('NOTE_ADDED', now, actor.principal.userId, { noteId: n.id })],
        result: n,
      };
    });
    return note;
  }

  async addEvidence(
    actor: Actor,
    caseId: string,
    input: { sha256: string; type: string; location: string; description?: string | null },
  ): Promise<CaseEvidenceDoc> {
    await this.cases.require(scopeFor(actor.principal), caseId);
    const now = this.clock.now();
    const sha256 = input.sha256.toLowerCase();
    const { result: item } = await this.repo.write(caseId, async (c) => {
      assertWritable(c, { allowClosed: true });
      const same = c.evidence.find((e) => e.sha256 === sha256);
      if (same) return { result: same };
      assertCapacity(c.evidence.length + 1, MAX_CASE_ITEMS, 'evidence items', 'input');
      const e: CaseEvidenceDoc = {
        id: `${caseId}~E${c.evidence.length + 1}`,
        sha256,
        type: input.type,
        location: input.location.trim(),
        addedBy: actor.principal.userId,
        at: now,
      };
      if (input.description) e.description = input.description.trim();
      return {
        doc: withFirstAction({ ...c, evidence: [...c.evidence, e], updatedAt: now }, now),
        events: [caseEvent('EVIDENCE_ADDED', now, actor.principal.userId, { evidenceId: e.id, sha256, type: e.type })],
        result: e,
      };
    });
    await this.audit.record({
      actorId: actor.principal.userId,
      action: 'CASE_EVIDENCE_ADDED',
      objectType: CASE_OBJECT,
      objectId: caseId,
      unitCodes: [(await this.repo.get(caseId))?.unitCode ?? ''],
      ...actor.meta,
      details: { sha256, type: input.type },
    });
    return item;
  }

  /**
   * Marks an identifier carried by a report of the case as confirmed fraudulent: its public lookup answers
   * CONFIRMED from the next lookup on, and every reporter of it who left a contact gets a notice.
   */
  async confirmIdentifier(
    actor: Actor,
    caseId: string,
    kind: IdentifierKind,
    value: string,
    reasonIn: string,
    noticeReporters: (key: string, ref: string) => Promise<number>,
  ): Promise<{ key: string; kind: string; value: string }> {
    const c = await this.cases.require(scopeFor(actor.principal), caseId);
    assertWritable(c, { allowClosed: true });
    const reason = reasonIn.trim();
    const n = normalizeIdentifier({ kind, value });
    if (!n.ok)
      throw new CasesError(CasesErrorCode.BAD_INPUT, `value: not a recognisable identifier (${n.reason})`, 'value');
    const key = identifierKey(n.identifier.kind, n.identifier.value);
    if (isWarninglistedKey(key))
      throw new CasesError(
        CasesErrorCode.IDENTIFIER_WARNINGLISTED,
        `${key} is warninglisted (an official or well-known value): it cannot be confirmed as fraudulent`,
        'value',
      );
    const reports = await this.facts.loadReports(c.reportIds);
    if (!reports.some((r) => r?.identifiers.some((i) => i.key === key)))
      throw new CasesError(
        CasesErrorCode.IDENTIFIER_NOT_IN_CASE,
        `No report of case ${caseId} carries ${key}`,
        'value',
      );
    await this.indexer.setConfirmed(key, true);
    const now = this.clock.now();
    await this.repo.write(caseId, async (d) => ({
      doc: withFirstAction({ ...d, updatedAt: now }, now),
      events: [caseEvent('IDENTIFIER_CONFIRMED', now, actor.principal.userId, { key, reason })],
      result: undefined,
    }));
    const notices = await noticeReporters(key, caseId);
    await this.audit.record({
      actorId: actor.principal.userId,
      action: 'IDENTIFIER_CONFIRMED',
      objectType: CASE_OBJECT,
      objectId: caseId,
      unitCodes: [c.unitCode],
      reason,
      ...actor.meta,
      details: { key, notices },
    });
    return { key, kind: n.identifier.kind, value: n.identifier.value };
  }

  async template(
    fraudType: string,
  ): Promise<{ fraudType: string; tasks: readonly TemplateTask[]; stored?: CaseTemplateDoc }> {
    const stored = await this.repo.template(fraudType);
    return { fraudType, tasks: stored?.tasks ?? defaultTemplate(fraudType), stored };
  }

  /** Replaces a fraud type's template (SUPERVISOR); it applies to cases opened from now on. */
  async setTemplate(
    actor: Actor,
    fraudType: string,
    tasks: { title: string; mandatory?: boolean | null; dueInHours: number }[],
  ) {
    const now = this.clock.now();
    const doc: CaseTemplateDoc = {
      _id: fraudType,
      tasks: tasks.map((t, i) => {
        const title = t.title.trim();
        if (!title) throw new CasesError(CasesErrorCode.BAD_INPUT, 'title must not be blank', `tasks[${i}].title`);
        return { title, mandatory: t.mandatory === true, dueInHours: t.dueInHours };
      }),
      updatedBy: actor.principal.userId,
      updatedAt: now,
    };
    await this.repo.setTemplate(doc);
    await this.audit.record({
      actorId: actor.principal.userId,
      action: 'CASE_TEMPLATE_SET',
      objectType: 'CaseTemplate',
      objectId: fraudType,
      unitCodes: actor.principal.unitCodes,
      ...actor.meta,
      details: { tasks: doc.tasks.length },
    });
    return this.template(fraudType);
  }

  async resetTemplate(actor: Actor, fraudType: string) {
    await this.repo.deleteTemplate(fraudType);
    await this.audit.record({
      actorId: actor.principal.userId,
      action: 'CASE_TEMPLATE_RESET',
      objectType: 'CaseTemplate',
      objectId: fraudType,
      unitCodes: actor.principal.unitCodes,
      ...actor.meta,
    });
    return this.template(fraudType);
  }

  /** A task put on a case by another feature; a second add with the same key returns the first's id. */
  async addSystemTask(
    caseId: string,
    input: { key: string; title: string; dueAt: Date; mandatory: boolean; assigneeId?: string },
    actorId?: string,
  ): Promise<string> {
    const now = this.clock.now();
    const { result } = await this.repo.write(caseId, async (c) => {
      const same = c.tasks.find((t) => t.key === input.key);
      if (same) return { result: same.id };
      const t: CaseTaskDoc = {
        id: `${caseId}~T${c.taskSeq + 1}`,
        key: input.key,
        title: input.title,
        mandatory: input.mandatory,
        status: 'OPEN',
        dueAt: input.dueAt,
        origin: 'SYSTEM',
        createdAt: now,
      };
      if (input.assigneeId ?? c.assigneeId) t.assigneeId = input.assigneeId ?? c.assigneeId;
      if (actorId) t.createdBy = actorId;
      return {
        doc: { ...c, tasks: [...c.tasks, t], taskSeq: c.taskSeq + 1, updatedAt: now },
        events: [
          caseEvent('TASK_ADDED', now, actorId, {
            taskId: t.id,
            title: t.title,
            mandatory: t.mandatory,
            key: input.key,
          }),
        ],
        result: t.id,
      };
    });
    return result;
  }

  async completeSystemTask(caseId: string, key: string, outcome: string, actorId?: string): Promise<void> {
    const now = this.clock.now();
    await this.repo.write(caseId, async (c) => {
      const t = c.tasks.find((x) => x.key === key);
      if (!t || t.status === 'DONE') return { result: undefined };
      const done: CaseTaskDoc = { ...t, status: 'DONE', doneAt: now, outcome };
      if (actorId) done.doneBy = actorId;
      return {
        doc: { ...c, tasks: c.tasks.map((x) => (x.key === key ? done : x)), updatedAt: now },
        events: [caseEvent('TASK_COMPLETED', now, actorId, { taskId: t.id, key, outcome })],
        result: undefined,
      };
    });
  }

  async recordEvent(
    caseId: string,
    e: { type: string; actorId?: string; data?: Record<string, unknown>; firstAction?: boolean },
  ): Promise<void> {
    const now = this.clock.now();
    await this.repo.write(caseId, async (c: CaseDoc) => ({
      doc: e.firstAction ? withFirstAction({ ...c, updatedAt: now }, now) : { ...c, updatedAt: now },
      events: [caseEvent(e.type, now, e.actorId, e.data)],
      result: undefined,
    }));
  }
}
