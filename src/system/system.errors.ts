import { DomainError } from '../common/errors/domain-error';

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
