import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MoneyScalar } from '../../common/graphql/money.scalar';
import { PageArgsOf } from '../../common/graphql/pagination';
import { IsIdText, IsLineText, IsReasonText, IsReportText } from '../../common/graphql/text.rules';
import { FraudType } from '../../reference/enums';
import { IdentifierKind } from '../../reports/enums';
import { CasePriority, CaseStatus } from '../models/case.models';

const MAX_ID = 100;
const UNIT_CODE = /^[A-Z]{2}\d{2}$/;
/** Reports one call may add (a case holds at most MAX_CASE_REPORTS). */
export const MAX_REPORTS_PER_CALL = 500;
const REASON = { description: 'Why (kept on the timeline and in the audit log).' };

@InputType()
export class OpenCaseInput {
  @Field(() => [ID], { description: `The reports it starts with (1..${MAX_REPORTS_PER_CALL}).` })
  @ArrayNotEmpty({ message: 'reportIds must name at least one report' })
  @ArrayMaxSize(MAX_REPORTS_PER_CALL)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(MAX_ID, { each: true })
  reportIds: string[];

  @Field()
  @IsLineText(200)
  title: string;

  @Field({ nullable: true, description: "The unit that works it (DG01..); default: the first report's region." })
  @IsOptional()
  @Matches(UNIT_CODE, { message: 'unitCode must look like DG01' })
  unitCode?: string;
}

@ArgsType()
export class CaseIdArgs {
  @Field(() => ID)
  @IsIdText(MAX_ID)
  caseId: string;
}

@ArgsType()
export class AddReportsArgs extends CaseIdArgs {
  @Field(() => [ID])
  @ArrayNotEmpty({ message: 'reportIds must name at least one report' })
  @ArrayMaxSize(MAX_REPORTS_PER_CALL)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(MAX_ID, { each: true })
  reportIds: string[];
}

@ArgsType()
export class MergeCasesArgs {
  @Field(() => ID, { description: 'The case that remains.' })
  @IsIdText(MAX_ID)
  targetId: string;

  @Field(() => [ID], { description: 'The cases merged into it (they become read-only).' })
  @ArrayNotEmpty({ message: 'sourceIds must name at least one case' })
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(MAX_ID, { each: true })
  sourceIds: string[];

  @Field(REASON)
  @IsReasonText(500)
  reason: string;
}

@ArgsType()
export class TransitionCaseArgs extends CaseIdArgs {
  @Field(() => CaseStatus)
  @IsEnum(CaseStatus)
  to: CaseStatus;

  @Field({ nullable: true, description: 'Required to reopen a closed case and to close one.' })
  @IsOptional()
  @IsReasonText(500)
  reason?: string;
}

@ArgsType()
export class AssignCaseArgs extends CaseIdArgs {
  @Field(() => ID, { nullable: true, description: 'An enabled investigator of the case’s unit; null: unassign.' })
  @IsOptional()
  @IsIdText(MAX_ID)
  assigneeId?: string;

  @Field({ nullable: true, description: 'Move the case to another unit (a SUPERVISOR of both, or ADMIN).' })
  @IsOptional()
  @Matches(UNIT_CODE, { message: 'unitCode must look like DG01' })
  unitCode?: string;
}

@InputType()
export class CaseTaskInput {
  @Field()
  @IsLineText(200)
  title: string;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  dueAt?: Date;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsIdText(MAX_ID)
  assigneeId?: string;

  @Field({ nullable: true, defaultValue: false, description: 'An open mandatory task blocks closing the case.' })
  @IsOptional()
  @IsBoolean()
  mandatory?: boolean;
}

@ArgsType()
export class AddCaseTaskArgs extends CaseIdArgs {
  @Field(() => CaseTaskInput)
  @ValidateNested()
  @Type(() => CaseTaskInput)
  input: CaseTaskInput;
}

@ArgsType()
export class CompleteCaseTaskArgs {
  @Field(() => ID)
  @IsIdText(MAX_ID + 20)
  taskId: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsReportText(2000, true)
  outcome?: string;
}

@ArgsType()
export class AddCaseNoteArgs extends CaseIdArgs {
  @Field()
  @IsReportText(5000, true)
  text: string;
}

@InputType()
export class CaseEvidenceInput {
  @Field({ description: 'Hex SHA-256 of the item (64 characters).' })
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'sha256 must be 64 hexadecimal characters' })
  sha256: string;

  @Field({ description: 'e.g. SCREENSHOT, BANK_STATEMENT, CALL_RECORDING, CHAT_EXPORT, DEVICE_IMAGE.' })
  @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'type must be UPPER_SNAKE (e.g. SCREENSHOT)' })
  type: string;

  @Field({ description: 'Where the item is kept (an evidence-room reference, a storage URI).' })
  @IsLineText(500)
  location: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsLineText(500)
  description?: string;
}

@ArgsType()
export class AddCaseEvidenceArgs extends CaseIdArgs {
  @Field(() => CaseEvidenceInput)
  @ValidateNested()
  @Type(() => CaseEvidenceInput)
  input: CaseEvidenceInput;
}

@ArgsType()
export class SetCasePriorityArgs extends CaseIdArgs {
  @Field(() => CasePriority, { nullable: true, description: 'null: back to the computed priority.' })
  @IsOptional()
  @IsEnum(CasePriority)
  priority?: CasePriority;

  @Field(REASON)
  @IsReasonText(500)
  reason: string;
}

@ArgsType()
export class RecordRecoveryArgs extends CaseIdArgs {
  @Field(() => MoneyScalar, { description: 'The total recovered so far (replaces the previous figure).' })
  @IsInt()
  @Min(0)
  amount: number;

  @Field(REASON)
  @IsReasonText(500)
  reason: string;
}

@ArgsType()
export class ConfirmIdentifierArgs extends CaseIdArgs {
  @Field(() => IdentifierKind)
  @IsEnum(IdentifierKind)
  kind: IdentifierKind;

  @Field()
  @IsLineText(2048)
  value: string;

  @Field(REASON)
  @IsReasonText(500)
  reason: string;
}

@InputType()
export class CaseFilter {
  @Field(() => CaseStatus, { nullable: true })
  @IsOptional()
  @IsEnum(CaseStatus)
  status?: CaseStatus;

  @Field(() => CasePriority, { nullable: true })
  @IsOptional()
  @IsEnum(CasePriority)
  priority?: CasePriority;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsIdText(MAX_ID)
  assigneeId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(UNIT_CODE, { message: 'unitCode must look like DG01' })
  unitCode?: string;

  @Field({ nullable: true, description: 'Cases with a report from this region.' })
  @IsOptional()
  @Matches(UNIT_CODE, { message: 'regionCode must look like DG01' })
  regionCode?: string;

  @Field(() => FraudType, { nullable: true })
  @IsOptional()
  @IsEnum(FraudType)
  fraudType?: FraudType;

  @Field({
    nullable: true,
    description: 'true: open cases past a deadline now (most overdue first); false: the others.',
  })
  @IsOptional()
  @IsBoolean()
  overdue?: boolean;
}

@ArgsType()
export class CasesArgs extends PageArgsOf(50, 200) {
  @Field(() => CaseFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CaseFilter)
  filter?: CaseFilter;
}

@ArgsType()
export class WorkloadArgs {
  @Field({ nullable: true })
  @IsOptional()
  @Matches(UNIT_CODE, { message: 'unitCode must look like DG01' })
  unitCode?: string;
}

@ArgsType()
export class TimelineArgs extends PageArgsOf(50, 500) {}

@InputType()
export class CaseTemplateTaskInput {
  @Field()
  @IsLineText(200)
  title: string;

  @Field({ nullable: true, defaultValue: false })
  @IsOptional()
  @IsBoolean()
  mandatory?: boolean;

  @Field(() => Int, { description: 'Due this many hours after the case opens (1..8760).' })
  @IsInt()
  @Min(1)
  @Max(8760)
  dueInHours: number;
}

@ArgsType()
export class SetCaseTemplateArgs {
  @Field(() => FraudType)
  @IsEnum(FraudType)
  fraudType: FraudType;

  @Field(() => [CaseTemplateTaskInput], { description: 'The complete list (0..30); [] means no tasks.' })
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => CaseTemplateTaskInput)
  tasks: CaseTemplateTaskInput[];
}

@ArgsType()
export class FraudTypeArgs {
  @Field(() => FraudType)
  @IsEnum(FraudType)
  fraudType: FraudType;
}
