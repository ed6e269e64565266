import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LinkingModule } from '../linking/linking.module';
import { ReferenceModule } from '../reference/reference.module';
import { ReportsModule } from '../reports/reports.module';
import { StatsModule } from '../stats/stats.module';
import { ImportCounter } from './import-counter.service';
import { ImportLinker } from './import-linker.service';
import { ImportRecovery } from './import-recovery';
import { ImportRunDoc, ImportRunSchema } from './import-run.schema';
import { ImportRunsRepository } from './import-runs.repository';
import { ImportService } from './import.service';
import { ImportedReportsService } from './imported-reports.service';

/**
 * Bulk import of partner files (`siqian import`): parsers, the runner, its runs (`import_runs`, owned here),
 * counting into the lookup statistics and recovery of dead runs. It writes reports through the reports
 * feature's repositories and hands the imported reports to linking at the end (imports -> reports, linking).
 */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: ImportRunDoc.name, schema: ImportRunSchema }]),
    ReportsModule,
    LinkingModule,
    ReferenceModule,
    StatsModule,
  ],
  providers: [ImportRunsRepository, ImportCounter, ImportedReportsService, ImportLinker, ImportService, ImportRecovery],
  exports: [ImportService],
})
export class ImportsModule {}
