import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bull';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { MetricsService } from '../../metrics/metrics.service';
import { processJobs } from '../../queue/process-jobs';
import { Queues } from '../../queue/queue.constants';
import { BankDispatchService } from '../bank-dispatch.service';

/**
 * Thin: hands `stop.dispatch` jobs to BankDispatchService. A timeout, network error or 5xx fails the attempt
 * (Bull retries with the central exponential backoff; the last one marks the message FAILED); a 4xx discards
 * the job (no retry) and marks the message FAILED at once.
 */
@Injectable()
export class StopDispatchProcessor implements OnModuleInit {
  constructor(
    @InjectQueue(Queues.PAYMENTS) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly metrics: MetricsService,
    private readonly dispatch: BankDispatchService,
  ) {}

  onModuleInit(): void {
    processJobs(this.queue, 'stop.dispatch', this.cfg.worker.concurrency, this.metrics, async (data, job) => {
      const r = await this.dispatch.deliver(data.stopId, data.messageId);
      if (r.outcome === 'DONE') return;
      const attempts = job.opts.attempts ?? 1;
      if (r.outcome === 'REFUSED') {
        await job.discard();
        await this.dispatch.markFailed(data.stopId, data.messageId, r.error);
      } else if (job.attemptsMade + 1 >= attempts) {
        await this.dispatch.markFailed(data.stopId, data.messageId, `${r.error} (after ${attempts} attempts)`);
      }
      throw new Error(`bank delivery: ${r.error}`);
    });
  }
}
