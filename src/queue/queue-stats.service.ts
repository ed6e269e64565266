import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { JobCounts, Queue } from 'bull';
import { Queues } from './queue.constants';

@Injectable()
export class QueueStatsService {
  private readonly queues: Queue[];

  constructor(
    @InjectQueue(Queues.SYSTEM) system: Queue,
    @InjectQueue(Queues.REPORTS) reports: Queue,
    @InjectQueue(Queues.LINKING) linking: Queue,
    @InjectQueue(Queues.EVENTS) events: Queue,
  ) {
    this.queues = [system, reports, linking, events];
  }

  async counts(): Promise<{ queue: string; counts: JobCounts }[]> {
    return Promise.all(this.queues.map(async (q) => ({ queue: q.name, counts: await q.getJobCounts() })));
  }
}
