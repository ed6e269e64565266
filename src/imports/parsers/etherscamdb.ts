import yaml from 'js-yaml';
import { EXTERNAL_REGION } from '../../reference/enums';
import { dedupe, importIdentifier, ParsedRecord } from '../import-row';
import type { IdentifierNotice } from '../../identifiers';
import type { StoredIdentifier } from '../../reports/prepare-report';
import { ByteCounter, readLines } from './lines';

/** Community reports: each record one reporter, with the weight of an unverified source. */
export const ETHERSCAMDB_WEIGHT = 0.5;
/** EtherScamDB records carry no date: filed at the list's main activity period, so they weigh as old. */
export const ETHERSCAMDB_OCCURRED_AT = new Date('2018-01-01T00:00:00Z');
const CATEGORY: Record<string, string> = { 'Fake ICO': 'FAKE_INVESTMENT', Scamming: 'FAKE_INVESTMENT' };

interface ScamRecord {
  id?: unknown;
  name?: unknown;
  url?: unknown;
  coin?: unknown;
  category?: unknown;
  subcategory?: unknown;
  description?: unknown;
  addresses?: unknown;
  reporter?: unknown;
}

/**
 * EtherScamDB scams.yaml, streamed record by record: the file is one top-level list whose items start with a
 * `-` in column 0, so each item's lines are parsed alone (constant memory). A record's URL and every address
 * are its identifiers (the record's `coin` passed on to the wallet checks); unrecognisable addresses are dropped
 * with a warning, identifiers kept in a weaker form are noted, a record with none left is rejected.
 */
export async function* parseEtherScamDb(
  file: string,
  counter: ByteCounter = { bytes: 0 },
): AsyncGenerator<ParsedRecord> {
  let buf: string[] = [];
  let start = 0;
  const flush = function* (): Generator<ParsedRecord> {
    if (buf.length === 0) return;
    const text = buf.join('\n');
    buf = [];
    let items: unknown;
    try {
      items = yaml.load(text, { schema: yaml.JSON_SCHEMA });
    } catch (e) {
      yield { line: start, reason: `not valid YAML: ${(e as Error).message.split('\n')[0]}` };
      return;
    }
    if (!Array.isArray(items) || items.length !== 1) {
      yield { line: start, reason: 'not a list item' };
      return;
    }
    yield toRecord(items[0] as ScamRecord, start);
  };
  for await (const { line, text } of readLines(file, counter)) {
    if (/^-(\s|$)/.test(text)) {
      yield* flush();
      start = line;
    }
    if (start > 0) buf.push(text);
  }
  yield* flush();
}

function toRecord(r: ScamRecord, line: number): ParsedRecord {
  if (typeof r !== 'object' || r === null) return { line, reason: 'not a mapping' };
  if (typeof r.id !== 'number' || !Number.isSafeInteger(r.id)) return { line, reason: 'no numeric id' };
  const ids: StoredIdentifier[] = [];
  const warnings: string[] = [];
  const notices: IdentifierNotice[] = [];
  // a warnings identifier and one kept in a weaker form are both said in the row's warnings
  const kept = (res: ReturnType<typeof importIdentifier>, what: string): void => {
    if (!('ids' in res)) {
      warnings.push(`${what} ${res.reason}`);
      return;
    }
    ids.push(...res.ids);
    notices.push(...res.notices);
    warnings.push(...res.warnings);
  };
  if (typeof r.url === 'string' && r.url.trim()) kept(importIdentifier('URL', r.url, 1), 'url');
  // the record's coin says which chain its addresses are of (an address of an unknown coin is kept opaque)
  const coin = typeof r.coin === 'string' ? r.coin : undefined;
  const addresses = Array.isArray(r.addresses) ? r.addresses : [];
  for (const a of addresses) kept(importIdentifier('CRYPTO_WALLET', String(a), 1, { coin }), 'address');
  if (ids.length === 0)
    return {
      line,
      reason: warnings.length ? `no recognisable identifier (${warnings.join(', ')})` : 'no url or address',
    };
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const narrative = stripControls(
    [str(r.name), str(r.category), str(r.subcategory), str(r.description)].filter(Boolean).join(' | '),
  );
  return {
    line,
    row: {
      externalRef: String(r.id),
      fraudType: CATEGORY[str(r.category) ?? ''] ?? 'OTHER',
      channel: 'WEBSITE',
      occurredAt: ETHERSCAMDB_OCCURRED_AT,
      regionCode: EXTERNAL_REGION,
      lossFen: 0,
      identifiers: dedupe(ids),
      reporterKey: `etherscamdb:${r.id}`,
      weight: ETHERSCAMDB_WEIGHT,
      paymentMethod: 'CRYPTO',
      ...(narrative ? { narrative } : {}),
      original: pickOriginal(r),
      ...(warnings.length ? { warnings } : {}),
      ...(notices.length ? { notices: [...new Set(notices)] } : {}),
    },
  };
}

/** The record's own fields only (no unknown keys: a key with `$` or `.` would be refused by the store). */
function pickOriginal(r: ScamRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['id', 'name', 'url', 'coin', 'category', 'subcategory', 'description', 'reporter'] as const) {
    const v = r[k];
    if (typeof v === 'string') out[k] = stripControls(v);
    else if (typeof v === 'number') out[k] = v;
  }
  if (Array.isArray(r.addresses)) out.addresses = r.addresses.map((a) => stripControls(String(a)));
  return out;
}

// eslint-disable-next-line no-control-regex
const stripControls = (s: string): string => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
