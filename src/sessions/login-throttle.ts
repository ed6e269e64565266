import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AuthError, AuthErrorCode } from '../auth/auth.errors';

export interface LoginThrottleOptions {
  /** Namespace of the Redis keys (QUEUE_PREFIX: one per deployment). */
  prefix: string;
  maxFailures: number;
  lockSeconds: number;
  ipMaxFailures: number;
}

/**
 * Brute-force limits for `login`, in Redis (rate-limiter-flexible: atomic counters shared by every API
 * instance). Defaults (LOGIN_MAX_FAILURES / LOGIN_LOCK_SECONDS / LOGIN_IP_MAX_FAILURES):
 *
 * - Per e-mail: every attempt reserves one of 5 points BEFORE the password is checked (so parallel guesses
 *   cannot overshoot); a successful login gives the points back (resets the counter). The 5th failure within
 *   15 minutes locks the e-mail for 15 minutes: that answer and every attempt during the lock — also with the
 *   right password — are RATE_LIMITED with `extensions.retryAfterSeconds`. Unknown e-mails are counted and
 *   locked exactly like known ones, so the lockout does not reveal which e-mails have accounts.
 * - Per client address: 50 failures (any e-mails) within 15 minutes lock the address for 15 minutes.
 * - Slowing: LoginService also delays each failed answer, 100 ms doubling per consecutive failure (max 1.6 s),
 *   on top of the argon2id cost of every attempt.
 *
 * E-mails appear in Redis keys only as a SHA-256 prefix.
 */
export class LoginThrottle {
  private readonly byEmail: RateLimiterRedis;
  private readonly byIp: RateLimiterRedis;

  constructor(
    redis: Redis,
    private readonly opts: LoginThrottleOptions,
  ) {
    this.byEmail = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${opts.prefix}:login-email`,
      points: opts.maxFailures,
      duration: opts.lockSeconds,
    });
    this.byIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${opts.prefix}:login-ip`,
      points: opts.ipMaxFailures,
      duration: opts.lockSeconds,
      blockDuration: opts.lockSeconds,
    });
  }

  /**
   * Reserves an attempt for `email` from `ip`. Returns how many attempts (including this one) are counted
   * against the e-mail; throws LOCKED when the e-mail or the address is locked.
   */
  async reserve(email: string, ip: string | undefined): Promise<number> {
    if (ip) {
      const res = await this.byIp.get(ip);
      if (res && res.consumedPoints >= this.opts.ipMaxFailures) throw locked(res.msBeforeNext, 'this address');
    }
    try {
      const res = await this.byEmail.consume(emailKey(email));
      return res.consumedPoints;
    } catch (e) {
      if (e instanceof RateLimiterRes) throw locked(e.msBeforeNext, 'this account');
      throw e;
    }
  }

  /**
   * Records a failed attempt (already counted by `reserve` for the e-mail). Throws LOCKED when this failure
   * reached a limit; otherwise returns normally.
   */
  async failed(email: string, ip: string | undefined, attempts: number): Promise<void> {
    if (ip) {
      try {
        await this.byIp.consume(ip);
      } catch (e) {
        if (e instanceof RateLimiterRes) throw locked(e.msBeforeNext || this.opts.lockSeconds * 1000, 'this address');
        throw e;
      }
    }
    if (attempts >= this.opts.maxFailures) {
      await this.byEmail.block(emailKey(email), this.opts.lockSeconds);
      throw locked(this.opts.lockSeconds * 1000, 'this account');
    }
  }

  async succeeded(email: string): Promise<void> {
    await this.byEmail.delete(emailKey(email));
  }
}

function emailKey(email: string): string {
  return createHash('sha256').update(email).digest('hex').slice(0, 32);
}

function locked(msBeforeNext: number, what: string): AuthError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AuthError(
    AuthErrorCode.LOCKED,
    `Too many failed logins for ${what}; try again in ${retryAfterSeconds} s`,
    undefined,
    {
      retryAfterSeconds,
    },
  );
}
