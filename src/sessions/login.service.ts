import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditAction } from '../audit/audit-actions';
import { AuditService } from '../audit/audit.service';
import { AuthError, AuthErrorCode } from '../auth/auth.errors';
import type { RequestMeta } from '../auth/principal';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { normaliseEmail, verifyAgainstDummy, verifyPassword } from '../users/password';
import { UserRecord } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { LoginAttempt, LoginThrottle } from './login-throttle';
import { AuthPayload } from './models/auth-payload.model';
import { SessionIssuer } from './session-issuer';

export const LOGIN_THROTTLE = Symbol('LOGIN_THROTTLE');

/**
 * Login: e-mail and password against the stored user, throttled per account and per address (LoginThrottle),
 * every attempt audited; a success starts a session (a refresh-token family, see AuthService).
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersService,
    private readonly issuer: SessionIssuer,
    private readonly audit: AuditService,
    private readonly cipher: PiiCipher,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
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
    const payload = await this.issuer.issue(user, familyId);
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
