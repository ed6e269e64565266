import { ApiErrorCode } from '../common/errors/api-error-code';
import { DomainError } from '../common/errors/domain-error';
import { registerErrorCodes } from '../common/errors/error-mapping';

export enum PaymentsErrorCode {
  STOP_NOT_FOUND = 'STOP_NOT_FOUND',
  APPEAL_NOT_FOUND = 'APPEAL_NOT_FOUND',
  /** A field of a stop request or an appeal is missing, malformed or inconsistent (`field` names it). */
  INVALID_STOP_INPUT = 'INVALID_STOP_INPUT',
  /** A bank code that is not configured in BANK_ENDPOINTS. */
  UNKNOWN_BANK = 'UNKNOWN_BANK',
  /** The case is closed: no new stops, freezes or appeals act on it. */
  CASE_CLOSED = 'CASE_CLOSED',
  /** The account already had its two stops in this case: the next step is an account freeze. */
  STOP_LIMIT_REACHED = 'STOP_LIMIT_REACHED',
  /** The stop is not in a state that allows the action (e.g. approving a freeze nobody requested). */
  ILLEGAL_STOP_STATE = 'ILLEGAL_STOP_STATE',
  /** A freeze needs both stops of the account in the case first. */
  FREEZE_NEEDS_TWO_STOPS = 'FREEZE_NEEDS_TWO_STOPS',
  /** The requester of a freeze may not approve it: a second supervisor must. */
  FREEZE_SELF_APPROVAL = 'FREEZE_SELF_APPROVAL',
  /** The appeal was resolved already, or the stop has an appeal already. */
  APPEAL_CONFLICT = 'APPEAL_CONFLICT',
  /** Too many appeals (or wrong appeal codes) from one address. */
  APPEAL_RATE_LIMITED = 'APPEAL_RATE_LIMITED',
  /** Another change of the same stop is in progress; try again. */
  STOP_BUSY = 'STOP_BUSY',
}

export class PaymentsError extends DomainError<PaymentsErrorCode> {
  constructor(
    readonly code: PaymentsErrorCode,
    message: string,
    field?: string,
    details?: Record<string, string | number | boolean>,
  ) {
    super(message, field, details);
  }
}

/** How the API answers each of these codes. */
registerErrorCodes<PaymentsErrorCode>(PaymentsError, {
  [PaymentsErrorCode.STOP_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [PaymentsErrorCode.APPEAL_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [PaymentsErrorCode.INVALID_STOP_INPUT]: ApiErrorCode.BAD_USER_INPUT,
  [PaymentsErrorCode.UNKNOWN_BANK]: ApiErrorCode.BAD_USER_INPUT,
  [PaymentsErrorCode.CASE_CLOSED]: ApiErrorCode.CONFLICT,
  [PaymentsErrorCode.STOP_LIMIT_REACHED]: ApiErrorCode.CONFLICT,
  [PaymentsErrorCode.ILLEGAL_STOP_STATE]: ApiErrorCode.CONFLICT,
  [PaymentsErrorCode.FREEZE_NEEDS_TWO_STOPS]: ApiErrorCode.CONFLICT,
  [PaymentsErrorCode.FREEZE_SELF_APPROVAL]: ApiErrorCode.FORBIDDEN,
  [PaymentsErrorCode.APPEAL_CONFLICT]: ApiErrorCode.CONFLICT,
  [PaymentsErrorCode.APPEAL_RATE_LIMITED]: ApiErrorCode.RATE_LIMITED,
  [PaymentsErrorCode.STOP_BUSY]: ApiErrorCode.CONFLICT,
});
