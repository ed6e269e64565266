import { Module } from '@nestjs/common';
import { ReferenceModule } from '../reference/reference.module';
import { ReportsModule } from '../reports/reports.module';
import { ImportRecovery } from './import-recovery';
import { ImportService } from './import.service';

/** Bulk import of partner files (`siqian import`). */
@Module({
  imports: [ReportsModule, ReferenceModule],
  providers: [ImportService, ImportRecovery],
  exports: [ImportService],
})
export class ImportsModule {}
