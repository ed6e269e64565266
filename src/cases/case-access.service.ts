import { Injectable } from '@nestjs/common';
import { Scope } from '../auth/scope';
import { IdentifierQueryService } from '../linking/identifier-query.service';
import { LinkLoaderFactory } from '../linking/link-loaders';
import { isWarninglistedKey } from '../linking/linking.options';
import { Identifier, IdentifierStatusValue, LinkPolicyValue } from '../linking/models/linking.models';
import { IdentifierKind as IdentifierKindEnum } from '../reports/enums';
import { ReporterNoticesService } from '../notices/reporter-notices.service';
import { CaseAccess, CaseRef, SystemTaskInput } from './case-access';
import type { CaseDoc } from './case.schema';
import { isClosed } from './case-rules';
import { CaseWorkService } from './case-work.service';
import { CasesRepository } from './cases.repository';
import { Actor, CasesService } from './cases.service';

const refOf = (c: CaseDoc): CaseRef => ({
  id: c._id,
  number: c._id,
  title: c.title,
  unitCode: c.unitCode,
  status: c.status,
  assigneeId: c.assigneeId,
  closed: isClosed(c.status),
});

/**
 * {@link CaseAccess} for the features that act on a case (payment stops, appeals), and `confirmIdentifier`,
 * which ends in the linking feature's Identifier and the notices feature's reporter notices.
 */
@Injectable()
export class CaseAccessService extends CaseAccess {
  constructor(
    private readonly cases: CasesService,
    private readonly repo: CasesRepository,
    private readonly work: CaseWorkService,
    private readonly identifiers: IdentifierQueryService,
    private readonly links: LinkLoaderFactory,
    private readonly notices: ReporterNoticesService,
  ) {
    super();
  }

  async requireCase(scope: Scope, caseId: string, field: string): Promise<CaseRef> {
    return refOf(await this.cases.require(scope, caseId, field));
  }

  async findCase(caseId: string): Promise<CaseRef | undefined> {
    const c = await this.repo.get(caseId);
    return c ? refOf(c) : undefined;
  }

  addSystemTask(caseId: string, task: SystemTaskInput, actorId?: string): Promise<string> {
    return this.work.addSystemTask(caseId, task, actorId);
  }

  completeSystemTask(caseId: string, key: string, outcome: string, actorId?: string): Promise<void> {
    return this.work.completeSystemTask(caseId, key, outcome, actorId);
  }

  recordEvent(
    caseId: string,
    e: { type: string; actorId?: string; data?: Record<string, unknown>; firstAction?: boolean },
  ): Promise<void> {
    return this.work.recordEvent(caseId, e);
  }

  async caseOfReport(reportId: string): Promise<{ caseAt: Date; closedAt?: Date } | undefined> {
    const claim = await this.repo.claimOfReport(reportId);
    if (!claim) return undefined;
    let c = await this.repo.get(claim.caseId);
    for (let hops = 0; c?.mergedInto && hops < 20; hops++) c = await this.repo.get(c.mergedInto);
    if (!c) return undefined;
    return isClosed(c.status) && c.closedAt ? { caseAt: claim.at, closedAt: c.closedAt } : { caseAt: claim.at };
  }

  noticeReporters(key: string, event: 'CONFIRMED' | 'FROZEN', ref: string): Promise<number> {
    return this.notices.forIdentifier(key, event, ref);
  }

  async confirmIdentifier(
    actor: Actor,
    args: { caseId: string; kind: IdentifierKindEnum; value: string; reason: string },
  ): Promise<Identifier> {
    const { key, kind, value } = await this.work.confirmIdentifier(
      actor,
      args.caseId,
      args.kind,
      args.value,
      args.reason,
      (k, ref) => this.noticeReporters(k, 'CONFIRMED', ref),
    );
    const doc = await this.links.for(undefined).identifier.load(key);
    if (doc) return this.identifiers.toIdentifier(doc);
    // carried by a report of the case that linking has not reached yet
    return {
      key,
      kind: kind as IdentifierKindEnum,
      value,
      degree: 0,
      status: isWarninglistedKey(key) ? IdentifierStatusValue.WARNINGLISTED : IdentifierStatusValue.ACTIVE,
      policy: LinkPolicyValue.DEFAULT,
      linkable: true,
    };
  }
}
