import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditModule } from '../audit/audit.module';
import { LinkingModule } from '../linking/linking.module';
import { NoticesModule } from '../notices/notices.module';
import { ReferenceModule } from '../reference/reference.module';
import { ReportsModule } from '../reports/reports.module';
import { UsersModule } from '../users/users.module';
import { CaseAccess } from './case-access';
import { CaseAccessService } from './case-access.service';
import { CaseFactsService } from './case-facts.service';
import { CaseFieldsResolver, ReportCaseResolver } from './case-fields.resolver';
import { CaseLifecycleService } from './case-lifecycle.service';
import { CaseLists } from './case-lists';
import { CaseQueriesService } from './case-queries.service';
import { CaseWorkService } from './case-work.service';
import {
  CaseEventRecord,
  CaseEventRecordSchema,
  CaseRecord,
  CaseRecordSchema,
  CaseReportRecord,
  CaseReportRecordSchema,
  CaseTemplateRecord,
  CaseTemplateRecordSchema,
} from './case.schema';
import { CasesRepository } from './cases.repository';
import { CasesResolver } from './cases.resolver';
import { CasesService } from './cases.service';

/**
 * Cases (src/cases): reports grouped for investigation, their lifecycle, tasks, notes, evidence, SLA clocks and
 * timeline. Exports CaseAccess for the features that act on a case (payment stops).
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: CaseRecord.name, schema: CaseRecordSchema },
      { name: CaseEventRecord.name, schema: CaseEventRecordSchema },
      { name: CaseReportRecord.name, schema: CaseReportRecordSchema },
      { name: CaseTemplateRecord.name, schema: CaseTemplateRecordSchema },
    ]),
    AuditModule,
    ReferenceModule,
    UsersModule,
    LinkingModule,
    ReportsModule,
    NoticesModule,
  ],
  providers: [
    CaseLists,
    CasesRepository,
    CaseFactsService,
    CasesService,
    CaseLifecycleService,
    CaseWorkService,
    CaseQueriesService,
    CaseAccessService,
    { provide: CaseAccess, useExisting: CaseAccessService },
    CasesResolver,
    CaseFieldsResolver,
    ReportCaseResolver,
  ],
  exports: [CaseAccess, CasesService, CasesRepository],
})
export class CasesModule {}
