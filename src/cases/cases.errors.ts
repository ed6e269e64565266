import { ApiErrorCode } from '../common/errors/api-error-code';
import { DomainError } from '../common/errors/domain-error';
import { registerErrorCodes } from '../common/errors/error-mapping';

export enum CasesErrorCode {
  CASE_NOT_FOUND = 'CASE_NOT_FOUND',
  TASK_NOT_FOUND = 'TASK_NOT_FOUND',
  REPORT_NOT_FOUND = 'REPORT_NOT_FOUND',
  /** The report is in another case already (move it with mergeCases). */
  REPORT_IN_OTHER_CASE = 'REPORT_IN_OTHER_CASE',
  /** The move is not one of the lifecycle's; the message names the allowed ones. */
  ILLEGAL_TRANSITION = 'ILLEGAL_TRANSITION',
  /** Closing with mandatory tasks still open; the message names them. */
  MANDATORY_TASKS_OPEN = 'MANDATORY_TASKS_OPEN',
  /** A closed or merged case takes no more work until it is reopened. */
  CASE_CLOSED = 'CASE_CLOSED',
  CASE_MERGED = 'CASE_MERGED',
  REASON_REQUIRED = 'REASON_REQUIRED',
  UNKNOWN_UNIT = 'UNKNOWN_UNIT',
  /** The assignee is not an enabled investigator of the case's unit. */
  BAD_ASSIGNEE = 'BAD_ASSIGNEE',
  TASK_DONE = 'TASK_DONE',
  /** Another edit of the case held it too long; retry. */
  CASE_BUSY = 'CASE_BUSY',
  /** A case holds at most this many reports, tasks, notes or evidence items. */
  TOO_MANY = 'TOO_MANY',
  BAD_INPUT = 'BAD_INPUT',
  /** confirmIdentifier: the identifier is not carried by any report of the case. */
  IDENTIFIER_NOT_IN_CASE = 'IDENTIFIER_NOT_IN_CASE',
  /** confirmIdentifier on a warninglisted value (an official number, a bank's own domain). */
  IDENTIFIER_WARNINGLISTED = 'IDENTIFIER_WARNINGLISTED',
}

export class CasesError extends DomainError<CasesErrorCode> {
  constructor(
    readonly code: CasesErrorCode,
    message: string,
    field?: string,
  ) {
    super(message, field);
  }
}

registerErrorCodes<CasesErrorCode>(CasesError, {
  [CasesErrorCode.CASE_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [CasesErrorCode.TASK_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [CasesErrorCode.REPORT_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [CasesErrorCode.REPORT_IN_OTHER_CASE]: ApiErrorCode.CONFLICT,
  [CasesErrorCode.ILLEGAL_TRANSITION]: ApiErrorCode.CONFLICT,
  [CasesErrorCode.MANDATORY_TASKS_OPEN]: ApiErrorCode.CONFLICT,
  [CasesErrorCode.CASE_CLOSED]: ApiErrorCode.CONFLICT,
  [CasesErrorCode.CASE_MERGED]: ApiErrorCode.CONFLICT,
  [CasesErrorCode.REASON_REQUIRED]: ApiErrorCode.BAD_USER_INPUT,
  [CasesErrorCode.UNKNOWN_UNIT]: ApiErrorCode.BAD_USER_INPUT,
  [CasesErrorCode.BAD_ASSIGNEE]: ApiErrorCode.BAD_USER_INPUT,
  [CasesErrorCode.TASK_DONE]: ApiErrorCode.CONFLICT,
  [CasesErrorCode.CASE_BUSY]: ApiErrorCode.CONFLICT,
  [CasesErrorCode.TOO_MANY]: ApiErrorCode.BAD_USER_INPUT,
  [CasesErrorCode.BAD_INPUT]: ApiErrorCode.BAD_USER_INPUT,
  [CasesErrorCode.IDENTIFIER_NOT_IN_CASE]: ApiErrorCode.BAD_USER_INPUT,
  [CasesErrorCode.IDENTIFIER_WARNINGLISTED]: ApiErrorCode.CONFLICT,
});
