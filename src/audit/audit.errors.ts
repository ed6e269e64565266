import { ApiErrorCode } from '../common/errors/api-error-code';
import { DomainError } from '../common/errors/domain-error';
import { registerErrorCodes } from '../common/errors/error-mapping';

export enum AuditErrorCode {
  /** `filter.from` is after `filter.to`. */
  BAD_TIME_RANGE = 'BAD_TIME_RANGE',
}

export class AuditError extends DomainError<AuditErrorCode> {
  constructor(
    readonly code: AuditErrorCode,
    message: string,
    field?: string,
  ) {
    super(message, field);
  }
}

/** How the API answers each of these codes. */
registerErrorCodes<AuditErrorCode>(AuditError, {
  [AuditErrorCode.BAD_TIME_RANGE]: ApiErrorCode.BAD_USER_INPUT,
});
