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

/**
 * Open a case for each report whose loss passes CASE_AUTO_OPEN_LOSS_YUAN (src/cases); idempotent: a report
 * already in a case is skipped. Enqueued by the `report.index` job for the public reports of its batch.
 */
export interface CaseAutoOpenJob extends JobBase {
  reportId: string;
}

/**
 * Send one message about a payment stop to its bank (src/payments): a stop request, a freeze or a release,
 * signed as Standard Webhooks v1. `messageId` is the webhook-id (the same across retries); retried with backoff
 * on timeouts and 5xx only.
 */
export interface StopDispatchJob extends JobBase {
  stopId: string;
  messageId: string;
}

/** A payment stop's deadline (delayed job): `WARN` before it lapses, `EXPIRE` when it does; checked against the stored deadline. */
export interface StopTimerJob extends JobBase {
  stopId: string;
  kind: 'WARN' | 'EXPIRE';
  /** ISO-8601 UTC: the deadline this timer was set for (a later deadline makes it a no-op) */
  dueAt: string;
  /** set again after firing early (a delayed job's clock is not the business clock): 1, 2, ... */
  round?: number;
}

/** Repeatable: re-checks every stored stop deadline that has passed (repairs a timer lost with a worker). */
export interface StopSweepJob extends JobBase {
  sweepId: string;
}

/** The one discriminated union of all jobs: `name` selects the payload type. */
export type JobItem =
  | { name: 'system.ping'; data: SystemPingJob }
  | { name: 'report.index'; data: ReportIndexJob }
  | { name: 'report.link'; data: ReportLinkJob }
  | { name: 'cluster.updated'; data: ClusterUpdatedJob }
  | { name: 'stats.rollup'; data: StatsRollupJob }
  | { name: 'case.autoOpen'; data: CaseAutoOpenJob }
  | { name: 'stop.dispatch'; data: StopDispatchJob }
  | { name: 'stop.timer'; data: StopTimerJob }
  | { name: 'stop.sweep'; data: StopSweepJob };

export type JobName = JobItem['name'];
export type JobData<N extends JobName> = Extract<JobItem, { name: N }>['data'];

/** Which queue each job goes to, and the deterministic job id that dedupes a re-enqueue of the same work. */
export const JOB_ROUTES: { [N in JobName]: { queue: QueueName; jobId: (data: JobData<N>) => string } } = {
  'system.ping': { queue: Queues.SYSTEM, jobId: (d) => `system.ping:${d.pingId}` },
  'report.index': { queue: Queues.REPORTS, jobId: (d) => `report.index:${d.batchId}` },
  'report.link': { queue: Queues.LINKING, jobId: (d) => `report.link:${d.batchId}` },
  'cluster.updated': { queue: Queues.EVENTS, jobId: (d) => `cluster.updated:${d.eventId}` },
  'stats.rollup': { queue: Queues.EVENTS, jobId: (d) => `stats.rollup:${d.batchId}` },
  'case.autoOpen': { queue: Queues.CASES, jobId: (d) => `case.autoOpen:${d.reportId}` },
  'stop.dispatch': { queue: Queues.PAYMENTS, jobId: (d) => `stop.dispatch:${d.messageId}` },
  'stop.timer': {
    queue: Queues.PAYMENTS,
    jobId: (d) => `stop.timer:${d.stopId}:${d.kind}:${d.dueAt}${d.round ? `:${d.round}` : ''}`,
  },
  'stop.sweep': { queue: Queues.PAYMENTS, jobId: (d) => `stop.sweep:${d.sweepId}` },
};
