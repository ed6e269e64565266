import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ReferenceModule } from '../reference/reference.module';
import { ReportsModule } from '../reports/reports.module';
import { SessionsModule } from '../sessions/sessions.module';
import { StatsCsvController } from './stats-csv.controller';
import { StatsQueryService } from './stats-query.service';
import { StatsRebuildService } from './stats-rebuild.service';
import { StatsRollups } from './stats-rollups.service';
import { StatsResolver } from './stats.resolver';
import { StatsRepository } from './stats.repository';
import { StatsClaimDoc, StatsClaimSchema, StatsMetaDoc, StatsMetaSchema } from './stats.schema';

/**
 * Statistics: daily and monthly rollups of the reports (`stats_rollups_<YYYY_MM>`, `stats_claims`,
 * `stats_meta`, owned here), fed by the `stats.rollup` job (./jobs) and by imports (StatsRollups.count), answered by `stats`,
 * `GET /stats.csv` and `siqian stats`. Reads reports through reports' StatsReportsRepository only.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: StatsClaimDoc.name, schema: StatsClaimSchema },
      { name: StatsMetaDoc.name, schema: StatsMetaSchema },
    ]),
    ReportsModule,
    ReferenceModule,
    SessionsModule,
  ],
  controllers: [StatsCsvController],
  providers: [StatsRepository, StatsRollups, StatsQueryService, StatsRebuildService, StatsResolver],
  exports: [StatsRollups, StatsQueryService, StatsRebuildService],
})
export class StatsModule {}
