import { JobOptions } from 'bull';

/** Every Bull queue, by name. Add a queue here and to QUEUE_NAMES; nowhere else. */
export const Queues = {
  SYSTEM: 'system',
  REPORTS: 'reports',
  /** report linking (src/linking): `report.link` jobs, one group-committing consumer per lock hold */
  LINKING: 'linking',
  /** domain events for later consumers (alert rules, campaigns): `cluster.updated`; the statistics' `stats.rollup` */
  EVENTS: 'events',
  /** cases (src/cases): `case.autoOpen` */
  CASES: 'cases',
  /** urgent payment stops (src/payments): `stop.dispatch` to the banks, `stop.timer` (delayed), `stop.sweep` */
  PAYMENTS: 'payments',
} as const;
export type QueueName = (typeof Queues)[keyof typeof Queues];
export const QUEUE_NAMES: QueueName[] = Object.values(Queues);

/**
 * Defaults for every job: retried with exponential backoff, completed jobs trimmed, failed jobs kept for audit
 * (removeOnFail: false). Handlers must be idempotent: a retry or a duplicate delivery changes nothing twice.
 */
export const DEFAULT_JOB_OPTIONS: JobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false,
};
