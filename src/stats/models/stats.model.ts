import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { MoneyScalar } from '../../common/graphql/money.scalar';
import { FraudType } from '../../reference/enums';
import { AgeBand, ContactChannel, PaymentMethod } from '../../reports/enums';
import { StatsComparison, StatsDimension } from '../stats.enums';

@ObjectType({ description: 'The figures of one row (or of the totals) for one period.' })
export class StatsFigures {
  @Field(() => Int)
  reports: number;

  @Field(() => Int, {
    description:
      'Distinct victims, counted as reports that are no repeat: a reporter who files again within 24 h about the ' +
      'same identifiers (`repeatOf`) counts once; the same person reporting two separate frauds counts twice. ' +
      'Exact and additive over days. Imported reports carry no reporter identity across rows: each counts.',
  })
  victims: number;

  @Field(() => MoneyScalar, { description: 'Reported losses, exact.' })
  losses: number;

  @Field(() => Int, { description: 'Reports of a contact without loss (near misses).' })
  nearMisses: number;

  @Field(() => Int, { nullable: true, description: 'Not available yet: comes with cases (always null until then).' })
  casesOpened: number | null;

  @Field(() => Int, { nullable: true, description: 'Not available yet: comes with cases (always null until then).' })
  casesSolved: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'casesSolved / casesOpened. Not available yet: comes with cases (always null until then).',
  })
  clearanceRate: number | null;

  @Field(() => MoneyScalar, {
    nullable: true,
    description: 'Recovered amounts. Not available yet: comes with cases and payment stops (always null until then).',
  })
  recovered: number | null;
}

@ObjectType({
  description: 'Figures minus the compared figures, and that change in % of them (null where they are 0).',
})
export class StatsChange {
  @Field(() => Int)
  reports: number;
  @Field(() => Float, { nullable: true })
  reportsPercent: number | null;
  @Field(() => Int)
  victims: number;
  @Field(() => Float, { nullable: true })
  victimsPercent: number | null;
  @Field(() => MoneyScalar, { description: 'Signed ("-12.50" for a fall).' })
  losses: number;
  @Field(() => Float, { nullable: true })
  lossesPercent: number | null;
  @Field(() => Int)
  nearMisses: number;
  @Field(() => Float, { nullable: true })
  nearMissesPercent: number | null;
}

@ObjectType({ description: 'One group of `stats` (the grouped dimensions are set, the others null), or the totals.' })
export class StatsRow {
  @Field({ nullable: true, description: 'The time bucket: YYYY-MM-DD (DAY), YYYY-Www (WEEK, ISO), YYYY-MM (MONTH).' })
  bucket?: string;
  @Field({ nullable: true, description: "The compared period's bucket in the same position." })
  comparedBucket?: string;
  @Field({ nullable: true })
  regionCode?: string;
  @Field(() => FraudType, { nullable: true })
  fraudType?: FraudType;
  @Field(() => ContactChannel, { nullable: true })
  channel?: ContactChannel;
  @Field(() => PaymentMethod, { nullable: true, description: 'Null also for reports that did not say.' })
  paymentMethod?: PaymentMethod;
  @Field(() => AgeBand, { nullable: true })
  ageBand?: AgeBand;

  @Field(() => StatsFigures)
  figures: StatsFigures;
  @Field(() => StatsFigures, { nullable: true, description: 'The compared period (with compareTo).' })
  compared?: StatsFigures;
  @Field(() => StatsChange, { nullable: true, description: 'figures − compared (with compareTo).' })
  change?: StatsChange;
}

@ObjectType()
export class StatsResult {
  @Field()
  from: string;
  @Field()
  to: string;
  @Field({ nullable: true })
  comparedFrom?: string;
  @Field({ nullable: true })
  comparedTo?: string;
  @Field(() => [StatsDimension])
  groupBy: StatsDimension[];
  @Field(() => StatsComparison, { nullable: true })
  compareTo?: StatsComparison;
  @Field(() => [StatsRow])
  rows: StatsRow[];
  @Field(() => StatsRow, { description: 'All rows together (every dimension null).' })
  totals: StatsRow;
}

@ObjectType({ description: "A region's report count for the public: exact from k up, a band below it." })
export class PublicRegionStats {
  @Field()
  regionCode: string;

  @Field({ description: '"0", "<k" (e.g. "<5") below k reports, else the exact count, e.g. "37".' })
  reports: string;
}

@ObjectType({ description: 'Region totals only, k-anonymous: no other dimension, no losses, no victims.' })
export class PublicStats {
  @Field()
  from: string;
  @Field()
  to: string;
  @Field(() => Int, { description: 'Counts below this are shown as a band.' })
  k: number;
  @Field(() => [PublicRegionStats], { description: 'Every region of the reference list, in its order.' })
  regions: PublicRegionStats[];
}
