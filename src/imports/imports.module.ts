import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module';
import { ImportService } from './import.service';

/** Bulk import of partner files (`siqian import`). */
@Module({ imports: [ReportsModule], providers: [ImportService], exports: [ImportService] })
export class ImportsModule {}
