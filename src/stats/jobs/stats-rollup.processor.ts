import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bull';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { MetricsService } from '../../metrics/metrics.service';
import { FrontDoor } from '../../queue/front-door';
import { processJobs } from '../../queue/process-jobs';
import { Queues } from '../../queue/queue.constants';
import { StatsReportsRepository } from '../../reports/stats-reports.repository';
import { StatsRollups } from '../stats-rollups.service';

/** Thin: reads the batch's reports by `_id` and hands them to StatsRollups (idempotent by its claims). */
@Injectable()
export class StatsRollupProcessor implements OnModuleInit {
  constructor(
    @InjectQueue(Queues.EVENTS) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly metrics: MetricsService,
    private readonly reports: StatsReportsRepository,
    private readonly rollups: StatsRollups,
    private readonly frontDoor: FrontDoor,
  ) {}

  onModuleInit(): void {
    processJobs(
      this.queue,
      'stats.rollup',
      this.cfg.worker.concurrency,
      this.metrics,
      async (data) => this.rollups.count(await this.reports.findMany(data.reportIds)),
      { background: this.frontDoor },
    );
  }
}
