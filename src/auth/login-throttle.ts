import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AuthError, AuthErrorCode } from './auth.errors';

export interface LoginThrottleOptions {
  /** Namespace of the Redis keys (QUEUE_PREFIX: one per deployment). */
  prefix: string;
  /** Failures of an account (see `throttleKey`) before its attempts are spaced out. */
  maxFailures: number;
  /** How long failures are remembered; how long a locked address stays locked. */
  lockSeconds: number;
  ipMaxFailures: number;
  /** First spacing after `maxFailures` failures; doubles with each further failure up to `maxDelaySeconds`. */
  delaySeconds: number;
  maxDelaySeconds: number;
  /** An address that logged into an account stays that account's own address this long. */
  knownAddressDays: number;
}

/** Where an attempt is counted: see {@link LoginThrottle.reserve}. */
export interface LoginAttempt {
  key: string;
}

/**
 * Brute-force limits for `login` after OWASP's advice (Authentication Cheat Sheet, "Protect against automated
 * attacks"): throttle the account with growing delays, lock the attacking address — never lock the account,
 * or anyone who knows an e-mail (the admin's) could keep its holder out. In Redis through rate-limiter-flexible
 * (atomic counters shared by every API instance). Defaults in brackets (env names in config.ts):
 *
 * - Per account: from the LOGIN_MAX_FAILURES-th [5] failure within LOGIN_LOCK_SECONDS [900] on, the next
 *   attempt waits LOGIN_DELAY_SECONDS [1] after the failure, doubling with each further failure up to
 *   LOGIN_MAX_DELAY_SECONDS [60]; an attempt before its time is RATE_LIMITED (reason THROTTLED) with
 *   `retryAfterSeconds`, and does not grow the delay. Once delays apply, an attempt holds a single-slot gate
 *   while it runs, so parallel guesses cannot slip through together.
 * - The account holder's own addresses are counted apart: an address that logged into the account within
 *   LOGIN_KNOWN_ADDRESS_DAYS [30] has its own failure count and delays for that account, so failures from
 *   anywhere else never slow its holder down there. Every other address shares the account's count.
 * - Per client address: LOGIN_IP_MAX_FAILURES [50] failures (any e-mails) within LOGIN_LOCK_SECONDS lock the
 *   address for LOGIN_LOCK_SECONDS (reason LOCKED).
 * - A successful login clears the count it was made under and remembers the address.
 *
 * Unknown e-mails are throttled exactly like known ones (no enumeration). E-mails and addresses appear in
 * Redis keys only as SHA-256 prefixes.
 */
export class LoginThrottle {
  private readonly failures: RateLimiterRedis;
  private readonly gate: RateLimiterRedis;
  private readonly byIp: RateLimiterRedis;

  constructor(
    private readonly redis: Redis,
    private readonly opts: LoginThrottleOptions,
  ) {
    const make = (name: string, points: number, blockDuration = 0) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${opts.prefix}:${name}`,
        points,
        duration: opts.lockSeconds,
        blockDuration,
      });
    this.failures = make('login-failures', opts.maxFailures);
    this.gate = make('login-gate', 1);
    this.byIp = make('login-ip', opts.ipMaxFailures, opts.lockSeconds);
  }

  /** The seconds an account's next attempt waits after its `failures`-th failure (0: no wait). */
  delayAfter(failures: number): number {
    if (failures < this.opts.maxFailures) return 0;
    const doublings = Math.min(failures - this.opts.maxFailures, 30);
    return Math.min(this.opts.delaySeconds * 2 ** doublings, this.opts.maxDelaySeconds);
  }

  /** Lets an attempt for `email` from `ip` through, or throws LOCKED (address) / THROTTLED (account). */
  async reserve(email: string, ip: string | undefined): Promise<LoginAttempt> {
    if (ip) {
      const res = await this.byIp.get(hash(ip));
      if (res && res.consumedPoints >= this.opts.ipMaxFailures) throw locked(res.msBeforeNext);
    }
    const key = await this.throttleKey(email, ip);
    const delay = this.delayAfter((await this.failures.get(key))?.consumedPoints ?? 0);
    if (delay > 0) {
      try {
        await this.gate.consume(key, 1, { customDuration: delay });
      } catch (e) {
        if (e instanceof RateLimiterRes) throw throttled(e.msBeforeNext);
        throw e;
      }
    }
    return { key };
  }

  /**
   * Counts a failed attempt against its account key (the next attempt then waits `delayAfter(failures)` from
   * now) and its address; throws LOCKED when the address is now locked.
   */
  async failed(attempt: LoginAttempt, ip: string | undefined): Promise<void> {
    const failures = (await this.failures.penalty(attempt.key)).consumedPoints;
    const delay = this.delayAfter(failures);
    if (delay > 0) await this.gate.set(attempt.key, 1, delay);
    if (!ip) return;
    try {
      await this.byIp.consume(hash(ip));
    } catch (e) {
      if (e instanceof RateLimiterRes) throw locked(e.msBeforeNext || this.opts.lockSeconds * 1000);
      throw e;
    }
  }

  async succeeded(email: string, ip: string | undefined, attempt: LoginAttempt): Promise<void> {
    await Promise.all([this.failures.delete(attempt.key), this.gate.delete(attempt.key)]);
    if (ip) await this.redis.set(this.knownKey(email, ip), '1', 'EX', this.opts.knownAddressDays * 86_400);
  }

  /** `<account>:<address>` for an address the account holder logged in from, else `<account>`. */
  private async throttleKey(email: string, ip: string | undefined): Promise<string> {
    if (ip && (await this.redis.exists(this.knownKey(email, ip)))) return `${hash(email)}:${hash(ip)}`;
    return hash(email);
  }

  private knownKey(email: string, ip: string): string {
    return `${this.opts.prefix}:login-known:${hash(email)}:${hash(ip)}`;
  }
}

const hash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 32);

const retryAfter = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

function locked(msBeforeNext: number): AuthError {
  const retryAfterSeconds = retryAfter(msBeforeNext);
  return new AuthError(
    AuthErrorCode.LOCKED,
    `Too many failed logins from this address; try again in ${retryAfterSeconds} s`,
    undefined,
    { retryAfterSeconds },
  );
}

function throttled(msBeforeNext: number): AuthError {
  const retryAfterSeconds = retryAfter(msBeforeNext);
  return new AuthError(
    AuthErrorCode.THROTTLED,
    `Too many failed logins for this account; the next attempt is possible in ${retryAfterSeconds} s`,
    undefined,
    { retryAfterSeconds },
  );
}
