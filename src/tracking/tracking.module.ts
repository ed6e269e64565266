import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { LinkingModule } from '../linking/linking.module';
import { ReportsModule } from '../reports/reports.module';
import { ReportStatusService } from './report-status.service';
import { TrackingResolver } from './tracking.resolver';

/**
 * `reportStatus`, the public timeline of a report: what reports stored (RECEIVED) and what linking made of it
 * (LINKED), and what cases made of it (CASE_OPENED, CLOSED). Its own folder because it reads all three, and reports
 * may not import linking (linking reads reports).
 */
@Module({ imports: [ReportsModule, LinkingModule, CasesModule], providers: [ReportStatusService, TrackingResolver] })
export class TrackingModule {}
