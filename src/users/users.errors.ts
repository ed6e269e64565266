import { ApiErrorCode } from '../common/errors/api-error-code';
import { DomainError } from '../common/errors/domain-error';
import { registerErrorCodes } from '../common/errors/error-mapping';

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

/** How the API answers each of these codes. */
registerErrorCodes<UsersErrorCode>(UsersError, {
  [UsersErrorCode.USER_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [UsersErrorCode.EMAIL_TAKEN]: ApiErrorCode.CONFLICT,
  [UsersErrorCode.UNKNOWN_UNIT]: ApiErrorCode.BAD_USER_INPUT,
  [UsersErrorCode.SELF_LOCKOUT]: ApiErrorCode.CONFLICT,
  [UsersErrorCode.REASON_REQUIRED]: ApiErrorCode.BAD_USER_INPUT,
  [UsersErrorCode.UNITS_REQUIRED]: ApiErrorCode.BAD_USER_INPUT,
});
