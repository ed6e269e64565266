import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../../common/graphql/pagination';
import { MoneyScalar } from '../../common/graphql/money.scalar';
import { FraudType } from '../../reference/enums';

export enum CaseStatus {
  NEW = 'NEW',
  TRIAGED = 'TRIAGED',
  INVESTIGATING = 'INVESTIGATING',
  SUSPECT_IDENTIFIED = 'SUSPECT_IDENTIFIED',
  CLOSED_SOLVED = 'CLOSED_SOLVED',
  CLOSED_UNSOLVED = 'CLOSED_UNSOLVED',
  TRANSFERRED = 'TRANSFERRED',
}
registerEnumType(CaseStatus, {
  name: 'CaseStatus',
  description:
    'NEW → TRIAGED → INVESTIGATING → SUSPECT_IDENTIFIED → CLOSED_SOLVED; CLOSED_UNSOLVED or TRANSFERRED from any open state; a closed case reopens to INVESTIGATING with a reason.',
});

export enum CasePriority {
  CRITICAL = 'CRITICAL',
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
}
registerEnumType(CasePriority, {
  name: 'CasePriority',
  description:
    'Computed from loss, an elderly victim (60+), cluster size and growth (docs/cases.md); overridable with a reason.',
});

export enum CaseTaskStatus {
  OPEN = 'OPEN',
  DONE = 'DONE',
}
registerEnumType(CaseTaskStatus, { name: 'CaseTaskStatus' });

export enum SlaClockName {
  TRIAGE = 'TRIAGE',
  FIRST_ACTION = 'FIRST_ACTION',
  CLOSE = 'CLOSE',
}
registerEnumType(SlaClockName, { name: 'SlaClockName', description: 'The three SLA clocks, counted from opening.' });

@ObjectType()
export class CaseTask {
  @Field(() => ID, { description: '`<caseId>~T<n>`' })
  id: string;

  @Field(() => ID)
  caseId: string;

  @Field()
  title: string;

  @Field({ description: 'An open mandatory task blocks closing the case.' })
  mandatory: boolean;

  @Field(() => CaseTaskStatus)
  status: CaseTaskStatus;

  @Field(() => Date, { nullable: true })
  dueAt: Date | null;

  @Field({ description: 'Open and past its due date.' })
  overdue: boolean;

  @Field(() => ID, { nullable: true })
  assigneeId: string | null;

  @Field({ description: 'TEMPLATE, MANUAL, or the feature that added it (PAYMENTS).' })
  origin: string;

  @Field(() => String, { nullable: true })
  outcome: string | null;

  @Field(() => Date, { nullable: true })
  doneAt: Date | null;

  @Field(() => ID, { nullable: true })
  doneBy: string | null;

  @Field()
  createdAt: Date;
}

@ObjectType()
export class CaseNote {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  caseId: string;

  @Field()
  text: string;

  @Field(() => ID)
  authorId: string;

  @Field()
  at: Date;
}

@ObjectType({ description: 'A reference to an evidence item: its hash, type and where it is kept — never the item.' })
export class CaseEvidence {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Lower-case hex SHA-256 of the item.' })
  sha256: string;

  @Field()
  type: string;

  @Field()
  location: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => ID)
  addedBy: string;

  @Field()
  at: Date;
}

@ObjectType()
export class PriorityOverride {
  @Field(() => CasePriority)
  priority: CasePriority;

  @Field()
  reason: string;

  @Field(() => ID)
  by: string;

  @Field()
  at: Date;
}

@ObjectType()
export class SlaClock {
  @Field(() => SlaClockName)
  name: SlaClockName;

  @Field()
  dueAt: Date;

  @Field(() => Date, { nullable: true })
  metAt: Date | null;

  @Field({ description: 'Past due and not met yet.' })
  overdue: boolean;

  @Field({ description: 'Met late, or overdue.' })
  breached: boolean;
}

@ObjectType({ description: 'A cluster the case touches, and how it grew since the case last changed.' })
export class CaseCluster {
  @Field(() => ID)
  clusterId: string;

  @Field(() => Int)
  reportCount: number;

  @Field(() => Int, { description: 'Reports of the cluster that are in this case.' })
  inCase: number;

  @Field(() => Int, { description: 'Reports that joined the cluster since the case was last written (0 or more).' })
  grownBy: number;
}

@ObjectType({ description: 'One entry of the case timeline (insert-only).' })
export class CaseEvent {
  @Field(() => Int)
  seq: number;

  @Field({ description: 'UPPER_SNAKE: CASE_OPENED, STATUS_CHANGED, REPORTS_ADDED, TASK_ADDED, NOTE_ADDED, …' })
  type: string;

  @Field()
  at: Date;

  @Field(() => ID, { nullable: true })
  actorId: string | null;

  @Field({ description: 'The facts of the entry as a JSON object.' })
  data: string;
}

@ObjectType()
export class CaseEventConnection extends Connection(CaseEvent, 'CaseEvent') {}

@ObjectType({
  description: 'A case: reports grouped for investigation, with its tasks, notes, SLA clocks and timeline.',
})
export class Case {
  @Field(() => ID)
  id: string;

  @Field({ description: 'The case number, AJ-<year>-<n> (the same as the id).' })
  number: string;

  @Field()
  title: string;

  @Field(() => CaseStatus)
  status: CaseStatus;

  @Field(() => [CaseStatus], { description: 'Where transitionCase may take it now.' })
  allowedTransitions: CaseStatus[];

  @Field(() => CasePriority, { description: 'The override when there is one, else the computed priority.' })
  priority: CasePriority;

  @Field(() => CasePriority)
  computedPriority: CasePriority;

  @Field(() => PriorityOverride, { nullable: true })
  priorityOverride: PriorityOverride | null;

  @Field()
  unitCode: string;

  @Field(() => [String])
  regionCodes: string[];

  @Field(() => [FraudType])
  fraudTypes: string[];

  @Field(() => ID, { nullable: true })
  assigneeId: string | null;

  @Field(() => Int)
  reportCount: number;

  @Field(() => MoneyScalar, { description: "Exact sum of its reports' stated losses." })
  totalLoss: number;

  @Field(() => MoneyScalar)
  recoveredAmount: number;

  @Field(() => [CaseTask])
  tasks: CaseTask[];

  @Field(() => [CaseNote])
  notes: CaseNote[];

  @Field(() => [CaseEvidence])
  evidence: CaseEvidence[];

  @Field(() => [SlaClock])
  sla: SlaClock[];

  @Field({ description: 'An SLA clock or an open task is past due.' })
  overdue: boolean;

  @Field(() => ID, { nullable: true, description: 'Merged into that case: read-only.' })
  mergedInto: string | null;

  @Field()
  openedAt: Date;

  @Field(() => Date, { nullable: true })
  closedAt: Date | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  /** for field resolvers */
  reportIds: string[];
  clusterSizes: Record<string, number>;
  eventCount: number;
}

@ObjectType()
export class CaseConnection extends Connection(Case, 'Case') {}

@ObjectType({ description: "One investigator's (or the unassigned) open work in a unit." })
export class WorkloadRow {
  @Field()
  unitCode: string;

  @Field(() => ID, { nullable: true, description: 'null: the unit’s unassigned cases.' })
  assigneeId: string | null;

  @Field(() => String, { nullable: true })
  assigneeName: string | null;

  @Field(() => Int)
  openCases: number;

  @Field(() => Int, { description: 'Open cases past an SLA deadline or a task due date now.' })
  overdueCases: number;
}

@ObjectType()
export class CaseTemplateTask {
  @Field()
  title: string;

  @Field()
  mandatory: boolean;

  @Field(() => Int)
  dueInHours: number;
}

@ObjectType({ description: 'The tasks a new case of a fraud type starts with.' })
export class CaseTemplate {
  @Field(() => FraudType)
  fraudType: string;

  @Field(() => [CaseTemplateTask])
  tasks: CaseTemplateTask[];

  @Field({ description: 'False while the built-in default applies.' })
  customised: boolean;

  @Field(() => ID, { nullable: true })
  updatedBy: string | null;

  @Field(() => Date, { nullable: true })
  updatedAt: Date | null;
}
