import { DomainError } from '../common/errors/domain-error';

export enum UsersErrorCode {
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  /** Another user already has this e-mail. */
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  /** A unit code that is not in the region reference list. */
  UNKNOWN_UNIT = 'UNKNOWN_UNIT',
  /** An admin may not remove their own ADMIN role or disable themselves (nobody could undo it). */
  SELF_LOCKOUT = 'SELF_LOCKOUT',
  /** Reading personal data needs a reason (3..500 characters). */
  REASON_REQUIRED = 'REASON_REQUIRED',
  /** A user without ADMIN needs at least one unit. */
  UNITS_REQUIRED = 'UNITS_REQUIRED',
}

export class UsersError extends DomainError<UsersErrorCode> {
  constructor(
    readonly code: UsersErrorCode,
    message: string,
    field?: string,
  ) {
    super(message, field);
  }
}
