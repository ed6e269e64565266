import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditModule } from '../audit/audit.module';
import { CasesModule } from '../cases/cases.module';
import { BankCallbackController } from './bank-callback.controller';
import { BankCallbacksService } from './bank-callbacks.service';
import { BankDispatchService } from './bank-dispatch.service';
import { CaseStopsLoaders, CaseStopsResolver } from './case-stops.resolver';
import {
  CaseStopsDoc,
  CaseStopsSchema,
  PaymentClaimDoc,
  PaymentClaimSchema,
  PaymentNoticeDoc,
  PaymentNoticeSchema,
  PaymentStopDoc,
  PaymentStopSchema,
  StopAppealDoc,
  StopAppealSchema,
} from './payment-stop.schema';
import { PaymentStopsService } from './payment-stops.service';
import { PaymentsRepository } from './payments.repository';
import { PaymentsResolver } from './payments.resolver';
import { StopAppealsService } from './stop-appeals.service';
import { StopDeadlinesService } from './stop-deadlines.service';
import { StopLedger } from './stop-ledger';
import { StopTimers } from './stop-timers';

/**
 * Urgent payment stops (src/payments): stops, account freezes and appeals on cases, the signed messages to the
 * banks and their callbacks (`POST /callbacks/bank`). The worker side is PaymentsJobsModule (jobs/).
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: PaymentStopDoc.name, schema: PaymentStopSchema },
      { name: PaymentClaimDoc.name, schema: PaymentClaimSchema },
      { name: PaymentNoticeDoc.name, schema: PaymentNoticeSchema },
      { name: StopAppealDoc.name, schema: StopAppealSchema },
      { name: CaseStopsDoc.name, schema: CaseStopsSchema },
    ]),
    AuditModule,
    CasesModule,
  ],
  controllers: [BankCallbackController],
  providers: [
    PaymentsRepository,
    StopTimers,
    StopLedger,
    PaymentStopsService,
    StopDeadlinesService,
    BankCallbacksService,
    BankDispatchService,
    StopAppealsService,
    PaymentsResolver,
    CaseStopsLoaders,
    CaseStopsResolver,
  ],
  exports: [BankDispatchService, StopDeadlinesService],
})
export class PaymentsModule {}
