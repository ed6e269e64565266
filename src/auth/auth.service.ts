import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AuditAction } from '../audit/audit-actions';
import { AuditService } from '../audit/audit.service';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { normaliseEmail, verifyAgainstDummy, verifyPassword } from '../users/password';
import { UserRecord } from '../users/users.repository';
import { toModel, UsersService } from '../users/users.service';
import { AccessTokens } from './access-token';
import { AuthError, AuthErrorCode } from './auth.errors';
import { AuthRepository } from './auth.repository';
import { LoginAttempt, LoginThrottle } from './login-throttle';
import { AuthPayload } from './models/auth-payload.model';
import { RequestMeta, StaffPrincipal } from './principal';
import { SessionRevocations } from './session-revocations';

export const LOGIN_THROTTLE = Symbol('LOGIN_THROTTLE');

const sha256 = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Login, refresh-token rotation and logout.
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
    private readonly tokens: AccessTokens,
    private readonly revocations: SessionRevocations,
    private readonly audit: AuditService,
    private readonly cipher: PiiCipher,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async login(emailInput: string, password: string, meta: RequestMeta): Promise<AuthPayload> {
    const email = normaliseEmail(emailInput);
    let attempt: LoginAttempt;
    try {
      attempt = await this.throttle.reserve(email, meta.ip);
    } catch (e) {
      await this.recordRefusal(e, email, undefined, meta);
      throw e;
    }
    const user = await this.users.findByEmail(email);
    const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
    if (!user || !ok) {
      await this.recordLogin(AuditAction.LOGIN_FAILED, email, user ?? undefined, meta);
      try {
        await this.throttle.failed(attempt, meta.ip);
      } catch (e) {
        await this.recordRefusal(e, email, user ?? undefined, meta);
        throw e;
      }
      throw new AuthError(AuthErrorCode.INVALID_CREDENTIALS, 'Wrong e-mail or password');
    }
    await this.throttle.succeeded(email, meta.ip, attempt);
    if (user.disabled) {
      await this.recordLogin(AuditAction.LOGIN_FAILED, email, user, meta, { why: 'disabled' });
      throw new AuthError(AuthErrorCode.ACCOUNT_DISABLED, 'This account is disabled');
    }
    const familyId = randomUUID();
    const payload = await this.issue(user, familyId);
    await this.audit.record({
      actorId: user._id,
      action: AuditAction.LOGIN_SUCCEEDED,
      objectType: 'Session',
      objectId: familyId,
      unitCodes: user.unitCodes,
      ...meta,
    });
    return payload;
  }

  async refresh(refreshToken: string, meta: RequestMeta): Promise<AuthPayload> {
    const hash = sha256(refreshToken);
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
    return this.issue(user, record.familyId);
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

  private async issue(user: UserRecord, familyId: string): Promise<AuthPayload> {
    const refreshToken = randomBytes(32).toString('base64url');
    const issuedAt = new Date();
    const refreshTokenExpiresAt = new Date(issuedAt.getTime() + this.cfg.auth.refreshTokenTtlSeconds * 1000);
    await this.repo.insertToken({
      _id: sha256(refreshToken),
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

  /** A login refused by the throttle is audited as LOGIN_LOCKED (address locked or account throttled). */
  private async recordRefusal(e: unknown, email: string, user: UserRecord | undefined, meta: RequestMeta) {
    if (e instanceof AuthError && (e.code === AuthErrorCode.LOCKED || e.code === AuthErrorCode.THROTTLED))
      await this.recordLogin(AuditAction.LOGIN_LOCKED, email, user, meta);
  }

  /** Login attempts are audited; an e-mail without an account appears only as a keyed hash. */
  private async recordLogin(
    action: AuditAction,
    email: string,
    user: UserRecord | undefined,
    meta: RequestMeta,
    details: Record<string, string> = {},
  ): Promise<void> {
    await this.audit.record({
      actorId: user?._id,
      action,
      objectType: 'User',
      objectId: user?._id,
      unitCodes: user?.unitCodes ?? [],
      ...meta,
      details: user ? details : { ...details, emailHash: this.cipher.keyedHash(email, 'login-email').slice(0, 16) },
    });
  }
}
