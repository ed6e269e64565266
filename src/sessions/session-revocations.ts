import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { AuthRepository } from './auth.repository';

export type RevocationReason = 'LOGOUT' | 'REUSE' | 'DISABLED';

/**
 * Revoked sessions (refresh-token families).
 *
 * Source of truth: the `revoked_sessions` collection (one document per family, `_id` = familyId), written
 * first. Refresh checks it there. Redis holds a copy (`<QUEUE_PREFIX>:revoked-session:<familyId>`) that
 * expires after the access-token lifetime + 60 s — long enough for every access token issued before the
 * revocation to expire — so the per-operation check on access tokens is one Redis EXISTS. Should Redis lose
 * that key, an already revoked access token keeps working at most until its own expiry
 * (ACCESS_TOKEN_TTL_SECONDS), never longer: it cannot be refreshed.
 */
@Injectable()
export class SessionRevocations {
  private readonly ttlSeconds: number;
  private readonly prefix: string;

  constructor(
    private readonly repo: AuthRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.ttlSeconds = cfg.auth.accessTokenTtlSeconds + 60;
    this.prefix = `${cfg.queue.prefix}:revoked-session:`;
  }

  async revoke(familyId: string, userId: string, reason: RevocationReason): Promise<void> {
    await this.repo.insertRevocation(familyId, userId, reason);
    await this.redis.set(this.prefix + familyId, reason, 'EX', this.ttlSeconds);
  }

  /** For access tokens (every operation): Redis only. */
  async isRevokedFast(familyId: string): Promise<boolean> {
    return (await this.redis.exists(this.prefix + familyId)) === 1;
  }

  /** For refresh: the store. */
  async isRevoked(familyId: string): Promise<boolean> {
    return this.repo.isRevoked(familyId);
  }
}
