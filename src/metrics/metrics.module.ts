import { Global, Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/** The registry is global so that the queue and GraphQL layers can record into it. */
@Global()
@Module({ providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}
