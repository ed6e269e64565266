import {
  identifierKey,
  normalizeIdentifier,
  noticeOf,
  noticeWarning,
  warninglistLookup,
  type IdentifierKind,
  type IdentifierNotice,
  type NormalizeOptions,
} from '../identifiers';
import type { StoredIdentifier } from '../reports/prepare-report';

/** One parsed row of an import file, ready to become a report (`_id` = `<source>:<externalRef>`). */
export interface ImportRow {
  externalRef: string;
  fraudType: string;
  channel: string;
  occurredAt: Date;
  regionCode: string;
  lossFen: number;
  identifiers: StoredIdentifier[];
  /** who counts as one reporter (README "Lookup risk scoring"), and how much */
  reporterKey: string;
  weight: number;
  narrative?: string;
  original: Record<string, unknown>;
  paymentMethod?: string;
  victimAgeBand?: string;
  /** jsonl only: the reporter contact to encrypt and hash */
  contact?: { canonical: string; asTyped: string };
  warnings?: string[];
  /** identifiers kept in a weaker form (a URL without a DOMAIN, an unvalidated wallet): counted in the summary */
  notices?: IdentifierNotice[];
}

/** What a parser yields per record: a row, or the reason it was rejected, with the file's line number. */
export type ParsedRecord = { line: number; row: ImportRow } | { line: number; reason: string };

/**
 * Normalises one identifier of an import row; the reason when it is not recognisable. `notices` and `warnings`
 * say what was kept in a weaker form (see identifiers/notices.ts).
 */
export function importIdentifier(
  kind: IdentifierKind,
  value: string,
  confidence: number,
  opts: NormalizeOptions = {},
): { ids: StoredIdentifier[]; notices: IdentifierNotice[]; warnings: string[] } | { reason: string } {
  const n = normalizeIdentifier({ kind, value }, opts);
  if (!n.ok) return { reason: `${kind} ${n.reason}` };
  const all = [n.identifier, ...n.derived];
  const notices: IdentifierNotice[] = [];
  const warnings: string[] = [];
  for (const id of all) {
    const notice = noticeOf(id);
    if (notice) notices.push(notice);
    const warning = noticeWarning(id);
    if (warning) warnings.push(warning);
  }
  return { ids: all.map((id) => stored(id, confidence)), notices, warnings };
}

function stored(id: { kind: IdentifierKind; value: string; display: string }, confidence: number): StoredIdentifier {
  const s: StoredIdentifier = {
    kind: id.kind,
    value: id.value,
    display: id.display,
    key: identifierKey(id.kind, id.value),
    origin: 'TYPED',
    confidence,
  };
  if (warninglistLookup(id)) s.warninglisted = true;
  return s;
}

/** Removes identifiers with a key already present (first wins). */
export function dedupe(ids: StoredIdentifier[]): StoredIdentifier[] {
  const seen = new Set<string>();
  return ids.filter((i) => (seen.has(i.key) ? false : (seen.add(i.key), true)));
}
