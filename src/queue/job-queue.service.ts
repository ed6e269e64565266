import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { Job, JobOptions, Queue } from 'bull';
import { QueueName, Queues } from './queue.constants';
import { JOB_ROUTES, JobItem } from './job.types';

/** The typed producer: the only way features enqueue work. */
@Injectable()
export class JobQueueService {
  private readonly queues: Record<string, Queue>;

  constructor(
    @InjectQueue(Queues.SYSTEM) system: Queue,
    @InjectQueue(Queues.REPORTS) reports: Queue,
    @InjectQueue(Queues.LINKING) linking: Queue,
    @InjectQueue(Queues.EVENTS) events: Queue,
    @InjectQueue(Queues.CASES) cases: Queue,
    @InjectQueue(Queues.PAYMENTS) payments: Queue,
  ) {
    this.queues = {
      [Queues.SYSTEM]: system,
      [Queues.REPORTS]: reports,
      [Queues.LINKING]: linking,
      [Queues.EVENTS]: events,
      [Queues.CASES]: cases,
      [Queues.PAYMENTS]: payments,
    };
  }

  /** Enqueues a job; a job with the same deterministic id that still exists is not added twice. */
  async enqueue<I extends JobItem>(item: I, opts: JobOptions = {}): Promise<Job<I['data']>> {
    // the union's routes take their own payload; `item` pairs a name with that payload by construction
    const route = JOB_ROUTES[item.name] as { queue: QueueName; jobId: (data: I['data']) => string };
    const queue = this.queues[route.queue];
    return queue.add(item.name, item.data, { jobId: route.jobId(item.data), ...opts }) as Promise<Job<I['data']>>;
  }

  /**
   * Enqueues many jobs with one Redis round trip per queue (Bull's addBulk: one MULTI), each exactly as
   * `enqueue` would (same deterministic jobId, same default options).
   */
  async enqueueMany(items: readonly JobItem[]): Promise<void> {
    const byQueue = new Map<QueueName, { name: string; data: JobItem['data']; opts: JobOptions }[]>();
    for (const item of items) {
      const route = JOB_ROUTES[item.name] as { queue: QueueName; jobId: (data: JobItem['data']) => string };
      const list = byQueue.get(route.queue) ?? [];
      list.push({ name: item.name, data: item.data, opts: { jobId: route.jobId(item.data) } });
      byQueue.set(route.queue, list);
    }
    await Promise.all([...byQueue].map(([q, jobs]) => this.queues[q].addBulk(jobs)));
  }
}
