import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { UserRecord } from '../users/users.repository';
import { toModel } from '../users/users.service';
import { AccessTokens } from './access-token';
import { AuthRepository } from './auth.repository';
import { AuthPayload } from './models/auth-payload.model';

/** A refresh token's stored id: its SHA-256 (the token itself is never stored). */
export const refreshTokenId = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Issues a session's tokens (a login starts the family, each refresh continues it). */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly repo: AuthRepository,
    private readonly tokens: AccessTokens,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async issue(user: UserRecord, familyId: string): Promise<AuthPayload> {
    const refreshToken = randomBytes(32).toString('base64url');
    const issuedAt = new Date();
    const refreshTokenExpiresAt = new Date(issuedAt.getTime() + this.cfg.auth.refreshTokenTtlSeconds * 1000);
    await this.repo.insertToken({
      _id: refreshTokenId(refreshToken),
      familyId,
      userId: user._id,
      issuedAt,
      expiresAt: refreshTokenExpiresAt,
    });
    const access = this.tokens.sign({ sub: user._id, sid: familyId, roles: user.roles, units: user.unitCodes });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      refreshTokenExpiresAt,
      user: toModel(user),
    };
  }
}
