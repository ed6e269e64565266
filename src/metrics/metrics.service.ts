import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The process's Prometheus registry and the instruments the shared layers record into. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'siqian_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status class',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'siqian_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency by operation type, name and outcome (ok or the first error code)',
    labelNames: ['type', 'operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** Set on each scrape from Redis: these are queue-wide figures, the same seen from every instance. */
  readonly queueJobs = new Gauge({
    name: 'siqian_queue_jobs',
    help: 'Jobs per queue and state (waiting, active, delayed, failed, completed), read from Redis at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  /** Counted by the process that ran the job. */
  readonly jobOutcomes = new Counter({
    name: 'siqian_queue_job_outcomes_total',
    help: 'Jobs finished by this process, by queue, job name and outcome (completed, failed)',
    labelNames: ['queue', 'job', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'siqian_queue_job_duration_seconds',
    help: 'Job run time in this process, by queue and job name',
    labelNames: ['queue', 'job'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [this.registry],
  });

  /** Counted by the process whose worker held background jobs back for the front door (FrontDoor). */
  readonly workerYield = new Counter({
    name: 'siqian_worker_yield_seconds_total',
    help: 'Seconds background jobs (report.index, report.link) waited in this process for a busy front door',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'siqian_' });
  }
}
