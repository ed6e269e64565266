import { JwtService } from '@nestjs/jwt';
import { AuthError, AuthErrorCode } from '../auth/auth.errors';
import { ALL_ROLES, Role } from '../auth/roles';

export const ACCESS_TOKEN_ISSUER = 'siqian';
export const ACCESS_TOKEN_AUDIENCE = 'siqian-staff';

/** What an access token says. The guard trusts only `sub` and `sid`; roles and units are re-read from the store. */
export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Session = refresh-token family id; logout and reuse detection revoke it. */
  sid: string;
  roles: Role[];
  units: string[];
  typ: 'access';
}

/**
 * Short-lived access JWTs: HS256 with JWT_SECRET, `iss`/`aud` fixed, `exp` = now + ACCESS_TOKEN_TTL_SECONDS.
 * Verification pins `algorithms: ['HS256']`, so `alg: none` and RS256/HS256 key-confusion tokens are refused,
 * as are other secrets, other issuers/audiences, expired tokens and payloads of the wrong shape.
 */
export class AccessTokens {
  private readonly jwt: JwtService;

  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.jwt = new JwtService({
      secret,
      signOptions: {
        algorithm: 'HS256',
        expiresIn: ttlSeconds,
        issuer: ACCESS_TOKEN_ISSUER,
        audience: ACCESS_TOKEN_AUDIENCE,
      },
      verifyOptions: { algorithms: ['HS256'], issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE },
    });
  }

  sign(claims: Omit<AccessClaims, 'typ'>): { token: string; expiresAt: Date } {
    const payload: AccessClaims = { ...claims, roles: [...claims.roles], units: [...claims.units], typ: 'access' };
    const token = this.jwt.sign(payload);
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** Returns the claims of a valid token; throws AuthError TOKEN_EXPIRED or TOKEN_INVALID. */
  verify(token: string): AccessClaims {
    let payload: Record<string, unknown>;
    try {
      payload = this.jwt.verify<Record<string, unknown>>(token);
    } catch (e) {
      if (e instanceof Error && e.name === 'TokenExpiredError')
        throw new AuthError(AuthErrorCode.TOKEN_EXPIRED, 'Access token expired: refresh it');
      throw new AuthError(AuthErrorCode.TOKEN_INVALID, 'Invalid access token');
    }
    const { sub, sid, roles, units, typ } = payload;
    const valid =
      typ === 'access' &&
      typeof sub === 'string' &&
      sub.length > 0 &&
      typeof sid === 'string' &&
      sid.length > 0 &&
      Array.isArray(roles) &&
      roles.every((r) => ALL_ROLES.includes(r as Role)) &&
      Array.isArray(units) &&
      units.every((u) => typeof u === 'string');
    if (!valid) throw new AuthError(AuthErrorCode.TOKEN_INVALID, 'Invalid access token');
    return { sub, sid, roles: roles as Role[], units: units, typ };
  }
}
