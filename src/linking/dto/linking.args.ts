import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageArgsOf } from '../../common/graphql/pagination';
import { IsIdText, IsLineText, IsReasonText } from '../../common/graphql/text.rules';
import { MoneyScalar } from '../../common/graphql/money.scalar';
import { FraudType } from '../../reference/enums';
import { IdentifierInput } from '../../reports/dto/submit-report.input';
import { IdentifierKind } from '../../reports/enums';
import { ClusterSort, LinkPolicyValue } from '../models/linking.models';

const MAX_ID = 200;

@InputType({ description: 'Exactly one of reportId, clusterId, identifier.' })
export class GraphRootInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsIdText(MAX_ID)
  reportId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsIdText(MAX_ID)
  clusterId?: string;

  @Field(() => IdentifierInput, { nullable: true, description: 'kind may be omitted: it is detected.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => IdentifierInput)
  identifier?: IdentifierInput;
}

@ArgsType()
export class CaseGraphArgs {
  @Field(() => GraphRootInput)
  @ValidateNested()
  @Type(() => GraphRootInput)
  root: GraphRootInput;

  @Field(() => Int, { defaultValue: 2, description: 'Edges from the root, 1..4.' })
  @IsInt()
  @Min(1)
  @Max(4)
  depth: number;

  @Field(() => Int, {
    defaultValue: 200,
    description: 'Most nodes returned, 1..1000 (then `truncated`, and pageInfo.endCursor continues).',
  })
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number;

  @Field({
    nullable: true,
    description:
      '`pageInfo.endCursor` of the previous page of this graph (same root and depth; `limit` may change). Valid 15 minutes.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  after?: string;
}

@InputType({ description: 'All given conditions must hold.' })
export class ReportFilter {
  @Field({ nullable: true })
  @IsOptional()
  @IsIdText(64)
  source?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Members of one cluster (read through its member pages, by primary key).',
  })
  @IsOptional()
  @IsIdText(MAX_ID)
  clusterId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsIdText(64)
  regionCode?: string;

  @Field(() => FraudType, { nullable: true })
  @IsOptional()
  @IsEnum(FraudType)
  fraudType?: FraudType;
}

/** Staff lists of the linking API: 20 a page by default, at most 100. */
@ArgsType()
export class PageArgs extends PageArgsOf(20, 100) {}

@ArgsType()
export class ReportsArgs extends PageArgs {
  @Field(() => ReportFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReportFilter)
  filter?: ReportFilter;
}

@InputType({ description: 'All given conditions must hold.' })
export class ClusterFilter {
  @Field({ nullable: true, description: 'Clusters with at least one report of this region.' })
  @IsOptional()
  @IsIdText(64)
  regionCode?: string;

  @Field(() => FraudType, { nullable: true, description: 'Clusters with at least one report of this type.' })
  @IsOptional()
  @IsEnum(FraudType)
  fraudType?: FraudType;

  @Field(() => Int, {
    nullable: true,
    defaultValue: 2,
    description: 'Fewest reports (default 2: single reports are not listed).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  minSize?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  maxSize?: number;

  @Field(() => MoneyScalar, { nullable: true, description: 'Smallest total loss.' })
  @IsOptional()
  @IsInt()
  minLoss?: number;

  @Field({ nullable: true, description: 'Latest report at or after this time (recency).' })
  @IsOptional()
  @IsDate()
  reportedSince?: Date;
}

@ArgsType()
export class ClustersArgs extends PageArgs {
  @Field(() => ClusterFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClusterFilter)
  filter?: ClusterFilter;

  @Field(() => ClusterSort, { defaultValue: ClusterSort.SIZE })
  @IsEnum(ClusterSort)
  sort: ClusterSort;
}

const REASON = { description: 'Why (kept in the judgement log).' };

@ArgsType()
export class LinkPolicyPreviewArgs {
  @Field(() => IdentifierKind)
  @IsEnum(IdentifierKind)
  kind: IdentifierKind;

  @Field()
  @IsLineText(2048)
  value: string;

  @Field(() => LinkPolicyValue)
  @IsEnum(LinkPolicyValue)
  policy: LinkPolicyValue;
}

@ArgsType()
export class SetIdentifierLinkPolicyArgs extends LinkPolicyPreviewArgs {
  @Field(REASON)
  @IsReasonText(500)
  reason: string;
}

@ArgsType()
export class ExplainLinkArgs {
  @Field(() => ID)
  @IsIdText(MAX_ID)
  fromReportId: string;

  @Field(() => ID)
  @IsIdText(MAX_ID)
  toReportId: string;
}

@ArgsType()
export class LinkReportsArgs extends ExplainLinkArgs {
  @Field(REASON)
  @IsReasonText(500)
  reason: string;
}

@ArgsType()
export class DetachPreviewArgs {
  @Field(() => ID)
  @IsIdText(MAX_ID)
  reportId: string;

  @Field(() => IdentifierKind)
  @IsEnum(IdentifierKind)
  kind: IdentifierKind;

  @Field()
  @IsLineText(2048)
  value: string;
}

@ArgsType()
export class DetachIdentifierArgs extends DetachPreviewArgs {
  @Field(REASON)
  @IsReasonText(500)
  reason: string;
}

@ArgsType()
export class ClusterUpdatedArgs {
  @Field(() => ID, { nullable: true, description: 'Only events of this cluster (also when merged away or split).' })
  @IsOptional()
  @IsIdText(MAX_ID)
  clusterId?: string;

  @Field({
    nullable: true,
    description: 'Only events touching reports of this region (one of your units, or EXTERNAL: shared intelligence).',
  })
  @IsOptional()
  @IsIdText(64)
  regionCode?: string;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'Also CREATED events of single-report clusters (one for every new report that shares no identifier yet: many).',
  })
  @IsOptional()
  @IsBoolean()
  singleReports?: boolean;
}
