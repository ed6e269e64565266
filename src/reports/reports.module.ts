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
import { LinkedReportsRepository } from './linked-reports.repository';
import { ReportLists } from './report-lists.service';
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
import { ReportsRepository } from './reports.repository';
import { ReportsResolver } from './reports.resolver';
import { ReportsRedisLifecycle, reportsRedisProvider } from './reports-redis';
import { StatsReportsRepository } from './stats-reports.repository';
import { SubmissionService } from './submission.service';

/**
 * Public reporting, tracking and lookup. It owns the `reports` and `identifier_stats` collections; other
 * features use them through what is exported here: the indexer, the repositories the import writes and
 * counts through (src/imports), and the read-only face linking reads reports through.
 *
 * Reports never imports linking (linking -> reports, imports -> reports and linking): a public report reaches
 * linking through the queue (`report.link`, enqueued by ReportIndexer), an imported one through src/imports,
 * and linking reads reports and their enums (./enums) from here: no forwardRef between the two modules.
 */
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
    ]),
  ],
  providers: [
    reportsRedisProvider,
    ReportsRedisLifecycle,
    ReportsRepository,
    IdentifierStatsRepository,
    SubmissionService,
    LookupService,
    ReportIndexer,
    LinkedReportsRepository,
    StatsReportsRepository,
    ReportLists,
    ReportsResolver,
  ],
  exports: [
    ReportIndexer,
    ReportsRepository,
    IdentifierStatsRepository,
    LinkedReportsRepository,
    StatsReportsRepository,
    ReportLists,
  ],
})
export class ReportsModule {}
