import { Injectable } from '@nestjs/common';
import { AuditAction } from '../audit/audit-actions';
import { AuditService } from '../audit/audit.service';
import { AuthError, AuthErrorCode } from '../auth/auth.errors';
import { RequestMeta, StaffPrincipal } from '../auth/principal';
import { UsersService } from '../users/users.service';
import { AuthRepository } from './auth.repository';
import { AuthPayload } from './models/auth-payload.model';
import { refreshTokenId, SessionIssuer } from './session-issuer';
import { SessionRevocations } from './session-revocations';

/**
 * Refresh-token rotation and logout (a session starts at LoginService.login).
 *
 * Sessions are refresh-token families: a login starts a family (`familyId`, also the access token's `sid`);
 * each refresh inserts a claim for the presented token (`refresh_token_uses`, `_id` = its SHA-256 — an atomic
 * insert) and issues a new token in the same family. Presenting a token that was already used is REUSE: the
 * family is revoked, so the thief's and the owner's newest tokens stop working and the owner must log in.
 * (Two concurrent refreshes with one token count as reuse too: clients must serialise refreshes.) Each
 * refresh token expires REFRESH_TOKEN_TTL_SECONDS after it was issued (sliding: an active session lives on).
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly repo: AuthRepository,
    private readonly users: UsersService,
    private readonly issuer: SessionIssuer,
    private readonly revocations: SessionRevocations,
    private readonly audit: AuditService,
  ) {}

  async refresh(refreshToken: string, meta: RequestMeta): Promise<AuthPayload> {
    const hash = refreshTokenId(refreshToken);
    const record = await this.repo.findToken(hash);
    if (!record) throw new AuthError(AuthErrorCode.TOKEN_INVALID, 'Unknown refresh token: log in again');
    if (await this.revocations.isRevoked(record.familyId))
      throw new AuthError(AuthErrorCode.TOKEN_REVOKED, 'This session has ended: log in again');
    if (!(await this.repo.claimUse(hash, record.familyId))) {
      await this.revocations.revoke(record.familyId, record.userId, 'REUSE');
      const owner = await this.users.findById(record.userId);
      await this.audit.record({
        actorId: record.userId,
        action: AuditAction.REFRESH_TOKEN_REUSED,
        objectType: 'Session',
        objectId: record.familyId,
        unitCodes: owner?.unitCodes ?? [],
        ...meta,
      });
      throw new AuthError(
        AuthErrorCode.TOKEN_REUSED,
        'This refresh token was already used: the session is revoked, log in again',
      );
    }
    if (record.expiresAt.getTime() <= Date.now())
      throw new AuthError(AuthErrorCode.TOKEN_EXPIRED, 'Refresh token expired: log in again');
    const user = await this.users.findById(record.userId);
    if (!user || user.disabled) {
      await this.revocations.revoke(record.familyId, record.userId, 'DISABLED');
      throw new AuthError(AuthErrorCode.ACCOUNT_DISABLED, 'This account is disabled');
    }
    return this.issuer.issue(user, record.familyId);
  }

  /** Ends the caller's session: its refresh tokens stop working at once, its access tokens on the next request. */
  async logout(principal: StaffPrincipal, meta: RequestMeta): Promise<boolean> {
    await this.revocations.revoke(principal.sessionId, principal.userId, 'LOGOUT');
    await this.audit.record({
      actorId: principal.userId,
      action: AuditAction.LOGOUT,
      objectType: 'Session',
      objectId: principal.sessionId,
      unitCodes: principal.unitCodes,
      ...meta,
    });
    return true;
  }
}
