import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bull';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { MetricsService } from '../../metrics/metrics.service';
import { processJobs } from '../../queue/process-jobs';
import { Queues } from '../../queue/queue.constants';
import { SystemService } from '../system.service';

/** Thin: hands `system.ping` jobs to SystemService. */
@Injectable()
export class SystemPingProcessor implements OnModuleInit {
  constructor(
    @InjectQueue(Queues.SYSTEM) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly metrics: MetricsService,
    private readonly system: SystemService,
  ) {}

  onModuleInit(): void {
    processJobs(this.queue, 'system.ping', this.cfg.worker.concurrency, this.metrics, (data) =>
      this.system.completePing(data),
    );
  }
}
