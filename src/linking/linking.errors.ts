import { ApiErrorCode } from '../common/errors/api-error-code';
import { DomainError } from '../common/errors/domain-error';
import { registerErrorCodes } from '../common/errors/error-mapping';

export enum LinkingErrorCode {
  REPORT_NOT_FOUND = 'REPORT_NOT_FOUND',
  /** The report exists but has not been linked yet (its `report.link` job is still queued). */
  REPORT_NOT_LINKED = 'REPORT_NOT_LINKED',
  CLUSTER_NOT_FOUND = 'CLUSTER_NOT_FOUND',
  IDENTIFIER_NOT_FOUND = 'IDENTIFIER_NOT_FOUND',
  /** The value is not a recognisable identifier of that kind. */
  INVALID_IDENTIFIER = 'INVALID_IDENTIFIER',
  /** The report does not carry that identifier, attached or detached (detach, reattach). */
  IDENTIFIER_NOT_CARRIED = 'IDENTIFIER_NOT_CARRIED',
  /** unlinkReports: the two reports have no explicit investigator link (nothing to remove). */
  NOT_LINKED = 'NOT_LINKED',
  /** reattachIdentifier: the report carries the identifier but it is not detached (nothing to move back). */
  IDENTIFIER_NOT_DETACHED = 'IDENTIFIER_NOT_DETACHED',
  INVALID_GRAPH_ROOT = 'INVALID_GRAPH_ROOT',
  SELF_LINK = 'SELF_LINK',
  /** ALWAYS on a warninglisted value (an official number, a platform domain): it must never link reports. */
  IDENTIFIER_WARNINGLISTED = 'IDENTIFIER_WARNINGLISTED',
  /** A subscription filter given empty (omit it to mean "all"). */
  EMPTY_FILTER = 'EMPTY_FILTER',
  REASON_REQUIRED = 'REASON_REQUIRED',
  /** The linking lock was not free within LINK_LOCK_WAIT_MS (heavy import or recluster running): retry. */
  LINKING_BUSY = 'LINKING_BUSY',
  /** A `recluster` was interrupted: linking refuses to run until `siqian recluster` completes. */
  RECLUSTER_REQUIRED = 'RECLUSTER_REQUIRED',
}

export class LinkingError extends DomainError<LinkingErrorCode> {
  constructor(
    readonly code: LinkingErrorCode,
    message: string,
    field?: string,
    details?: Record<string, string | number | boolean>,
  ) {
    super(message, field, details);
  }
}

/** How the API answers each of these codes. */
registerErrorCodes<LinkingErrorCode>(LinkingError, {
  [LinkingErrorCode.REPORT_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [LinkingErrorCode.REPORT_NOT_LINKED]: ApiErrorCode.CONFLICT,
  [LinkingErrorCode.CLUSTER_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [LinkingErrorCode.IDENTIFIER_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [LinkingErrorCode.INVALID_IDENTIFIER]: ApiErrorCode.BAD_USER_INPUT,
  [LinkingErrorCode.IDENTIFIER_NOT_CARRIED]: ApiErrorCode.BAD_USER_INPUT,
  [LinkingErrorCode.NOT_LINKED]: ApiErrorCode.CONFLICT,
  [LinkingErrorCode.IDENTIFIER_NOT_DETACHED]: ApiErrorCode.CONFLICT,
  [LinkingErrorCode.INVALID_GRAPH_ROOT]: ApiErrorCode.BAD_USER_INPUT,
  [LinkingErrorCode.SELF_LINK]: ApiErrorCode.BAD_USER_INPUT,
  [LinkingErrorCode.REASON_REQUIRED]: ApiErrorCode.BAD_USER_INPUT,
  [LinkingErrorCode.IDENTIFIER_WARNINGLISTED]: ApiErrorCode.BAD_USER_INPUT,
  [LinkingErrorCode.EMPTY_FILTER]: ApiErrorCode.BAD_USER_INPUT,
  [LinkingErrorCode.LINKING_BUSY]: ApiErrorCode.CONFLICT,
  [LinkingErrorCode.RECLUSTER_REQUIRED]: ApiErrorCode.CONFLICT,
});
