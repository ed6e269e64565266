import { Module } from '@nestjs/common';
import { CasesModule } from '../cases.module';
import { CaseAutoOpenProcessor } from './case-auto-open.processor';

/** The worker role of cases: `case.autoOpen` (cases queue). */
@Module({ imports: [CasesModule], providers: [CaseAutoOpenProcessor] })
export class CasesJobsModule {}
