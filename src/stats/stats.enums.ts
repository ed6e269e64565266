import { registerEnumType } from '@nestjs/graphql';
import type { CellDim } from './rollup';

/** ../shared/API.md: the dimensions of `stats` rows; MONTH, WEEK and DAY are time buckets (Asia/Shanghai). */
export enum StatsDimension {
  FRAUD_TYPE = 'FRAUD_TYPE',
  REGION = 'REGION',
  CHANNEL = 'CHANNEL',
  PAYMENT_METHOD = 'PAYMENT_METHOD',
  AGE_BAND = 'AGE_BAND',
  MONTH = 'MONTH',
  WEEK = 'WEEK',
  DAY = 'DAY',
}
registerEnumType(StatsDimension, {
  name: 'StatsDimension',
  description: 'A grouping of `stats` rows. MONTH, WEEK (ISO, Monday first) and DAY are Asia/Shanghai time buckets.',
});

export enum StatsComparison {
  PREVIOUS_PERIOD = 'PREVIOUS_PERIOD',
  SAME_PERIOD_LAST_YEAR = 'SAME_PERIOD_LAST_YEAR',
}
registerEnumType(StatsComparison, {
  name: 'StatsComparison',
  description:
    'PREVIOUS_PERIOD: the as many days just before `from`; SAME_PERIOD_LAST_YEAR: the same dates a year earlier (29 February: the 28th).',
});

export type TimeBucket = StatsDimension.DAY | StatsDimension.WEEK | StatsDimension.MONTH;

export const TIME_BUCKETS: readonly StatsDimension[] = [StatsDimension.DAY, StatsDimension.WEEK, StatsDimension.MONTH];

/** The cell dimension of each non-time StatsDimension. */
export const CELL_DIM: Partial<Record<StatsDimension, CellDim>> = {
  [StatsDimension.REGION]: 'region',
  [StatsDimension.FRAUD_TYPE]: 'fraudType',
  [StatsDimension.CHANNEL]: 'channel',
  [StatsDimension.PAYMENT_METHOD]: 'paymentMethod',
  [StatsDimension.AGE_BAND]: 'ageBand',
};
