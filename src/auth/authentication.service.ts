import { Injectable } from '@nestjs/common';
import { UsersService } from '../users/users.service';
import { AccessTokens } from './access-token';
import { AuthError, AuthErrorCode } from './auth.errors';
import { StaffPrincipal } from './principal';
import { SessionRevocations } from './session-revocations';

/**
 * Access token -> StaffPrincipal, for every operation (AuthGuard) and every WebSocket connection_init:
 * 1. the JWT is verified (HS256 only, JWT_SECRET, issuer/audience, expiry, shape);
 * 2. its session must not be revoked (Redis, see SessionRevocations);
 * 3. the user is read by `_id` and must exist and be enabled; roles and units come from this stored user,
 *    not from the token, so changes by an admin apply from the user's next request.
 */
@Injectable()
export class AuthenticationService {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly revocations: SessionRevocations,
    private readonly users: UsersService,
  ) {}

  async authenticate(token: string | undefined): Promise<StaffPrincipal> {
    if (token === undefined)
      throw new AuthError(AuthErrorCode.TOKEN_MISSING, 'Sign in: send Authorization: Bearer <accessToken>');
    if (token === '')
      throw new AuthError(AuthErrorCode.TOKEN_INVALID, 'Malformed Authorization header: expected Bearer <accessToken>');
    const claims = this.tokens.verify(token);
    return this.principalOf(claims.sub, claims.sid);
  }

  /**
   * The principal of an open stream read again (its token was verified when the stream started): the session
   * must still be live and the user enabled; roles and units are the stored ones. Throws like authenticate.
   */
  refresh(p: Pick<StaffPrincipal, 'userId' | 'sessionId'>): Promise<StaffPrincipal> {
    return this.principalOf(p.userId, p.sessionId);
  }

  private async principalOf(userId: string, sessionId: string): Promise<StaffPrincipal> {
    if (await this.revocations.isRevokedFast(sessionId))
      throw new AuthError(AuthErrorCode.TOKEN_REVOKED, 'This session has ended: log in again');
    const user = await this.users.findById(userId);
    if (!user) throw new AuthError(AuthErrorCode.TOKEN_INVALID, 'Invalid access token');
    if (user.disabled) throw new AuthError(AuthErrorCode.ACCOUNT_DISABLED, 'This account is disabled');
    return {
      userId: user._id,
      email: user.email,
      displayName: user.displayName,
      roles: user.roles,
      unitCodes: user.unitCodes,
      sessionId,
    };
  }
}
