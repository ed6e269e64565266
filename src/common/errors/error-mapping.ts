import { ApiErrorCode } from './api-error-code';
import { CommonErrorCode } from './common.errors';
import { SystemErrorCode } from '../../system/system.errors';
import { ReportsErrorCode } from '../../reports/reports.errors';
import { AuthErrorCode } from '../../auth/auth.errors';
import { UsersErrorCode } from '../../users/users.errors';
import { AuditErrorCode } from '../../audit/audit.errors';
import { LinkingErrorCode } from '../../linking/linking.errors';

/** Every domain error code of every feature. A feature adds its enum here and its cases below. */
export type DomainErrorCode =
  | CommonErrorCode
  | SystemErrorCode
  | AuthErrorCode
  | UsersErrorCode
  | AuditErrorCode
  | ReportsErrorCode
  | LinkingErrorCode;

/** THE mapping from domain codes to API codes. Exhaustive: a new code that is not mapped fails to compile. */
export function apiCodeFor(code: DomainErrorCode): ApiErrorCode {
  switch (code) {
    case CommonErrorCode.VALIDATION_FAILED:
    case CommonErrorCode.BAD_CURSOR:
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
    case AuthErrorCode.INVALID_CREDENTIALS:
    case AuthErrorCode.ACCOUNT_DISABLED:
    case AuthErrorCode.TOKEN_MISSING:
    case AuthErrorCode.TOKEN_INVALID:
    case AuthErrorCode.TOKEN_EXPIRED:
    case AuthErrorCode.TOKEN_REVOKED:
    case AuthErrorCode.TOKEN_REUSED:
      return ApiErrorCode.UNAUTHENTICATED;
    case AuthErrorCode.MISSING_ROLE:
    case AuthErrorCode.OUT_OF_UNIT:
    case AuthErrorCode.NO_ACCESS_POLICY:
      return ApiErrorCode.FORBIDDEN;
    case AuthErrorCode.LOCKED:
    case AuthErrorCode.THROTTLED:
      return ApiErrorCode.RATE_LIMITED;
    case UsersErrorCode.USER_NOT_FOUND:
      return ApiErrorCode.NOT_FOUND;
    case UsersErrorCode.EMAIL_TAKEN:
    case UsersErrorCode.SELF_LOCKOUT:
      return ApiErrorCode.CONFLICT;
    case UsersErrorCode.UNKNOWN_UNIT:
    case UsersErrorCode.REASON_REQUIRED:
    case UsersErrorCode.UNITS_REQUIRED:
    case AuditErrorCode.BAD_TIME_RANGE:
      return ApiErrorCode.BAD_USER_INPUT;
    case ReportsErrorCode.INVALID_REPORT:
    case ReportsErrorCode.NO_IDENTIFIER:
      return ApiErrorCode.BAD_USER_INPUT;
    case ReportsErrorCode.SUBMIT_RATE_LIMITED:
    case ReportsErrorCode.LOOKUP_RATE_LIMITED:
      return ApiErrorCode.RATE_LIMITED;
    case ReportsErrorCode.REQUEST_IN_PROGRESS:
      return ApiErrorCode.CONFLICT;
    case LinkingErrorCode.REPORT_NOT_FOUND:
    case LinkingErrorCode.CLUSTER_NOT_FOUND:
    case LinkingErrorCode.IDENTIFIER_NOT_FOUND:
      return ApiErrorCode.NOT_FOUND;
    case LinkingErrorCode.INVALID_IDENTIFIER:
    case LinkingErrorCode.IDENTIFIER_NOT_CARRIED:
    case LinkingErrorCode.INVALID_GRAPH_ROOT:
    case LinkingErrorCode.SELF_LINK:
    case LinkingErrorCode.REASON_REQUIRED:
    case LinkingErrorCode.IDENTIFIER_WARNINGLISTED:
    case LinkingErrorCode.EMPTY_FILTER:
      return ApiErrorCode.BAD_USER_INPUT;
    case LinkingErrorCode.REPORT_NOT_LINKED:
    case LinkingErrorCode.LINKING_BUSY:
    case LinkingErrorCode.RECLUSTER_REQUIRED:
      return ApiErrorCode.CONFLICT;
    default: {
      const unmapped: never = code;
      return unmapped;
    }
  }
}
