import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { tw165Content } from './parsers/tw165';

/**
 * Hex characters of SHA-256 kept as a record's content digest: it only has to tell apart records that share a
 * source id (a handful), so 64 bits are far beyond need, and report ids stay short.
 */
const DIGEST_HEX = 16;

/** Formats whose content is canonicalised further than key order (see the parser named). */
const CONTENT: Readonly<Record<string, (original: Record<string, unknown>) => Record<string, unknown>>> = {
  tw165: tw165Content,
};

/**
 * The digest of an imported record's content: SHA-256 of the RFC 8785 canonical JSON of what its report keeps
 * of it (`original`), so key order does not matter, and an absent, undefined or null field are alike (the store
 * may keep an undefined field as null). It is a function of `original` alone because a report imported before
 * reports carried a digest is compared by the digest of its stored `original`. Changing what a parser keeps in
 * `original` therefore changes its records' digests, and a re-import would add them again: content-key.spec
 * pins one digest per format.
 */
export function contentDigest(source: string, original: Record<string, unknown>): string {
  const content = present(original) as Record<string, unknown>;
  const canonical = canonicalize(CONTENT[source]?.(content) ?? content) ?? '';
  return createHash('sha256').update(canonical).digest('hex').slice(0, DIGEST_HEX);
}

/**
 * An imported report's `_id`. A source id is not always unique (EtherScamDB gives one id to different records),
 * so a report is keyed on its source id and its content: the first content of a source id in the store keeps
 * the plain `<source>:<externalRef>` (the only form before digests, so stores imported then are not duplicated),
 * every other content of it is `<source>:<externalRef>~<digest>`.
 */
export function importId(source: string, externalRef: string, digest?: string): string {
  return digest === undefined ? `${source}:${externalRef}` : `${source}:${externalRef}~${digest}`;
}

/** The value without undefined or null fields, at any depth (dates and other values as they are). */
function present(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(present);
  if (typeof v !== 'object' || v === null || v instanceof Date) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) out[k] = present(x);
  return out;
}
