import { Queues, QueueName } from './queue.constants';

/** Every job carries ids and a correlation id (to follow one request through logs), never whole documents. */
interface JobBase {
  correlationId: string;
}

export interface SystemPingJob extends JobBase {
  pingId: string;
}

/** Count a stored report into its identifiers' lookup statistics, then hand it to linking. */
export interface ReportIndexJob extends JobBase {
  reportId: string;
}

/** The one discriminated union of all jobs: `name` selects the payload type. */
export type JobItem = { name: 'system.ping'; data: SystemPingJob } | { name: 'report.index'; data: ReportIndexJob };

export type JobName = JobItem['name'];
export type JobData<N extends JobName> = Extract<JobItem, { name: N }>['data'];

/** Which queue each job goes to, and the deterministic job id that dedupes a re-enqueue of the same work. */
export const JOB_ROUTES: { [N in JobName]: { queue: QueueName; jobId: (data: JobData<N>) => string } } = {
  'system.ping': { queue: Queues.SYSTEM, jobId: (d) => `system.ping:${d.pingId}` },
  'report.index': { queue: Queues.REPORTS, jobId: (d) => `report.index:${d.reportId}` },
};
