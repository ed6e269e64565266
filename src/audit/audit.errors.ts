import { DomainError } from '../common/errors/domain-error';

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
