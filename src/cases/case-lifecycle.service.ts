import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AuthError, AuthErrorCode } from '../auth/auth.errors';
import { Role } from '../auth/roles';
import { ALL_UNITS, assertInScope, scopeFor } from '../auth/scope';
import { Clock } from '../common/clock/clock';
import { ReferenceService } from '../reference/reference.service';
import { UsersService } from '../users/users.service';
import type { CaseStatusValue } from './case-access';
import type { CaseDoc } from './case.schema';
import { allowedMoves, type CasePriorityValue, isClosed, isLegalMove, isReopen } from './case-rules';
import { assertWritable, CASE_OBJECT, caseEvent, withFirstAction } from './case-support';
import { CasesError, CasesErrorCode } from './cases.errors';
import { CasesRepository } from './cases.repository';
import { Actor, CasesService } from './cases.service';

/**
 * The lifecycle of a case (enforced transitions, mandatory tasks block closing, reopen with a reason), its
 * assignment (unit and investigator), the priority override and the recovered amount.
 */
@Injectable()
export class CaseLifecycleService {
  constructor(
    private readonly cases: CasesService,
    private readonly repo: CasesRepository,
    private readonly users: UsersService,
    private readonly reference: ReferenceService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async transition(actor: Actor, caseId: string, to: CaseStatusValue, reasonIn?: string | null): Promise<CaseDoc> {
    const reason = reasonIn?.trim() || undefined;
    await this.cases.require(scopeFor(actor.principal), caseId);
    const now = this.clock.now();
    const { doc, result: from } = await this.repo.write(caseId, async (c) => {
      assertWritable(c, { allowClosed: true });
      if (!isLegalMove(c.status, to)) {
        const allowed = allowedMoves(c.status);
        throw new CasesError(
          CasesErrorCode.ILLEGAL_TRANSITION,
          `Case ${caseId} is ${c.status}: it can move to ${allowed.join(', ')}, not ${to}`,
          'to',
        );
      }
      const reopen = isReopen(c.status, to);
      if (reopen && !reason)
        throw new CasesError(CasesErrorCode.REASON_REQUIRED, 'reason: say why the case reopens', 'reason');
      if (isClosed(to)) {
        const open = c.tasks.filter((t) => t.mandatory && t.status === 'OPEN');
        if (open.length > 0)
          throw new CasesError(
            CasesErrorCode.MANDATORY_TASKS_OPEN,
            `Case ${caseId} has open mandatory tasks: ${open.map((t) => `${t.id} "${t.title}"`).join('; ')}`,
            'to',
          );
      }
      let next: CaseDoc = { ...c, status: to, updatedAt: now };
      if (to === 'TRIAGED' && !c.triagedAt) next.triagedAt = now;
      // moving past triage is acting on the case
      if (to !== 'TRIAGED' && !isClosed(to)) next = withFirstAction(next, now);
      if (isClosed(to)) next.closedAt = now;
      if (reopen) delete next.closedAt;
      return {
        doc: next,
        events: [
          caseEvent(reopen ? 'CASE_REOPENED' : 'STATUS_CHANGED', now, actor.principal.userId, {
            from: c.status,
            to,
            ...(reason ? { reason } : {}),
          }),
        ],
        result: c.status,
      };
    });
    await this.audit.record({
      actorId: actor.principal.userId,
      action: isReopen(from, to) ? 'CASE_REOPENED' : 'CASE_STATUS_CHANGED',
      objectType: CASE_OBJECT,
      objectId: caseId,
      unitCodes: [doc.unitCode],
      reason,
      ...actor.meta,
      details: { from, to },
    });
    return doc;
  }

  /**
   * Sets the case's unit and investigator together: `unitCode` absent keeps the unit; `assigneeId` absent or
   * null leaves the case unassigned (in the unit's inbox). An investigator may take a case or give it back;
   * assigning someone else or moving a case to another unit is a SUPERVISOR's (of both units) or an ADMIN's.
   */
  async assign(actor: Actor, caseId: string, assigneeIn?: string | null, unitIn?: string | null): Promise<CaseDoc> {
    const p = actor.principal;
    const scope = scopeFor(p);
    const before = await this.cases.require(scope, caseId);
    const unitCode = unitIn ?? before.unitCode;
    const assigneeId = assigneeIn ?? undefined;
    const supervisor = CasesService.isSupervisor(p);
    if (unitCode !== before.unitCode) {
      if (!this.reference.isRegion(unitCode))
        throw new CasesError(CasesErrorCode.UNKNOWN_UNIT, `No unit ${unitCode}`, 'unitCode');
      if (!supervisor)
        throw new AuthError(AuthErrorCode.MISSING_ROLE, 'Moving a case to another unit needs a SUPERVISOR');
      assertInScope(scope, [unitCode], `Unit ${unitCode}`);
    }
    // an investigator takes an unassigned case or gives back their own; nothing else
    const mineOrFree = before.assigneeId === undefined || before.assigneeId === p.userId;
    const toMeOrNobody = assigneeId === undefined || assigneeId === p.userId;
    if (!supervisor && !(mineOrFree && toMeOrNobody))
      throw new AuthError(
        AuthErrorCode.MISSING_ROLE,
        before.assigneeId && before.assigneeId !== p.userId
          ? 'The case is assigned to someone else: a SUPERVISOR reassigns it'
          : 'Assigning a case to someone else needs a SUPERVISOR',
      );
    if (assigneeId) {
      const user = await this.users.get(assigneeId, ALL_UNITS).catch(() => undefined);
      const works = user?.roles.some((r) => r === Role.INVESTIGATOR || r === Role.SUPERVISOR);
      if (!user || user.disabled || !works || !user.unitCodes.includes(unitCode))
        throw new CasesError(
          CasesErrorCode.BAD_ASSIGNEE,
          `${assigneeId} is not an enabled investigator of unit ${unitCode}`,
          'assigneeId',
        );
    }
    const now = this.clock.now();
    const { doc } = await this.repo.write(caseId, async (c) => {
      assertWritable(c);
      if (c.unitCode === unitCode && c.assigneeId === assigneeId) return { result: undefined };
      const next: CaseDoc = { ...c, unitCode, updatedAt: now };
      if (assigneeId) next.assigneeId = assigneeId;
      else delete next.assigneeId;
      return {
        doc: next,
        events: [
          caseEvent('ASSIGNED', now, p.userId, {
            fromUnit: c.unitCode,
            toUnit: unitCode,
            from: c.assigneeId ?? null,
            to: assigneeId ?? null,
          }),
        ],
        result: undefined,
      };
    });
    await this.audit.record({
      actorId: p.userId,
      action: 'CASE_ASSIGNED',
      objectType: CASE_OBJECT,
      objectId: caseId,
      unitCodes: [...new Set([before.unitCode, unitCode])],
      ...actor.meta,
      details: { unitCode, assigneeId: assigneeId ?? '' },
    });
    return doc;
  }

  /** Overrides the computed priority with a reason (null: back to the computed one). SUPERVISOR. */
  async setPriority(
    actor: Actor,
    caseId: string,
    priority: CasePriorityValue | null | undefined,
    reasonIn: string,
  ): Promise<CaseDoc> {
    const reason = reasonIn.trim();
    await this.cases.require(scopeFor(actor.principal), caseId);
    const now = this.clock.now();
    const { doc } = await this.repo.write(caseId, async (c) => {
      assertWritable(c, { allowClosed: true });
      const next: CaseDoc = { ...c, updatedAt: now };
      if (priority) next.priorityOverride = { priority, reason, by: actor.principal.userId, at: now };
      else delete next.priorityOverride;
      return {
        doc: next,
        events: [
          caseEvent('PRIORITY_SET', now, actor.principal.userId, {
            priority: priority ?? null,
            computed: c.computedPriority,
            reason,
          }),
        ],
        result: undefined,
      };
    });
    await this.audit.record({
      actorId: actor.principal.userId,
      action: 'CASE_PRIORITY_SET',
      objectType: CASE_OBJECT,
      objectId: caseId,
      unitCodes: [doc.unitCode],
      reason,
      ...actor.meta,
      details: { priority: priority ?? 'COMPUTED' },
    });
    return doc;
  }

  /** Records the total recovered for the victims so far (exact fen), with a reason. */
  async recordRecovery(actor: Actor, caseId: string, fen: number, reasonIn: string): Promise<CaseDoc> {
    const reason = reasonIn.trim();
    await this.cases.require(scopeFor(actor.principal), caseId);
    const now = this.clock.now();
    const { doc } = await this.repo.write(caseId, async (c) => {
      assertWritable(c, { allowClosed: true });
      return {
        doc: withFirstAction({ ...c, recoveredFen: fen, updatedAt: now }, now),
        events: [
          caseEvent('RECOVERY_RECORDED', now, actor.principal.userId, { fromFen: c.recoveredFen, toFen: fen, reason }),
        ],
        result: undefined,
      };
    });
    await this.audit.record({
      actorId: actor.principal.userId,
      action: 'CASE_RECOVERY_RECORDED',
      objectType: CASE_OBJECT,
      objectId: caseId,
      unitCodes: [doc.unitCode],
      reason,
      ...actor.meta,
      details: { recoveredFen: fen },
    });
    return doc;
  }
}
