import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentUser, ReqMeta, Roles } from '../auth/decorators';
import { RequestMeta, StaffPrincipal } from '../auth/principal';
import { Role } from '../auth/roles';
import { scopeFor } from '../auth/scope';
import { IdArgs } from '../common/graphql/id.args';
import { connectionCost } from '../common/graphql/cost';
import { Identifier } from '../linking/models/linking.models';
import { CaseAccessService } from './case-access.service';
import { CaseLifecycleService } from './case-lifecycle.service';
import { CaseQueriesService, toTask } from './case-queries.service';
import { CaseWorkService } from './case-work.service';
import { CasesService } from './cases.service';
import {
  AddCaseEvidenceArgs,
  AddCaseNoteArgs,
  AddCaseTaskArgs,
  AddReportsArgs,
  AssignCaseArgs,
  CasesArgs,
  CompleteCaseTaskArgs,
  ConfirmIdentifierArgs,
  FraudTypeArgs,
  MergeCasesArgs,
  OpenCaseInput,
  RecordRecoveryArgs,
  SetCasePriorityArgs,
  SetCaseTemplateArgs,
  TransitionCaseArgs,
  WorkloadArgs,
} from './dto/case.inputs';
import {
  Case,
  CaseConnection,
  CaseEvidence,
  CaseNote,
  CaseTask,
  CaseTemplate,
  WorkloadRow,
} from './models/case.models';
import { Clock } from '../common/clock/clock';

const WORK = [Role.INVESTIGATOR, Role.SUPERVISOR];

/** Cases (staff): transport only. */
@Resolver(() => Case)
export class CasesResolver {
  constructor(
    private readonly opening: CasesService,
    private readonly lifecycle: CaseLifecycleService,
    private readonly work: CaseWorkService,
    private readonly queries: CaseQueriesService,
    private readonly access: CaseAccessService,
    private readonly clock: Clock,
  ) {}

  @Roles(...WORK)
  @Query(() => Case, { description: 'A case of your units (NOT_FOUND / FORBIDDEN otherwise).' })
  case(@Args() { id }: IdArgs, @CurrentUser() me: StaffPrincipal): Promise<Case> {
    return this.queries.get(scopeFor(me), id);
  }

  @Roles(...WORK)
  @Query(() => CaseConnection, {
    description:
      'Cases of your units (ADMIN: all), newest first; with `overdue: true`, most overdue first. Read through the list index (docs/cases.md).',
    complexity: connectionCost(50, false),
  })
  cases(@Args() args: CasesArgs, @CurrentUser() me: StaffPrincipal): Promise<CaseConnection> {
    return this.queries.list(scopeFor(me), args.filter ?? {}, args.first, args.after);
  }

  @Roles(...WORK)
  @Query(() => Case, {
    nullable: true,
    description: "Your units' next open unassigned case (highest priority, then oldest); take it with assignCase.",
  })
  nextUnassignedCase(@Args() args: WorkloadArgs, @CurrentUser() me: StaffPrincipal): Promise<Case | null> {
    return this.queries.nextUnassigned(scopeFor(me), args.unitCode ?? undefined);
  }

  @Roles(Role.SUPERVISOR)
  @Query(() => [WorkloadRow], { description: 'Open and overdue cases per investigator (and unassigned) and unit.' })
  workload(@Args() args: WorkloadArgs, @CurrentUser() me: StaffPrincipal): Promise<WorkloadRow[]> {
    return this.queries.workload(scopeFor(me), args.unitCode ?? undefined);
  }

  @Roles(...WORK)
  @Query(() => CaseTemplate, { description: 'The tasks a new case of this fraud type starts with.' })
  async caseTemplate(@Args() { fraudType }: FraudTypeArgs): Promise<CaseTemplate> {
    return toTemplate(await this.work.template(fraudType));
  }

  @Roles(...WORK)
  @Mutation(() => Case, { description: 'Opens a case with reports of your units (a report is in one case at most).' })
  async openCase(
    @Args('input') input: OpenCaseInput,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<Case> {
    return this.queries.toModel(await this.opening.open({ principal: me, meta }, input));
  }

  @Roles(...WORK)
  @Mutation(() => Case)
  async addReportsToCase(
    @Args() args: AddReportsArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<Case> {
    return this.queries.toModel(await this.opening.addReports({ principal: me, meta }, args.caseId, args.reportIds));
  }

  @Roles(...WORK)
  @Mutation(() => Case, { description: 'Merges cases into the target (they become read-only), with a reason.' })
  async mergeCases(
    @Args() args: MergeCasesArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<Case> {
    return this.queries.toModel(
      await this.opening.merge({ principal: me, meta }, args.targetId, args.sourceIds, args.reason),
    );
  }

  @Roles(...WORK)
  @Mutation(() => Case, {
    description: 'Moves the case through its lifecycle; an illegal move is CONFLICT naming the allowed ones.',
  })
  async transitionCase(
    @Args() args: TransitionCaseArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<Case> {
    return this.queries.toModel(
      await this.lifecycle.transition({ principal: me, meta }, args.caseId, args.to, args.reason),
    );
  }

  @Roles(...WORK)
  @Mutation(() => Case, {
    description:
      'Sets the unit and investigator: an investigator takes or returns a case; assigning others or moving units is a SUPERVISOR’s. assigneeId null: unassigned.',
  })
  async assignCase(
    @Args() args: AssignCaseArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<Case> {
    return this.queries.toModel(
      await this.lifecycle.assign({ principal: me, meta }, args.caseId, args.assigneeId, args.unitCode),
    );
  }

  @Roles(Role.SUPERVISOR)
  @Mutation(() => Case, { description: 'Overrides the computed priority with a reason (null: computed again).' })
  async setCasePriority(
    @Args() args: SetCasePriorityArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<Case> {
    return this.queries.toModel(
      await this.lifecycle.setPriority({ principal: me, meta }, args.caseId, args.priority, args.reason),
    );
  }

  @Roles(...WORK)
  @Mutation(() => Case, { description: 'Records the total recovered for the victims so far.' })
  async recordCaseRecovery(
    @Args() args: RecordRecoveryArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<Case> {
    return this.queries.toModel(
      await this.lifecycle.recordRecovery({ principal: me, meta }, args.caseId, args.amount, args.reason),
    );
  }

  @Roles(...WORK)
  @Mutation(() => CaseTask)
  async addCaseTask(
    @Args() args: AddCaseTaskArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<CaseTask> {
    const t = await this.work.addTask({ principal: me, meta }, args.caseId, args.input);
    return toTask(args.caseId, t, this.clock.now());
  }

  @Roles(...WORK)
  @Mutation(() => CaseTask)
  async completeCaseTask(
    @Args() args: CompleteCaseTaskArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<CaseTask> {
    const { task, caseId } = await this.work.completeTask({ principal: me, meta }, args.taskId, args.outcome);
    return toTask(caseId, task, this.clock.now());
  }

  @Roles(...WORK)
  @Mutation(() => CaseNote)
  async addCaseNote(
    @Args() args: AddCaseNoteArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<CaseNote> {
    return { ...(await this.work.addNote({ principal: me, meta }, args.caseId, args.text)), caseId: args.caseId };
  }

  @Roles(...WORK)
  @Mutation(() => CaseEvidence, { description: 'Records an evidence reference (hash, type, where it is kept).' })
  async addCaseEvidence(
    @Args() args: AddCaseEvidenceArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<CaseEvidence> {
    const e = await this.work.addEvidence({ principal: me, meta }, args.caseId, args.input);
    return { ...e, description: e.description ?? null };
  }

  @Roles(...WORK)
  @Mutation(() => Identifier, {
    description:
      'Confirms an identifier carried by a report of the case as fraudulent: its public lookup answers CONFIRMED, its reporters are told.',
  })
  confirmIdentifier(
    @Args() args: ConfirmIdentifierArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<Identifier> {
    return this.access.confirmIdentifier({ principal: me, meta }, args);
  }

  @Roles(Role.SUPERVISOR)
  @Mutation(() => CaseTemplate, { description: 'Replaces the tasks new cases of a fraud type start with.' })
  async setCaseTemplate(
    @Args() args: SetCaseTemplateArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<CaseTemplate> {
    return toTemplate(await this.work.setTemplate({ principal: me, meta }, args.fraudType, args.tasks));
  }

  @Roles(Role.SUPERVISOR)
  @Mutation(() => CaseTemplate, { description: 'Goes back to the built-in template of a fraud type.' })
  async resetCaseTemplate(
    @Args() { fraudType }: FraudTypeArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<CaseTemplate> {
    return toTemplate(await this.work.resetTemplate({ principal: me, meta }, fraudType));
  }
}

function toTemplate(t: Awaited<ReturnType<CaseWorkService['template']>>): CaseTemplate {
  return {
    fraudType: t.fraudType,
    tasks: t.tasks.map((x) => ({ ...x })),
    customised: t.stored !== undefined,
    updatedBy: t.stored?.updatedBy ?? null,
    updatedAt: t.stored?.updatedAt ?? null,
  };
}
