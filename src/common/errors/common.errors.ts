import { ApiErrorCode } from './api-error-code';
import { DomainError } from './domain-error';
import { registerErrorCodes } from './error-mapping';

/** Errors raised by the shared layers (validation pipe, request guards, limits), not by one feature. */
export enum CommonErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  NOT_AUTHENTICATED = 'NOT_AUTHENTICATED',
  NOT_ALLOWED = 'NOT_ALLOWED',
  DISABLED_FEATURE = 'DISABLED_FEATURE',
  RATE_LIMIT_EXCEEDED = 'RATE_LIMIT_EXCEEDED',
  TOO_COMPLEX = 'TOO_COMPLEX',
  /** `after` is not a cursor of this list (every connection, src/common/graphql/pagination.ts). */
  BAD_CURSOR = 'BAD_CURSOR',
  /** A store query of the request was stopped at its time limit (src/database/query-time-limit.ts). */
  STORE_TIMEOUT = 'STORE_TIMEOUT',
}

export class CommonError extends DomainError<CommonErrorCode> {
  constructor(
    readonly code: CommonErrorCode,
    message: string,
    field?: string,
    details?: Record<string, string | number | boolean>,
  ) {
    super(message, field, details);
  }
}

/** How the API answers each of these codes. */
registerErrorCodes<CommonErrorCode>(CommonError, {
  [CommonErrorCode.VALIDATION_FAILED]: ApiErrorCode.BAD_USER_INPUT,
  [CommonErrorCode.BAD_CURSOR]: ApiErrorCode.BAD_USER_INPUT,
  [CommonErrorCode.NOT_AUTHENTICATED]: ApiErrorCode.UNAUTHENTICATED,
  [CommonErrorCode.NOT_ALLOWED]: ApiErrorCode.FORBIDDEN,
  [CommonErrorCode.DISABLED_FEATURE]: ApiErrorCode.FORBIDDEN,
  [CommonErrorCode.RATE_LIMIT_EXCEEDED]: ApiErrorCode.RATE_LIMITED,
  [CommonErrorCode.TOO_COMPLEX]: ApiErrorCode.QUERY_TOO_COMPLEX,
  [CommonErrorCode.STORE_TIMEOUT]: ApiErrorCode.QUERY_TOO_COMPLEX,
});
