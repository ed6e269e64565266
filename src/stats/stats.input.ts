import { Field, InputType } from '@nestjs/graphql';
import { Allow } from 'class-validator';
import { FraudType } from '../reference/enums';
import { ContactChannel } from '../reports/enums';
import { StatsComparison, StatsDimension } from './stats.enums';

/**
 * The input of `stats` and `GET /stats.csv`. Checked by StatsQueryService (one set of rules for GraphQL, CSV
 * and the CLI): `Allow` only keeps the fields through the global whitelisting pipe. Null means not given.
 */
@InputType()
export class StatsInput {
  @Field({ description: 'First day of the period, YYYY-MM-DD (Asia/Shanghai), inclusive.' })
  @Allow()
  from: string;

  @Field({ description: 'Last day of the period, YYYY-MM-DD (Asia/Shanghai), inclusive; at most 1,096 days.' })
  @Allow()
  to: string;

  @Field(() => [StatsDimension], {
    nullable: true,
    description:
      'Up to two groupings, at most one of them a time bucket (MONTH, WEEK, DAY). None: one row, equal to the totals.',
  })
  @Allow()
  groupBy?: StatsDimension[];

  @Field(() => StatsComparison, { nullable: true })
  @Allow()
  compareTo?: StatsComparison;

  @Field(() => [String], {
    nullable: true,
    description: 'Only these regions. Staff other than ADMIN see their units only: by default, all of them.',
  })
  @Allow()
  regionCodes?: string[];

  @Field(() => [FraudType], { nullable: true })
  @Allow()
  fraudTypes?: FraudType[];

  @Field(() => [ContactChannel], { nullable: true })
  @Allow()
  channels?: ContactChannel[];
}
