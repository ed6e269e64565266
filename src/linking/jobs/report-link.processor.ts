import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bull';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { MetricsService } from '../../metrics/metrics.service';
import { FrontDoor } from '../../queue/front-door';
import { processJobs } from '../../queue/process-jobs';
import { Queues } from '../../queue/queue.constants';
import { LinkingService } from '../linking.service';

/** Thin: hands `report.link` jobs to LinkingService (which group-commits pending reports under the lock). */
@Injectable()
export class ReportLinkProcessor implements OnModuleInit {
  constructor(
    @InjectQueue(Queues.LINKING) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly metrics: MetricsService,
    private readonly linking: LinkingService,
    private readonly frontDoor: FrontDoor,
  ) {}

  onModuleInit(): void {
    // a report.link job mostly waits (in Redis) for a holder to take its report along: enough of them may be
    // active at once to fill a whole batch (group commit), whatever WORKER_CONCURRENCY is
    const concurrency = Math.max(this.cfg.worker.concurrency, this.cfg.linking.batchSize);
    processJobs(
      this.queue,
      'report.link',
      concurrency,
      this.metrics,
      (data) => this.linking.linkReportsJob(data.reportIds, data.correlationId),
      { background: this.frontDoor },
    );
  }
}
