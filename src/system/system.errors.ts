import { ApiErrorCode } from '../common/errors/api-error-code';
import { DomainError } from '../common/errors/domain-error';
import { registerErrorCodes } from '../common/errors/error-mapping';

export enum SystemErrorCode {
  PING_NOT_FOUND = 'PING_NOT_FOUND',
}

export class SystemError extends DomainError<SystemErrorCode> {
  constructor(
    readonly code: SystemErrorCode,
    message: string,
    field?: string,
  ) {
    super(message, field);
  }
}

/** How the API answers each of these codes. */
registerErrorCodes<SystemErrorCode>(SystemError, {
  [SystemErrorCode.PING_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
});
