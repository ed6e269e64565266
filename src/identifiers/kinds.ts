/**
 * Identifier kinds, reject reasons and result shapes shared by every normaliser. Plain TypeScript, no Nest.
 */
export const IDENTIFIER_KINDS = [
  'PHONE',
  'BANK_ACCOUNT',
  'PAYMENT_ACCOUNT',
  'URL',
  'DOMAIN',
  'WECHAT_ID',
  'QQ_ID',
  'EMAIL',
  'CRYPTO_WALLET',
  'IP',
  'APP',
] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/**
 * Why a value was not accepted as an identifier.
 * - EMPTY: nothing left after trimming / removing separators.
 * - TOO_SHORT / TOO_LONG: outside the length range of the kind (any input over {@link MAX_INPUT_LENGTH} is TOO_LONG).
 * - BAD_CHECKSUM: the format is right but a check digit / checksum fails (Luhn is NOT used to reject accounts,
 *   only to classify cards; checksums reject wallets, EIP-55 mixed-case addresses).
 * - UNKNOWN_FORMAT: not recognisable as the kind (or, with the kind omitted, as any kind).
 * - AMBIGUOUS: with the kind omitted, a value several kinds could be (a word of letters, 5–9 bare digits).
 * - INVALID_PHONE: digits of a plausible length that are not a valid number in the region's numbering plan.
 * - UNSUPPORTED_KIND: the kind given is not one of {@link IDENTIFIER_KINDS}.
 * - PERSONAL_DATA: a Chinese resident ID number (GB 11643); it is a victim's personal data, never an identifier.
 * - INVALID_CHARACTER: NUL / control characters, or a canonical value that would start with '$'.
 * - UNSUPPORTED_SCHEME: a URL whose scheme is not http/https.
 * - NOT_REGISTRABLE: a host without a registrable domain under the public suffix list (unknown TLD, a bare
 *   public suffix such as `github.io` or `com.cn`, `localhost`).
 * - NOT_PUBLIC: an IP address outside public unicast space (private, loopback, link-local, reserved ...).
 * - MISSING_PROVIDER / UNKNOWN_PROVIDER: a PAYMENT_ACCOUNT without / with an unknown `provider:` prefix.
 * - INVALID_BIC: the SWIFT/BIC given with a bank account is malformed.
 */
export type RejectReason =
  | 'EMPTY'
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'BAD_CHECKSUM'
  | 'UNKNOWN_FORMAT'
  | 'AMBIGUOUS'
  | 'INVALID_PHONE'
  | 'UNSUPPORTED_KIND'
  | 'PERSONAL_DATA'
  | 'INVALID_CHARACTER'
  | 'UNSUPPORTED_SCHEME'
  | 'NOT_REGISTRABLE'
  | 'NOT_PUBLIC'
  | 'MISSING_PROVIDER'
  | 'UNKNOWN_PROVIDER'
  | 'INVALID_BIC';

export const REJECT_REASONS: readonly RejectReason[] = [
  'EMPTY',
  'TOO_SHORT',
  'TOO_LONG',
  'BAD_CHECKSUM',
  'UNKNOWN_FORMAT',
  'AMBIGUOUS',
  'INVALID_PHONE',
  'UNSUPPORTED_KIND',
  'PERSONAL_DATA',
  'INVALID_CHARACTER',
  'UNSUPPORTED_SCHEME',
  'NOT_REGISTRABLE',
  'NOT_PUBLIC',
  'MISSING_PROVIDER',
  'UNKNOWN_PROVIDER',
  'INVALID_BIC',
];

export interface NormalizedIdentifier {
  kind: IdentifierKind;
  /** canonical: the linking key */
  value: string;
  /** human-readable form */
  display: string;
  attributes?: Record<string, string | boolean>;
}

export interface NormalizeOptions {
  /** ISO 3166 alpha-2 region for numbers written without a country code; default 'CN' */
  defaultRegion?: string;
  /** SWIFT/BIC given by the source for a BANK_ACCOUNT */
  bic?: string;
  /** the coin a source names for a CRYPTO_WALLET (EtherScamDB's `coin`: NEO, XLM, EOS, AXB ...): tells EOS account
   * names from words, and keeps an address of a format no check knows as an opaque value */
  coin?: string;
}

export type NormalizeResult =
  | { ok: true; identifier: NormalizedIdentifier; derived: NormalizedIdentifier[] }
  | { ok: false; reason: RejectReason; detail: string };

/** Inputs longer than this (UTF-16 code units) are rejected as TOO_LONG before any work is done. */
export const MAX_INPUT_LENGTH = 2048;

export function isIdentifierKind(k: unknown): k is IdentifierKind {
  return typeof k === 'string' && (IDENTIFIER_KINDS as readonly string[]).includes(k);
}

/** Deterministic store _id of an identifier: `${kind}:${value}`, e.g. 'PHONE:+8613800138000'. */
export function identifierKey(kind: IdentifierKind, value: string): string {
  return `${kind}:${value}`;
}

export function accept(identifier: NormalizedIdentifier, derived: NormalizedIdentifier[] = []): NormalizeResult {
  return { ok: true, identifier, derived };
}

export function reject(reason: RejectReason, detail: string): NormalizeResult {
  return { ok: false, reason, detail };
}
