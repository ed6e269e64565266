import { DomainError } from '../common/errors/domain-error';

export enum AuthErrorCode {
  /** Wrong e-mail or password (the two are not told apart). */
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  /** Too many failed logins from this client address; `retryAfterSeconds` says when to retry. */
  LOCKED = 'LOCKED',
  /** The account had failed logins: its next attempt waits `retryAfterSeconds` (a growing delay, not a lock). */
  THROTTLED = 'THROTTLED',
  ACCOUNT_DISABLED = 'ACCOUNT_DISABLED',
  /** No token where one is needed. */
  TOKEN_MISSING = 'TOKEN_MISSING',
  /** Bad signature, algorithm, issuer, audience or shape. */
  TOKEN_INVALID = 'TOKEN_INVALID',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  /** The session (refresh-token family) was logged out or revoked. */
  TOKEN_REVOKED = 'TOKEN_REVOKED',
  /** A refresh token was presented a second time: the whole family is now revoked. */
  TOKEN_REUSED = 'TOKEN_REUSED',
  /** The user holds none of the roles the field requires. */
  MISSING_ROLE = 'MISSING_ROLE',
  /** The object belongs to a unit outside the user's units. */
  OUT_OF_UNIT = 'OUT_OF_UNIT',
  /** The field declares no access policy (@Public/@Roles/@SignedIn): refused by default. */
  NO_ACCESS_POLICY = 'NO_ACCESS_POLICY',
}

export class AuthError extends DomainError<AuthErrorCode> {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    field?: string,
    details?: Record<string, string | number | boolean>,
  ) {
    super(message, field, details);
  }
}
