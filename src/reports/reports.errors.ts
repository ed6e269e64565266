import { ApiErrorCode } from '../common/errors/api-error-code';
import { REJECT_REASON_TEXT, type RejectReason } from '../identifiers';
import { DomainError } from '../common/errors/domain-error';
import { registerErrorCodes } from '../common/errors/error-mapping';

export enum ReportsErrorCode {
  /** A field failed a rule that needs the config or the identifier library (dates, loss ceiling, identifiers). */
  INVALID_REPORT = 'INVALID_REPORT',
  /** Neither a typed identifier nor one in the narrative. */
  NO_IDENTIFIER = 'NO_IDENTIFIER',
  /** A lookup of a value that is no recognisable identifier (`identifierReason` says why). */
  NOT_AN_IDENTIFIER = 'NOT_AN_IDENTIFIER',
  SUBMIT_RATE_LIMITED = 'SUBMIT_RATE_LIMITED',
  LOOKUP_RATE_LIMITED = 'LOOKUP_RATE_LIMITED',
  /** The same clientRequestId is being processed by another request right now; retry. */
  REQUEST_IN_PROGRESS = 'REQUEST_IN_PROGRESS',
}

export class ReportsError extends DomainError<ReportsErrorCode> {
  constructor(
    readonly code: ReportsErrorCode,
    message: string,
    field?: string,
    details?: Record<string, string | number | boolean>,
  ) {
    super(message, field, details);
  }
}

/** How the API answers each of these codes. */
registerErrorCodes<ReportsErrorCode>(ReportsError, {
  [ReportsErrorCode.INVALID_REPORT]: ApiErrorCode.BAD_USER_INPUT,
  [ReportsErrorCode.NO_IDENTIFIER]: ApiErrorCode.BAD_USER_INPUT,
  [ReportsErrorCode.NOT_AN_IDENTIFIER]: ApiErrorCode.BAD_USER_INPUT,
  [ReportsErrorCode.SUBMIT_RATE_LIMITED]: ApiErrorCode.RATE_LIMITED,
  [ReportsErrorCode.LOOKUP_RATE_LIMITED]: ApiErrorCode.RATE_LIMITED,
  [ReportsErrorCode.REQUEST_IN_PROGRESS]: ApiErrorCode.CONFLICT,
});
/** The public lookup's refusal of a value it cannot read, in Chinese and English, without repeating the value. */
export function notAnIdentifier(reason: RejectReason): ReportsError {
  const why = REJECT_REASON_TEXT[reason];
  return new ReportsError(
    ReportsErrorCode.NOT_AN_IDENTIFIER,
    `无法识别为可查询的标识：${why.zh} / not a recognisable identifier: ${why.en}`,
    'value',
    { identifierReason: reason },
  );
}
