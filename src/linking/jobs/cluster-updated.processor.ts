import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bull';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/config';
import { MetricsService } from '../../metrics/metrics.service';
import { processJobs } from '../../queue/process-jobs';
import { Queues } from '../../queue/queue.constants';

/**
 * `cluster.updated` on the `events` queue: THE consumption point of cluster changes for later features —
 * alert rules (a cluster crossing a size or loss threshold in a region) and campaigns (a ring targeting one
 * age band or channel) add their handlers here (or their own processors on this queue). For now each event
 * is logged (debug) and completed; the Bull job itself (kept per DEFAULT_JOB_OPTIONS) is the record.
 */
@Injectable()
export class ClusterUpdatedProcessor implements OnModuleInit {
  private readonly logger = new Logger(ClusterUpdatedProcessor.name);

  constructor(
    @InjectQueue(Queues.EVENTS) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    processJobs(this.queue, 'cluster.updated', this.cfg.worker.concurrency, this.metrics, async (data) => {
      this.logger.debug(
        { eventId: data.eventId, type: data.type, clusterId: data.clusterId, size: data.size },
        'cluster updated',
      );
      return { type: data.type, clusterId: data.clusterId, size: data.size };
    });
  }
}
