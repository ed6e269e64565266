import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bull';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { MetricsService } from '../../metrics/metrics.service';
import { FrontDoor } from '../../queue/front-door';
import { processJobs } from '../../queue/process-jobs';
import { Queues } from '../../queue/queue.constants';
import { ReportIndexer } from '../report-indexer.service';

/** Thin: hands `report.index` jobs to ReportIndexer. */
@Injectable()
export class ReportIndexProcessor implements OnModuleInit {
  constructor(
    @InjectQueue(Queues.REPORTS) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly metrics: MetricsService,
    private readonly indexer: ReportIndexer,
    private readonly frontDoor: FrontDoor,
  ) {}

  onModuleInit(): void {
    processJobs(
      this.queue,
      'report.index',
      this.cfg.worker.concurrency,
      this.metrics,
      (data) => this.indexer.indexReports(data.reportIds, data.correlationId),
      { background: this.frontDoor },
    );
  }
}
