import { Module } from '@nestjs/common';
import { SystemModule } from '../system.module';
import { SystemPingProcessor } from './system-ping.processor';

/** The worker role of the system feature. */
@Module({ imports: [SystemModule], providers: [SystemPingProcessor] })
export class SystemJobsModule {}
