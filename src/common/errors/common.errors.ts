import { DomainError } from './domain-error';

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
