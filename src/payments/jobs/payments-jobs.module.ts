import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments.module';
import { StopDispatchProcessor } from './stop-dispatch.processor';
import { StopTimerProcessor } from './stop-timer.processor';

/** The worker role of the payment stops: deliveries to the banks, the stop timers and the sweep. */
@Module({ imports: [PaymentsModule], providers: [StopDispatchProcessor, StopTimerProcessor] })
export class PaymentsJobsModule {}
