import { Inject, Injectable, Logger, NestMiddleware, OnModuleDestroy } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { MetricsService } from '../metrics/metrics.service';
import { REDIS } from '../redis/redis.module';

/** How long an API process's "busy" mark lives in Redis unless renewed (it is renewed while it stays busy). */
export const BUSY_MARK_MS = 1_000;
/** An API process renews its mark at most this often; a worker re-reads the marks at most this often. */
const MARK_EVERY_MS = 250;
const CHECK_EVERY_MS = 200;
/** How often a held-back job looks again whether the front door is still busy. */
const POLL_MS = 100;

/**
 * The front door first: while the public's requests queue up in an API process, background jobs of the
 * reports pipeline (`report.index`, `report.link`) wait before they start, so that a surge of reports is
 * taken at the rate the request path alone allows and indexed and linked right after it.
 *
 * - API side: the GraphQL requests in flight in this process are counted (FrontDoorMiddleware). From
 *   FRONT_DOOR_BUSY_REQUESTS of them the process counts as busy and marks it in Redis
 *   (`<QUEUE_PREFIX>:frontdoor:busy`, PX BUSY_MARK_MS, renewed at most every 250 ms while busy), so that
 *   workers in other processes see it too.
 * - Worker side: `yieldTo(job.timestamp)` waits while this process is busy or any API process's mark is set
 *   (read at most every 200 ms), but never longer than WORKER_YIELD_MAX_MS after the job was enqueued: a surge
 *   that lasts longer gets the background work done beside it, so lookups and clusters lag a surge by at
 *   most that long plus the backlog's time. WORKER_YIELD_MAX_MS=0 turns it off.
 *
 * Why: on the embedded store all the work of a report costs about 7 times the CPU of its request path (the
 * store's share included: `npm run bench:submit`, README), so a worker that runs beside a surge takes most of
 * the machine from the people reporting. Without a Redis answer the worker does not wait (fail open).
 */
@Injectable()
export class FrontDoor implements OnModuleDestroy {
  private readonly logger = new Logger(FrontDoor.name);
  private inFlight = 0;
  /** set at shutdown: a held-back job starts at once, so the queue can close without waiting for the door */
  private closing = false;
  private markedAt = 0;
  private checkedAt = 0;
  private marked = false;
  private readonly key: string;
  private readonly busyFrom: number;
  private readonly maxYieldMs: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) cfg: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    this.key = `${cfg.queue.prefix}:frontdoor:busy`;
    this.busyFrom = cfg.worker.frontDoorBusyRequests;
    this.maxYieldMs = cfg.worker.yieldMaxMs;
  }

  /** A front-door request starts; call the returned function (once) when it has been answered. */
  enter(): () => void {
    this.inFlight++;
    if (this.inFlight >= this.busyFrom) this.mark();
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.inFlight--;
    };
  }

  /** Waits while the front door is busy, at most until `enqueuedAt` + WORKER_YIELD_MAX_MS. */
  async yieldTo(enqueuedAt: number): Promise<void> {
    if (this.maxYieldMs <= 0) return;
    let started: number | undefined;
    while (!this.closing && Date.now() - enqueuedAt < this.maxYieldMs && (await this.busy())) {
      started ??= Date.now();
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    if (started !== undefined) this.metrics.workerYield.inc((Date.now() - started) / 1000);
  }

  onModuleDestroy(): void {
    this.closing = true;
  }

  private async busy(): Promise<boolean> {
    if (this.inFlight >= this.busyFrom) return true;
    const now = Date.now();
    if (now - this.checkedAt >= CHECK_EVERY_MS) {
      this.checkedAt = now;
      // Redis unreachable: no process can be marked busy either, so the door counts as not busy
      this.marked = (await this.redis.exists(this.key).catch((err: unknown) => this.unreachable(err))) === 1;
    }
    return this.marked;
  }

  /** The busy mark is advisory: without Redis the door admits work as if no process were busy. */
  private unreachable(err: unknown): 0 {
    this.logger.debug({ err }, 'busy mark: Redis unreachable; counted as not busy');
    return 0;
  }

  private mark(): void {
    const now = Date.now();
    if (now - this.markedAt < MARK_EVERY_MS) return;
    this.markedAt = now;
    this.redis.set(this.key, String(process.pid), 'PX', BUSY_MARK_MS).catch((err: unknown) => this.unreachable(err));
  }
}

/** Counts the GraphQL requests in flight (applied to the `/graphql` route only: health and metrics are not the door). */
@Injectable()
export class FrontDoorMiddleware implements NestMiddleware {
  constructor(private readonly door: FrontDoor) {}

  use(_req: Request, res: Response, next: NextFunction): void {
    const leave = this.door.enter();
    res.once('finish', leave);
    res.once('close', leave);
    next();
  }
}
