import { Module } from '@nestjs/common';
import { LinkingModule } from '../linking/linking.module';
import { ReportsModule } from '../reports/reports.module';
import { ReportStatusService } from './report-status.service';
import { TrackingResolver } from './tracking.resolver';

/**
 * `reportStatus`, the public timeline of a report: what reports stored (RECEIVED) and what linking made of it
 * (LINKED). Its own folder because it reads both, and reports may not import linking (linking reads reports).
 */
@Module({ imports: [ReportsModule, LinkingModule], providers: [ReportStatusService, TrackingResolver] })
export class TrackingModule {}
