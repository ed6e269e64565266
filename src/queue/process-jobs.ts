import { Logger } from '@nestjs/common';
import { Job, Queue } from 'bull';
import { MetricsService } from '../metrics/metrics.service';
import type { FrontDoor } from './front-door';
import { JobData, JobName } from './job.types';

/**
 * Registers a handler for one job name on its queue with the configured concurrency, and records the outcome
 * and run time of each job into the metrics. Used by the thin processors in <feature>/jobs/. With `background`,
 * each job first waits while the front door is busy (FrontDoor.yieldTo; its run time is measured after that).
 */
export function processJobs<N extends JobName>(
  queue: Queue,
  name: N,
  concurrency: number,
  metrics: MetricsService,
  handler: (data: JobData<N>, job: Job<JobData<N>>) => Promise<unknown>,
  opts: { background?: FrontDoor } = {},
): void {
  const logger = new Logger(`Job:${name}`);
  void queue.process(name, concurrency, async (job: Job<JobData<N>>) => {
    if (opts.background) await opts.background.yieldTo(job.timestamp);
    const end = metrics.jobDuration.startTimer({ queue: queue.name, job: name });
    try {
      const result = await handler(job.data, job);
      metrics.jobOutcomes.inc({ queue: queue.name, job: name, outcome: 'completed' });
      return result;
    } catch (e) {
      metrics.jobOutcomes.inc({ queue: queue.name, job: name, outcome: 'failed' });
      logger.warn(
        { jobId: job.id, correlationId: job.data.correlationId, attempt: job.attemptsMade + 1, err: e },
        'job failed',
      );
      throw e;
    } finally {
      end();
    }
  });
}
