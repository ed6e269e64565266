/**
 * Identifiers: extraction and normalisation of every kind of fraud identifier. Plain TypeScript, no Nest.
 */
export {
  IDENTIFIER_KINDS,
  REJECT_REASONS,
  MAX_INPUT_LENGTH,
  identifierKey,
  isIdentifierKind,
  type IdentifierKind,
  type RejectReason,
  type NormalizedIdentifier,
  type NormalizeOptions,
  type NormalizeResult,
} from './kinds';
export { normalizeIdentifier, detectKind } from './normalize';
export { extractIdentifiers, CONFIDENCE } from './extract';
export type { ExtractHit, ExtractResult, Redaction } from './extract-types';
export { warninglistLookup, warninglistEntries, WARNINGLIST_VERSION, type WarninglistEntry } from './warninglist';
export { DEFAULT_DEGREE_CAPS, parseDegreeCaps } from './degree-caps';
export { isCnResidentId } from './resident-id';
export { luhnValid } from './bank';
export { REJECT_REASON_TEXT } from './reasons';
export { noticeOf, noticeWarning, NOTICE_TEXT, type IdentifierNotice } from './notices';
