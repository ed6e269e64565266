import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bull';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { MetricsService } from '../../metrics/metrics.service';
import { processJobs } from '../../queue/process-jobs';
import { Queues } from '../../queue/queue.constants';
import { CasesService } from '../cases.service';

/** Thin: hands `case.autoOpen` jobs to CasesService. */
@Injectable()
export class CaseAutoOpenProcessor implements OnModuleInit {
  constructor(
    @InjectQueue(Queues.CASES) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly metrics: MetricsService,
    private readonly cases: CasesService,
  ) {}

  onModuleInit(): void {
    processJobs(this.queue, 'case.autoOpen', this.cfg.worker.concurrency, this.metrics, (data) =>
      this.cases.autoOpen(data.reportId),
    );
  }
}
