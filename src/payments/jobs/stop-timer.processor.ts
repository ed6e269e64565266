import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { MetricsService } from '../../metrics/metrics.service';
import { JobQueueService } from '../../queue/job-queue.service';
import { processJobs } from '../../queue/process-jobs';
import { Queues } from '../../queue/queue.constants';
import { StopDeadlinesService } from '../stop-deadlines.service';

/**
 * Thin: `stop.timer` and `stop.sweep` jobs to StopDeadlinesService. At start the worker makes sure the sweep
 * repeats every PAYMENT_SWEEP_SECONDS (a repeatable job: one schedule however many workers add it) and runs
 * one sweep at once (timers lost while no worker ran are applied now).
 */
@Injectable()
export class StopTimerProcessor implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(StopTimerProcessor.name);

  constructor(
    @InjectQueue(Queues.PAYMENTS) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly metrics: MetricsService,
    private readonly deadlines: StopDeadlinesService,
    private readonly jobs: JobQueueService,
  ) {}

  onModuleInit(): void {
    processJobs(this.queue, 'stop.timer', this.cfg.worker.concurrency, this.metrics, (data) =>
      this.deadlines.onTimer(data.stopId, data.kind, data.dueAt, data.round ?? 0),
    );
    processJobs(this.queue, 'stop.sweep', 1, this.metrics, () => this.deadlines.sweep());
  }

  async onApplicationBootstrap(): Promise<void> {
    const every = this.cfg.payments.sweepMs;
    await this.jobs.enqueue(
      { name: 'stop.sweep', data: { sweepId: `every-${every}`, correlationId: 'stop.sweep' } },
      { repeat: { every }, removeOnComplete: true, removeOnFail: 100 },
    );
    await this.jobs.enqueue({
      name: 'stop.sweep',
      data: { sweepId: `start-${randomUUID()}`, correlationId: randomUUID() },
    });
    this.logger.log(`payment-stop sweep every ${every / 1000} s`);
  }
}
