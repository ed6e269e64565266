/**
 * Warninglist: values that must never link reports (data/warninglist.v1.json: emergency, official, bank,
 * payment-platform and carrier numbers) plus platform DOMAINs (data/platform-domains.v1.json). The public lookup
 * shows the note.
 */
import warninglistData from './data/warninglist.v1.json';
import { isIdentifierKind, type IdentifierKind } from './kinds';
import { PLATFORM_DOMAINS_VERSION, platformEntries, platformForDomain } from './platform';

export interface WarninglistEntry {
  kind: IdentifierKind;
  value: string;
  note: string;
  noteEn: string;
  category: string;
}

interface WarninglistFile {
  version: string;
  entries: { kind: string; value: string; note: string; noteEn: string; category: string }[];
}

const file = warninglistData as WarninglistFile;

/** Version of both data files, e.g. `1.0.0+platform-1.0.0`; bump when either file changes. */
export const WARNINGLIST_VERSION = `${file.version}+platform-${PLATFORM_DOMAINS_VERSION}`;

const entries = new Map<string, WarninglistEntry>();
for (const e of file.entries) {
  if (!isIdentifierKind(e.kind)) throw new Error(`warninglist: unknown kind ${e.kind}`);
  entries.set(`${e.kind}:${e.value}`, {
    kind: e.kind,
    value: e.value,
    note: e.note,
    noteEn: e.noteEn,
    category: e.category,
  });
}

/** The warninglist entry for a canonical identifier, if any (platform DOMAINs included). */
export function warninglistLookup(id: { kind: IdentifierKind; value: string }): WarninglistEntry | undefined {
  const hit = entries.get(`${id.kind}:${id.value}`);
  if (hit) return hit;
  if (id.kind === 'DOMAIN') {
    const p = platformForDomain(id.value);
    if (p)
      return { kind: 'DOMAIN', value: id.value, note: p.note, noteEn: p.noteEn, category: `platform:${p.category}` };
  }
  return undefined;
}

/** Every entry (numbers and platform DOMAINs), for seeding and tests. */
export function warninglistEntries(): WarninglistEntry[] {
  const out = [...entries.values()];
  const seen = new Set<string>();
  for (const p of platformEntries()) {
    if (!p.domain || seen.has(p.domain)) continue;
    seen.add(p.domain);
    out.push({ kind: 'DOMAIN', value: p.domain, note: p.note, noteEn: p.noteEn, category: `platform:${p.category}` });
  }
  return out;
}
