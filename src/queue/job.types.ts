import { Queues, QueueName } from './queue.constants';

/** Every job carries ids and a correlation id (to follow one request through logs), never whole documents. */
interface JobBase {
  correlationId: string;
}

export interface SystemPingJob extends JobBase {
  pingId: string;
}

/**
 * Count stored reports into their identifiers' lookup statistics, then hand each to linking. One job per
 * hand-off batch of submitReport (the reports that concurrent submissions wrote together, one when the API is
 * quiet): Bull's cost per job (add, move to active, complete) is paid per batch, not per report.
 */
export interface ReportIndexJob extends JobBase {
  /** random per batch (the jobId): batches are not deduplicated, indexing a report twice counts it once */
  batchId: string;
  reportIds: string[];
}

/**
 * Link stored reports into their clusters (src/linking); idempotent: an already linked report is a no-op.
 * One job per indexed batch, like `report.index`.
 */
export interface ReportLinkJob extends JobBase {
  /** random per batch (the jobId): batches are not deduplicated, linking a linked report is a no-op */
  batchId: string;
  reportIds: string[];
}

/**
 * A cluster changed (src/linking): the consumption point for later features (alert rules, campaigns).
 * `eventId` is unique per event (`<opId>:<n>`), so a re-enqueue of the same event is deduplicated.
 */
export interface ClusterUpdatedJob extends JobBase {
  eventId: string;
  type: 'CREATED' | 'GREW' | 'MERGED' | 'SPLIT';
  clusterId: string;
  mergedFrom?: string[];
  splitInto?: string[];
  size: number;
  regionCodes: string[];
  /** ISO-8601 UTC */
  at: string;
}

/**
 * Count stored reports into the statistics rollups (src/stats); idempotent (a claim per report and rollup
 * generation). Enqueued beside `report.link` by the `report.index` job, for the same batch.
 */
export interface StatsRollupJob extends JobBase {
  batchId: string;
  reportIds: string[];
}

/** The one discriminated union of all jobs: `name` selects the payload type. */
export type JobItem =
  | { name: 'system.ping'; data: SystemPingJob }
  | { name: 'report.index'; data: ReportIndexJob }
  | { name: 'report.link'; data: ReportLinkJob }
  | { name: 'cluster.updated'; data: ClusterUpdatedJob }
  | { name: 'stats.rollup'; data: StatsRollupJob };

export type JobName = JobItem['name'];
export type JobData<N extends JobName> = Extract<JobItem, { name: N }>['data'];

/** Which queue each job goes to, and the deterministic job id that dedupes a re-enqueue of the same work. */
export const JOB_ROUTES: { [N in JobName]: { queue: QueueName; jobId: (data: JobData<N>) => string } } = {
  'system.ping': { queue: Queues.SYSTEM, jobId: (d) => `system.ping:${d.pingId}` },
  'report.index': { queue: Queues.REPORTS, jobId: (d) => `report.index:${d.batchId}` },
  'report.link': { queue: Queues.LINKING, jobId: (d) => `report.link:${d.batchId}` },
  'cluster.updated': { queue: Queues.EVENTS, jobId: (d) => `cluster.updated:${d.eventId}` },
  'stats.rollup': { queue: Queues.EVENTS, jobId: (d) => `stats.rollup:${d.batchId}` },
};
