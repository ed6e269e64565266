import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../config/config';
import { ReportKeys } from './redis-keys';
import { ReportsError, ReportsErrorCode } from './reports.errors';

/**
 * Rate limits of the public API (rate-limiter-flexible on the shared Redis, so every API instance counts
 * together): new reports per client address and per reporter (contact hash), refused submitReport attempts
 * per client address (a budget of their own: many victims share one carrier-NAT address, and their typos or
 * retries must not use up the reports), lookup per client address. Exceeding one answers RATE_LIMITED with
 * `extensions.retryAfterSeconds`.
 */
export class AbuseLimits {
  private readonly submitIp: RateLimiterRedis;
  private readonly submitInvalidIp: RateLimiterRedis;
  private readonly submitReporter: RateLimiterRedis;
  private readonly lookupIp: RateLimiterRedis;

  constructor(redis: Redis, keys: ReportKeys, cfg: AppConfig['reports']) {
    const make = (name: string, points: number, duration: number) =>
      new RateLimiterRedis({ storeClient: redis, keyPrefix: keys.rateLimitPrefix(name), points, duration });
    this.submitIp = make('submit-ip', cfg.submitPerIp, cfg.submitWindowSeconds);
    this.submitInvalidIp = make('submit-invalid-ip', cfg.submitInvalidPerIp, cfg.submitWindowSeconds);
    this.submitReporter = make('submit-reporter', cfg.submitPerReporter, cfg.submitWindowSeconds);
    this.lookupIp = make('lookup-ip', cfg.lookupPerIp, cfg.lookupWindowSeconds);
  }

  async submitByIp(ipKey: string): Promise<void> {
    await consume(this.submitIp, ipKey, ReportsErrorCode.SUBMIT_RATE_LIMITED, 'reports from this address');
  }

  /** A refused attempt: within the budget the caller answers the validation error, past it RATE_LIMITED. */
  async invalidByIp(ipKey: string): Promise<void> {
    await consume(
      this.submitInvalidIp,
      ipKey,
      ReportsErrorCode.SUBMIT_RATE_LIMITED,
      'refused reports from this address',
    );
  }

  /** Gives back the points of a report that turned out not to be new (a concurrent twin of the same request). */
  async refund(ipKey: string, reporterHash: string | undefined): Promise<void> {
    await Promise.all([
      this.submitIp.reward(ipKey),
      reporterHash ? this.submitReporter.reward(reporterHash) : undefined,
    ]);
  }

  async submitByReporter(reporterHash: string): Promise<void> {
    await consume(this.submitReporter, reporterHash, ReportsErrorCode.SUBMIT_RATE_LIMITED, 'reports from this contact');
  }

  async lookupByIp(ipKey: string): Promise<void> {
    await consume(this.lookupIp, ipKey, ReportsErrorCode.LOOKUP_RATE_LIMITED, 'lookups from this address');
  }
}

async function consume(limiter: RateLimiterRedis, key: string, code: ReportsErrorCode, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    const retryAfterSeconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    throw new ReportsError(code, `Too many ${what}; try again in ${retryAfterSeconds} s`, undefined, {
      retryAfterSeconds,
    });
  }
}
