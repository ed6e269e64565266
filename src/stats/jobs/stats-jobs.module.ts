import { Module } from '@nestjs/common';
import { ReportsModule } from '../../reports/reports.module';
import { StatsModule } from '../stats.module';
import { StatsRollupProcessor } from './stats-rollup.processor';

/** The worker role of the statistics: `stats.rollup` (events queue). */
@Module({ imports: [StatsModule, ReportsModule], providers: [StatsRollupProcessor] })
export class StatsJobsModule {}
