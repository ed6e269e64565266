/**
 * From a submitted report (GraphQL input or a JSONL line) to what is stored: every rule that needs the
 * identifier library or the configured limits, in plain TypeScript (no Nest), shared by `submitReport` and
 * `import --format jsonl`. Never throws on hostile input: returns the first failing field instead.
 */
import { withoutBidiControls } from '../common/graphql/text.rules';
import {
  extractIdentifiers,
  identifierKey,
  isIdentifierKind,
  normalizeIdentifier,
  noticeOf,
  warninglistLookup,
  type IdentifierKind,
  type NormalizedIdentifier,
} from '../identifiers';
import { FraudType } from '../reference/enums';
import { Notice, notices } from './notices';
import { ReferenceService } from '../reference/reference.service';
import {
  CONTROL_CHARS,
  MAX_CLIENT_REQUEST_ID,
  MAX_CONTACT,
  MAX_IDENTIFIER_VALUE,
  MAX_IDENTIFIERS,
  MAX_NARRATIVE,
} from './dto/submit-report.input';
import { AgeBand, ContactChannel, PaymentMethod } from './enums';

/** Identifiers found in a narrative beyond this many are ignored (with a warning). */
export const MAX_NARRATIVE_IDENTIFIERS = 40;
/** Clock skew tolerated on `occurredAt`. */
export const FUTURE_SKEW_MS = 5 * 60_000;

export type IdentifierOrigin = 'TYPED' | 'NARRATIVE';

export interface StoredIdentifier {
  kind: IdentifierKind;
  value: string;
  display: string;
  /** identifierKey(kind, value): the _id of its identifier_stats document */
  key: string;
  origin: IdentifierOrigin;
  /** 1 for typed identifiers, the extractor's confidence for narrative hits */
  confidence: number;
  /** present (true) for warninglisted values: kept as evidence, never counted against the value */
  warninglisted?: true;
}

export interface OriginalInput {
  fraudType: string;
  channel: string;
  occurredAt: Date;
  regionCode: string;
  identifiers?: { kind?: string; value: string }[];
  /** redacted: resident ID numbers are never stored */
  narrative?: string;
  lossFen?: number;
  paymentMethod?: string;
  victimAgeBand?: string;
  clientRequestId?: string;
}

export interface PreparedReport {
  fraudType: FraudType;
  channel: ContactChannel;
  occurredAt: Date;
  regionCode: string;
  lossFen: number;
  paymentMethod?: PaymentMethod;
  victimAgeBand?: AgeBand;
  narrative?: string;
  identifiers: StoredIdentifier[];
  original: OriginalInput;
  /** what the receipt warns about, in both languages */
  notices: Notice[];
  /** the same in English (what an import row keeps) */
  warnings: string[];
  /** canonical reporter contact (PHONE or EMAIL value), to be encrypted and hashed by the caller */
  contact?: { kind: 'PHONE' | 'EMAIL'; canonical: string; asTyped: string };
  clientRequestId?: string;
}

export type PrepareResult =
  { ok: true; report: PreparedReport } | { ok: false; field: string; message: string; noIdentifier?: boolean };

export interface PrepareOptions {
  now: Date;
  maxLossFen: number;
  maxAgeDays: number;
  /** checked only when true (imports file reports under a placeholder region) */
  checkRegion?: boolean;
}

const reference = new ReferenceService();
const FRAUD_TYPES = new Set<string>(Object.values(FraudType));
const CHANNELS = new Set<string>(Object.values(ContactChannel));
const PAYMENT = new Set<string>(Object.values(PaymentMethod));
const AGES = new Set<string>(Object.values(AgeBand));

const fail = (field: string, message: string): PrepareResult => ({ ok: false, field, message: `${field}: ${message}` });
const isStr = (v: unknown): v is string => typeof v === 'string';
const absent = (v: unknown): boolean => v === undefined || v === null;

/** Validates and normalises one report. `raw` may be anything (a parsed JSON line included). */
export function prepareReport(raw: unknown, opts: PrepareOptions): PrepareResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('input', 'must be an object');
  const r = raw as Record<string, unknown>;
  if (!isStr(r.fraudType) || !FRAUD_TYPES.has(r.fraudType)) return fail('input.fraudType', 'must be a FraudType');
  if (!isStr(r.channel) || !CHANNELS.has(r.channel)) return fail('input.channel', 'must be a ContactChannel');
  const occurredAt =
    r.occurredAt instanceof Date ? r.occurredAt : isStr(r.occurredAt) ? new Date(r.occurredAt) : undefined;
  if (!occurredAt || Number.isNaN(occurredAt.getTime())) return fail('input.occurredAt', 'must be a date-time');
  if (occurredAt.getTime() > opts.now.getTime() + FUTURE_SKEW_MS)
    return fail('input.occurredAt', 'must not be in the future');
  if (occurredAt.getTime() < opts.now.getTime() - opts.maxAgeDays * 86_400_000) {
    return fail('input.occurredAt', `must be within the last ${opts.maxAgeDays} days`);
  }
  if (!isStr(r.regionCode) || (opts.checkRegion !== false && !reference.isRegion(r.regionCode))) {
    return fail('input.regionCode', 'must be a region code of the `regions` list (e.g. DG01)');
  }
  let lossFen = 0;
  if (!absent(r.loss)) {
    if (typeof r.loss !== 'number' || !Number.isSafeInteger(r.loss) || r.loss < 0)
      return fail('input.loss', 'must be Money ≥ 0');
    if (r.loss > opts.maxLossFen) return fail('input.loss', `must not exceed ${opts.maxLossFen / 100} yuan`);
    lossFen = r.loss;
  }
  if (!absent(r.paymentMethod) && !(isStr(r.paymentMethod) && PAYMENT.has(r.paymentMethod))) {
    return fail('input.paymentMethod', 'must be a PaymentMethod');
  }
  if (!absent(r.victimAgeBand) && !(isStr(r.victimAgeBand) && AGES.has(r.victimAgeBand))) {
    return fail('input.victimAgeBand', 'must be an AgeBand');
  }
  if (
    !absent(r.narrative) &&
    (!isStr(r.narrative) || r.narrative.length > MAX_NARRATIVE || CONTROL_CHARS.test(r.narrative))
  ) {
    return fail('input.narrative', `must be text of at most ${MAX_NARRATIVE} characters without control characters`);
  }
  if (!absent(r.clientRequestId)) {
    const c = r.clientRequestId;
    if (!isStr(c) || c.length < 1 || c.length > MAX_CLIENT_REQUEST_ID || hasControlCharacter(c)) {
      return fail('input.clientRequestId', `must be 1 to ${MAX_CLIENT_REQUEST_ID} printable characters`);
    }
  }

  // reporter contact: a phone (mainland numbering by default) or an e-mail address
  let contact: PreparedReport['contact'];
  if (!absent(r.reporterContact)) {
    const c = r.reporterContact;
    if (!isStr(c) || c.length > MAX_CONTACT)
      return fail('input.reporterContact', 'must be a phone number or an e-mail address');
    if (c.trim() !== '') {
      const kind = c.includes('@') || c.includes('＠') ? 'EMAIL' : 'PHONE';
      const n = normalizeIdentifier({ kind, value: c });
      if (!n.ok) return fail('input.reporterContact', 'must be a phone number or an e-mail address');
      contact = { kind, canonical: n.identifier.value, asTyped: c };
    }
  }

  // identifiers typed in: each must be recognisable
  const warnings: Notice[] = [];
  const byKey = new Map<string, StoredIdentifier>();
  const typedOriginal: { kind?: string; value: string }[] = [];
  const add = (id: NormalizedIdentifier, origin: IdentifierOrigin, confidence: number) => {
    const key = identifierKey(id.kind, id.value);
    if (byKey.has(key)) return;
    const stored: StoredIdentifier = { kind: id.kind, value: id.value, display: id.display, key, origin, confidence };
    const listed = warninglistLookup(id);
    if (listed) {
      stored.warninglisted = true;
      warnings.push(notices.warninglisted(id.display, id.kind, listed.note, listed.noteEn));
    }
    const kept = noticeOf(id);
    if (kept) warnings.push(notices.identifierKept(id.display, kept));
    byKey.set(key, stored);
  };
  if (!absent(r.identifiers)) {
    if (!Array.isArray(r.identifiers)) return fail('input.identifiers', 'must be a list');
    if (r.identifiers.length > MAX_IDENTIFIERS)
      return fail('input.identifiers', `must contain no more than ${MAX_IDENTIFIERS} elements`);
    for (let i = 0; i < r.identifiers.length; i++) {
      const item = r.identifiers[i] as Record<string, unknown> | null;
      const field = `input.identifiers.${i}`;
      if (typeof item !== 'object' || item === null) return fail(field, 'must be an IdentifierInput');
      if (!absent(item.kind) && !isIdentifierKind(item.kind)) return fail(`${field}.kind`, 'must be an IdentifierKind');
      if (!isStr(item.value) || item.value.length > MAX_IDENTIFIER_VALUE) {
        return fail(`${field}.value`, `must be text of at most ${MAX_IDENTIFIER_VALUE} characters`);
      }
      const kind = absent(item.kind) ? undefined : (item.kind as IdentifierKind);
      const n = normalizeIdentifier({ kind, value: item.value });
      // the value itself is never echoed: it may be personal data (a resident ID number)
      if (!n.ok) return fail(`${field}.value`, `not a recognisable ${kind ?? 'identifier'} (${n.reason})`);
      add(n.identifier, 'TYPED', 1);
      for (const d of n.derived) add(d, 'TYPED', 1);
      typedOriginal.push(kind ? { kind, value: item.value } : { value: item.value });
    }
  }

  // the narrative: identifiers found in it, resident ID numbers redacted before anything is stored
  let narrative: string | undefined;
  if (isStr(r.narrative) && withoutBidiControls(r.narrative) !== '') {
    // bidi controls removed (the API's transform does it for submitReport; imported rows come here raw)
    const ex = extractIdentifiers(withoutBidiControls(r.narrative));
    narrative = ex.redactedText;
    if (ex.redactions.length > 0) warnings.push(notices.idNumberRemoved());
    let taken = 0;
    for (const h of ex.hits) {
      if (taken >= MAX_NARRATIVE_IDENTIFIERS) {
        warnings.push(notices.narrativeIdentifiersCapped(MAX_NARRATIVE_IDENTIFIERS));
        break;
      }
      const before = byKey.size;
      add(h, 'NARRATIVE', h.confidence);
      if (byKey.size > before) taken++;
    }
  }
  if (byKey.size === 0) {
    const message =
      'a report needs at least one phone number, account, URL, wallet or other identifier, typed in or in the narrative';
    return { ok: false, field: 'input.identifiers', message: `input.identifiers: ${message}`, noIdentifier: true };
  }

  const original: OriginalInput = {
    fraudType: r.fraudType,
    channel: r.channel,
    occurredAt,
    regionCode: r.regionCode,
  };
  if (typedOriginal.length) original.identifiers = typedOriginal;
  if (narrative !== undefined) original.narrative = narrative;
  if (!absent(r.loss)) original.lossFen = lossFen;
  if (isStr(r.paymentMethod)) original.paymentMethod = r.paymentMethod;
  if (isStr(r.victimAgeBand)) original.victimAgeBand = r.victimAgeBand;
  if (isStr(r.clientRequestId)) original.clientRequestId = r.clientRequestId;

  const report: PreparedReport = {
    fraudType: r.fraudType as FraudType,
    channel: r.channel as ContactChannel,
    occurredAt,
    regionCode: r.regionCode,
    lossFen,
    identifiers: [...byKey.values()],
    original,
    notices: warnings,
    warnings: warnings.map((w) => w.en),
  };
  if (isStr(r.paymentMethod)) report.paymentMethod = r.paymentMethod as PaymentMethod;
  if (isStr(r.victimAgeBand)) report.victimAgeBand = r.victimAgeBand as AgeBand;
  if (narrative !== undefined) report.narrative = narrative;
  if (contact) report.contact = contact;
  if (isStr(r.clientRequestId)) report.clientRequestId = r.clientRequestId;
  return { ok: true, report };
}

/** True when the string holds a C0 control character or DEL (client request ids must be printable). */
function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
