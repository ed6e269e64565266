import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports.module';
import { ReportIndexProcessor } from './report-index.processor';

/** The worker role of the reports feature. */
@Module({ imports: [ReportsModule], providers: [ReportIndexProcessor] })
export class ReportsJobsModule {}
