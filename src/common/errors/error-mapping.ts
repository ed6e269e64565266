import { ApiErrorCode } from './api-error-code';
import { CommonErrorCode } from './common.errors';
import { SystemErrorCode } from '../../system/system.errors';

/** Every domain error code of every feature. A feature adds its enum here and its cases below. */
export type DomainErrorCode = CommonErrorCode | SystemErrorCode;

/** THE mapping from domain codes to API codes. Exhaustive: a new code that is not mapped fails to compile. */
export function apiCodeFor(code: DomainErrorCode): ApiErrorCode {
  switch (code) {
    case CommonErrorCode.VALIDATION_FAILED:
      return ApiErrorCode.BAD_USER_INPUT;
    case CommonErrorCode.NOT_AUTHENTICATED:
      return ApiErrorCode.UNAUTHENTICATED;
    case CommonErrorCode.NOT_ALLOWED:
    case CommonErrorCode.DISABLED_FEATURE:
      return ApiErrorCode.FORBIDDEN;
    case CommonErrorCode.RATE_LIMIT_EXCEEDED:
      return ApiErrorCode.RATE_LIMITED;
    case CommonErrorCode.TOO_COMPLEX:
      return ApiErrorCode.QUERY_TOO_COMPLEX;
    case SystemErrorCode.PING_NOT_FOUND:
      return ApiErrorCode.NOT_FOUND;
    default: {
      const unmapped: never = code;
      return unmapped;
    }
  }
}
