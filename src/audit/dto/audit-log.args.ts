import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { IsDate, IsOptional, Matches, ValidateNested } from 'class-validator';
import { IsIdText } from '../../common/graphql/text.rules';
import { PageArgsOf } from '../../common/graphql/pagination';
import { Type } from 'class-transformer';

@InputType({ description: 'All given conditions must hold.' })
export class AuditLogFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsIdText(100)
  actorId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{0,63}$/, { message: 'action must be UPPER_SNAKE' })
  action?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsIdText(64)
  objectType?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsIdText(200)
  objectId?: string;

  @Field({ nullable: true, description: 'From this time (inclusive).' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field({ nullable: true, description: 'Until this time (exclusive).' })
  @IsOptional()
  @IsDate()
  to?: Date;
}

@ArgsType()
export class AuditLogArgs extends PageArgsOf(50, 200) {
  @Field(() => AuditLogFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditLogFilter)
  filter?: AuditLogFilter;
}
