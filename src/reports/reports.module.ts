import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import {
  IdentifierReportClaimDoc,
  IdentifierReportClaimSchema,
  IdentifierReporterClaimDoc,
  IdentifierReporterClaimSchema,
  IdentifierStatsDoc,
  IdentifierStatsSchema,
} from './identifier-stats.schema';
import { IdentifierStatsRepository } from './identifier-stats.repository';
import { ImportCounter } from './import-counter.service';
import { ImportRunDoc, ImportRunSchema } from './import-run.schema';
import { ImportRunsRepository } from './import-runs.repository';
import { LinkingModule } from '../linking/linking.module';
import { LookupService } from './lookup.service';
import {
  ClientRequestDoc,
  ClientRequestSchema,
  ReportDoc,
  ReportHandOffDoc,
  ReportHandOffSchema,
  ReportSchema,
  TrackingCodeDoc,
  TrackingCodeSchema,
} from './report.schema';
import { ReportIndexer } from './report-indexer.service';
import { ReportStatusService } from './report-status.service';
import { ImportedReportsService } from './imported-reports.service';
import { ReportsRepository } from './reports.repository';
import { ReportsResolver } from './reports.resolver';
import { ReportsRedisLifecycle, reportsRedisProvider } from './reports-redis';
import { SubmissionService } from './submission.service';

/** Public reporting, tracking and lookup; the import path's writer and the indexer are exported. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ReportDoc.name, schema: ReportSchema },
      { name: TrackingCodeDoc.name, schema: TrackingCodeSchema },
      { name: ClientRequestDoc.name, schema: ClientRequestSchema },
      { name: ReportHandOffDoc.name, schema: ReportHandOffSchema },
      { name: IdentifierStatsDoc.name, schema: IdentifierStatsSchema },
      { name: IdentifierReportClaimDoc.name, schema: IdentifierReportClaimSchema },
      { name: IdentifierReporterClaimDoc.name, schema: IdentifierReporterClaimSchema },
      { name: ImportRunDoc.name, schema: ImportRunSchema },
    ]),
    LinkingModule,
  ],
  providers: [
    reportsRedisProvider,
    ReportsRedisLifecycle,
    ReportsRepository,
    IdentifierStatsRepository,
    SubmissionService,
    ReportStatusService,
    LookupService,
    ReportIndexer,
    ImportRunsRepository,
    ImportCounter,
    ImportedReportsService,
    ReportsResolver,
  ],
  exports: [ReportIndexer, ImportedReportsService],
})
export class ReportsModule {}
