/**
 * extractIdentifiers: finds identifiers in free text (narratives, SMS, chat logs).
 *
 * One pass of candidate scanning with a single combined regex (bounded quantifiers only, no nested unbounded
 * repetition, so the scan is linear), then validation of each candidate by the kind's normaliser and by its
 * context (amounts, dates, times, order numbers must not become phones or cards). Full-width forms are matched by
 * the regex itself and folded (NFKC) per candidate, so offsets are always offsets into the original string, in
 * UTF-16 code units as JavaScript indexes strings.
 *
 * Chinese resident ID numbers are redacted, never returned as hits: `redactedText` is the original text with each
 * redaction replaced by the same number of '*' (same length, so every offset stays valid).
 */
import { type ExtractHit, type ExtractResult, type Redaction } from './extract-types';
import { type NormalizeOptions, type NormalizeResult, type NormalizedIdentifier } from './kinds';
import { fold, foldWithMap, mapSpan } from './text';
import { DEFAULT_REGION, cnServiceType } from './phone';
import { isCardNumber, normalizeBankAccount } from './bank';
import { normalizeCryptoWallet, normalizeDomain, normalizeEmail, normalizePhone, normalizeUrl } from './remembered';
import { normalizeIp } from './ip';
import { normalizeQqId, normalizeWechatId } from './im';
import { normalizeApp } from './app';
import { isCnResidentId, looksLikeOldResidentId } from './resident-id';
import { warninglistLookup } from './warninglist';
import { Scanner, Tok } from './scanner';
import { paymentAccountHits } from './payment-text';
import { BEFORE_RULES, UNIT_AFTER, before, timeAfter, timeBefore, unitAfter, wechatSameAfter } from './context';

export type { ExtractHit, ExtractResult, Redaction } from './extract-types';

/**
 * Confidence of narrative hits (identifiers a reporter typed into a field are 1.0 and do not go through here).
 * Self-validating formats (checksummed wallets, URLs, e-mails) rank highest; numbers found by shape alone lower,
 * and higher again when a keyword says what they are; bare domains and app names, which prose imitates, lowest.
 */
export const CONFIDENCE = {
  URL: 0.95,
  EMAIL: 0.95,
  WALLET_CHECKSUMMED: 0.95,
  WALLET: 0.9,
  PHONE_WITH_KEYWORD: 0.9,
  PHONE: 0.8,
  SERVICE_NUMBER: 0.7,
  IM_WITH_KEYWORD: 0.8,
  ACCOUNT_WITH_KEYWORD: 0.85,
  CARD: 0.7,
  URL_WITHOUT_SCHEME: 0.8,
  DOMAIN_WWW: 0.7,
  DOMAIN: 0.6,
  DOMAIN_OBFUSCATED: 0.5,
  IP: 0.7,
  APP_PACKAGE: 0.6,
  APP_NAME: 0.5,
} as const;

/** Texts longer than this many UTF-16 units are scanned up to this length only. */
export const MAX_EXTRACT_LENGTH = 64 * 1024 * 1024;

// ---- the candidate scanner: see scanner.ts ------------------------------------------------------------------
export { SCANNER_SOURCE } from './scanner';

// ---- context rules: see context.ts ---------------------------------------------------------------------------
const DATE_SHAPE = /^(?:19|20)\d{2}\s*[-./]\s*\d{1,2}(?:\s*[-./]\s*\d{1,2})?$|^\d{1,2}\s*[-./]\s*\d{1,2}$/;
/** Card numbers seen in narratives must also have a known issuer prefix (UnionPay 62/60/9558/95599, Visa 4,
 * Mastercard 51-55/22-27, Amex 34/37, JCB 35, Discover 6011/65): Luhn alone passes one random number in ten. */
const CARD_IIN = /^(?:62|60|4|5[1-5]|2[2-7]|3[47]|35|6011|65|9558|95599)/;
const PACKAGE_FIRST = new Set(['com', 'net', 'org']);

/** Single characters that, right after a number, make it an amount, a date, a time or a count (a table of UTF-16
 * units; charCodeAt past the end is NaN, which reads as 0). */
const UNIT_CHARS = new Uint8Array(65536);
for (const ch of '元块圆万千百亿角毛刀年月日時时点點分秒天周次个個笔筆%％岁期楼层室栋条人位张倍克斤吨米里:：') {
  UNIT_CHARS[ch.charCodeAt(0)] = 1;
}

function isDateDigits(d: string): boolean {
  if (d.length !== 8 || !/^(?:19|20)/.test(d)) return false;
  const m = Number(d.slice(4, 6));
  const day = Number(d.slice(6, 8));
  return m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

function isDigitCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 0xff10 && c <= 0xff19);
}

interface Ctx {
  text: string;
  region: string;
  hits: ExtractHit[];
  redactions: Redaction[];
  /** phones of this call (null: not a phone), by '+'? and digits (sub-runs of one number and repeats re-read the
   * same digits) */
  phones: Map<string, NormalizedIdentifier | null>;
  /** phone validations left for the current number candidate (see {@link PHONE_TRIES_PER_NUMBER}) */
  phoneTries: number;
}

/**
 * A number candidate may have up to 40 digits in many groups, and its sub-runs are tried when the whole is not an
 * identifier: at most this many phone validations (each a full libphonenumber parse) per candidate keep hostile runs of
 * digits and separators linear with a small constant. Real numbers need a handful (a '+1 202-555-0123' that is
 * not valid as a whole needs 4).
 */
const PHONE_TRIES_PER_NUMBER = 12;
/** Sub-runs tried per number candidate (a real number of up to 6 groups needs at most 21). */
const SUBRUN_TRIES_PER_NUMBER = 48;

/** The phone `raw` is, or undefined when it is none (or the candidate has no validations left). */
function phoneOf(ctx: Ctx, raw: string): NormalizedIdentifier | undefined {
  const known = ctx.phones.get(raw);
  if (known !== undefined) return known ?? undefined;
  if (ctx.phoneTries <= 0) return undefined;
  ctx.phoneTries--;
  const r = normalizePhone(raw, ctx.region, false);
  // callers only ask whether it is a phone: the identifier alone is kept, not the result around it nor a
  // rejection and its message
  const id = r.ok ? r.identifier : null;
  ctx.phones.set(raw, id);
  return id ?? undefined;
}

/**
 * Adds a hit for `id`, with a copy of its attributes: results are remembered across calls (memo.ts), so the same
 * identifier object may serve many hits, and no two hits may share one attributes object.
 */
function pushHit(ctx: Ctx, id: NormalizedIdentifier, start: number, end: number, confidence: number): void {
  const { kind, value, display, attributes } = id;
  // one object literal per shape (properties in the same order), not a property added afterwards
  const hit: ExtractHit = attributes
    ? { kind, value, display, start, end, confidence, attributes: { ...attributes } }
    : { kind, value, display, start, end, confidence };
  ctx.hits.push(hit);
}

function pushResult(ctx: Ctx, r: NormalizeResult, start: number, end: number, confidence: number): boolean {
  if (!r.ok) return false;
  pushHit(ctx, r.identifier, start, end, confidence);
  return true;
}

// ---- numbers ---------------------------------------------------------------------------------------------------
/** Start, end and ASCII digits of each digit group of the number candidate processNumber is reading. */
const G_START: number[] = [];
const G_END: number[] = [];
const G_DIGITS: string[] = [];

type NumberOutcome = 'HIT' | 'NONE';

function classifyNumber(ctx: Ctx, digits: string, x: boolean, plus: boolean, a: number, b: number): NumberOutcome {
  const { text } = ctx;
  const n = digits.length;
  if (n < 3) return 'NONE';
  // 3 to 6 digits: every rule below ends in NONE but the one for Chinese service numbers (the sub-runs of dates
  // and grouped numbers are mostly such), so anything else is NONE without asking the context
  if (n <= 6 && (x || plus || ctx.region !== 'CN' || cnServiceType(digits) === undefined)) return 'NONE';
  const next = text.charCodeAt(b);
  // glued to ASCII letters/digits or an '@': part of a word, an e-mail or a code
  if ((next >= 48 && next <= 57) || (next >= 65 && next <= 90) || (next >= 97 && next <= 122) || next === 64) {
    return 'NONE';
  }
  // fast exit: a unit character right after the number (amounts, dates, times, counts) — the common case
  if (n < 15 && UNIT_CHARS[next | 0]) return 'NONE';
  // resident IDs: redact, whatever the context
  if ((n === 18 && !x) || (n === 17 && x)) {
    const id = x ? `${digits}X` : digits;
    if (isCnResidentId(id) || before(BEFORE_RULES.ID, text, a)) {
      ctx.redactions.push({ start: a, end: b, kind: 'CN_RESIDENT_ID' });
      return 'HIT';
    }
  }
  if (n === 15 && before(BEFORE_RULES.ID, text, a) && looksLikeOldResidentId(digits)) {
    ctx.redactions.push({ start: a, end: b, kind: 'CN_RESIDENT_ID' });
    return 'HIT';
  }
  if (x) return 'NONE';
  // "5号" is a date, "1808号" a room; "10000号" names the service number 10000
  const c0 = text.charCodeAt(b);
  if ((c0 === 0x53f7 || c0 === 0x865f) && !(ctx.region === 'CN' && !plus && cnServiceType(digits))) return 'NONE';
  if (unitAfter(text, b) || timeAfter(text, b) || timeBefore(text, a)) return 'NONE';
  if (before(BEFORE_RULES.ORDER, text, a)) return 'NONE';
  // a date needs a separator: a span of digits alone (as many characters as digits) is none
  if (b - a !== n && DATE_SHAPE.test(fold(text.slice(a, b)))) return 'NONE';
  if (
    n >= 8 &&
    n <= 30 &&
    !plus &&
    !(n === 11 && digits.charCodeAt(0) === 49 && digits.charCodeAt(1) >= 51 && digits.charCodeAt(1) <= 57) &&
    before(BEFORE_RULES.ACCOUNT, text, a)
  ) {
    return pushResult(ctx, normalizeBankAccount(digits), a, b, CONFIDENCE.ACCOUNT_WITH_KEYWORD) ? 'HIT' : 'NONE';
  }
  const card = n >= 13 && n <= 19 && !plus && CARD_IIN.test(digits) && isCardNumber(digits);
  if (before(BEFORE_RULES.AMOUNT, text, a)) {
    return card && pushResult(ctx, normalizeBankAccount(digits), a, b, CONFIDENCE.CARD) ? 'HIT' : 'NONE';
  }
  const phoneCtx = before(BEFORE_RULES.PHONE, text, a);
  if (n <= 6) {
    if (plus || ctx.region !== 'CN' || !cnServiceType(digits)) return 'NONE';
    const known = warninglistLookup({ kind: 'PHONE', value: `CN:${digits}` }) !== undefined;
    if (!phoneCtx && !known && !/^9[56]\d{3}$/.test(digits)) return 'NONE';
    return pushResult(ctx, normalizePhone(digits, 'CN'), a, b, CONFIDENCE.SERVICE_NUMBER) ? 'HIT' : 'NONE';
  }
  if (!phoneCtx && isDateDigits(digits)) return 'NONE';
  if (n <= 17 && !(card && n >= 16)) {
    const phone = phoneOf(ctx, plus ? `+${digits}` : digits);
    if (phone) {
      const service = phone.attributes?.service === true;
      const confidence = service
        ? CONFIDENCE.SERVICE_NUMBER
        : phoneCtx
          ? CONFIDENCE.PHONE_WITH_KEYWORD
          : CONFIDENCE.PHONE;
      pushHit(ctx, phone, a, b, confidence);
      if (!service && wechatSameAfter(text, b)) {
        pushResult(ctx, normalizeWechatId(phone.value, ctx.region), a, b, CONFIDENCE.IM_WITH_KEYWORD);
      }
      return 'HIT';
    }
  }
  if (card) return pushResult(ctx, normalizeBankAccount(digits), a, b, CONFIDENCE.CARD) ? 'HIT' : 'NONE';
  return 'NONE';
}

/** The digits of text[start, end) (ASCII or full-width digits only) as ASCII digits. */
function asciiDigits(text: string, start: number, end: number): string {
  const raw = text.slice(start, end);
  let i = 0;
  while (i < raw.length && raw.charCodeAt(i) < 0xff10) i++;
  if (i === raw.length) return raw;
  let out = '';
  for (let k = 0; k < raw.length; k++) {
    const c = raw.charCodeAt(k);
    out += String.fromCharCode(c >= 0xff10 ? c - 0xff10 + 48 : c);
  }
  return out;
}

/** True when the candidate starts with a bracket, the 3-digit first group (2–9 first), a bracket: "(315) …". */
function nanpBracket(text: string, s: number, groupStart: number, groupEnd: number): boolean {
  const open = text.charCodeAt(s);
  const close = text.charCodeAt(groupEnd);
  return (
    (open === 0x28 || open === 0xff08) &&
    groupStart === s + 1 &&
    groupEnd - groupStart === 3 &&
    ((text.charCodeAt(groupStart) >= 0x32 && text.charCodeAt(groupStart) <= 0x39) ||
      (text.charCodeAt(groupStart) >= 0xff12 && text.charCodeAt(groupStart) <= 0xff19)) &&
    (close === 0x29 || close === 0xff09)
  );
}

/** Splits a number candidate into digit groups and classifies the whole run, then maximal sub-runs. */
function processNumber(ctx: Ctx, s: number, e: number): void {
  const { text } = ctx;
  ctx.phoneTries = PHONE_TRIES_PER_NUMBER;
  // the common case, ASCII digits only: one group, no '+', no X
  let i0 = s;
  while (i0 < e && text.charCodeAt(i0) >= 48 && text.charCodeAt(i0) <= 57) i0++;
  if (i0 === e) {
    classifyNumber(ctx, text.slice(s, e), false, false, s, e);
    return;
  }
  // the digit groups, in scratch arrays shared by every call (processNumber never runs inside itself)
  let count = 0;
  let plus = false;
  let x = false;
  let inGroup = false;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (isDigitCode(c)) {
      if (!inGroup) {
        G_START[count] = i;
        count++;
        inGroup = true;
      }
      G_END[count - 1] = i + 1;
    } else {
      inGroup = false;
      if ((c === 0x2b || c === 0xff0b) && count === 0) plus = true;
      else if ((c === 0x58 || c === 0x78 || c === 0xff38 || c === 0xff58) && i === e - 1) x = true;
    }
  }
  if (count === 0) return;
  let all = '';
  for (let g = 0; g < count; g++) {
    G_DIGITS[g] = asciiDigits(text, G_START[g], G_END[g]);
    all += G_DIGITS[g];
  }
  const last = count - 1;
  const endOfLast = x ? e : G_END[last];
  if (ctx.region === 'CN' && !plus && count > 1 && nanpBracket(text, s, G_START[0], G_END[0])) {
    // "(315) 232-8257": the phone rules read a leading (NNN) as a North American area code or refuse the number
    const r = normalizePhone(text.slice(s, endOfLast), 'CN', false);
    const confidence = before(BEFORE_RULES.PHONE, text, s) ? CONFIDENCE.PHONE_WITH_KEYWORD : CONFIDENCE.PHONE;
    pushResult(ctx, r, s, endOfLast, confidence);
    return;
  }
  if (classifyNumber(ctx, all, x, plus, s, endOfLast) === 'HIT') return;
  if (count === 1) return;
  let tries = SUBRUN_TRIES_PER_NUMBER;
  let i = 0;
  while (i < count) {
    let found = false;
    let digits = '';
    let jMax = i;
    for (let j = i; j < count && digits.length + G_DIGITS[j].length <= 19; j++) {
      digits += G_DIGITS[j];
      jMax = j;
    }
    for (let j = jMax; j >= i; j--) {
      if (i === 0 && j === last) {
        digits = digits.slice(0, digits.length - G_DIGITS[j].length);
        continue;
      }
      const lastX = x && j === last;
      if (--tries < 0) return;
      const a = i === 0 ? s : G_START[i];
      const b = j === last ? endOfLast : G_END[j];
      if (classifyNumber(ctx, digits, lastX, i === 0 && plus, a, b) === 'HIT') {
        i = j + 1;
        found = true;
        break;
      }
      digits = digits.slice(0, digits.length - G_DIGITS[j].length);
    }
    if (!found) {
      // the groups after a '+' belong to that international number: never re-read them as a national one
      if (i === 0 && plus) return;
      i++;
    }
  }
}

// ---- URLs, domains, apps ---------------------------------------------------------------------------------------
/** Punctuation that ends a sentence rather than a URL, e-mail or domain written at its end. */
const TRAILING_PUNCT = new Uint8Array(65536);
for (const ch of '.,;:!?\'")]}>。，；：！？、）】》…．') TRAILING_PUNCT[ch.charCodeAt(0)] = 1;

/** Span of the host inside a URL-ish candidate (original offsets). */
function hostSpan(text: string, s: number, e: number): { start: number; end: number } | undefined {
  // ASCII folds to itself, one unit per unit: the offsets are the original ones
  let ascii = true;
  for (let i = s; i < e && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
  const f = ascii ? undefined : foldWithMap(text.slice(s, e));
  const t = f ? f.text : text.slice(s, e);
  let hs = 0;
  const scheme = t.indexOf('://');
  if (scheme >= 0 && scheme < 10) hs = scheme + 3;
  let he = t.length;
  for (let i = hs; i < t.length; i++) {
    const ch = t[i];
    if (ch === '/' || ch === '?' || ch === '#') {
      he = i;
      break;
    }
  }
  const at = t.lastIndexOf('@', he);
  if (at >= hs) hs = at + 1;
  if (t[hs] === '[') return undefined;
  const colon = t.indexOf(':', hs);
  if (colon >= 0 && colon < he) he = colon;
  if (he <= hs) return undefined;
  if (!f) return { start: s + hs, end: s + he };
  const span = mapSpan(f, hs, he);
  return { start: s + span.start, end: s + span.end };
}

/**
 * True when `hostText` is letters, digits, '-' and '.' only, with no punycode label, and equals the URL's parsed
 * host but for case. normalizeDomain then reads it exactly as normalizeUrl read the host (nothing to fold or
 * deobfuscate, no trailing dot, IDNA ToASCII maps it to itself, and it does not end in a number or WHATWG would
 * not have kept it as a name), so it gives the URL's registrable DOMAIN. shortcuts.spec checks this.
 */
export function isUrlHostAsWritten(hostText: string, urlHost: unknown): boolean {
  if (typeof urlHost !== 'string' || hostText.length !== urlHost.length) return false;
  for (let i = 0; i < hostText.length; i++) {
    const c = hostText.charCodeAt(i);
    const letter = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
    if (!letter && !(c >= 0x30 && c <= 0x39) && c !== 0x2d && c !== 0x2e) return false;
  }
  const lower = hostText.toLowerCase();
  return lower === urlHost && !lower.includes('xn--') && !lower.endsWith('.');
}

function emitUrl(ctx: Ctx, s: number, e: number, confidence: number): boolean {
  const raw = ctx.text.slice(s, e);
  const r = normalizeUrl(raw);
  if (!r.ok) return false;
  // in prose, a host without a registrable domain is a URL only when written with its scheme ("readme.notatld/2")
  const attrs = r.identifier.attributes;
  if (attrs?.registrableDomain === false && attrs.schemeAssumed) return false;
  pushHit(ctx, r.identifier, s, e, confidence);
  const hs = hostSpan(ctx.text, s, e);
  if (hs) {
    const hostText = ctx.text.slice(hs.start, hs.end);
    for (const d of r.derived) {
      // only when the host as written is itself that identifier (WHATWG also reads '100000000' as an IPv4 host);
      // a plain ASCII host that is, but for case, the URL's own host is that DOMAIN without asking again
      if (d.kind === 'DOMAIN' && isUrlHostAsWritten(hostText, r.identifier.attributes?.host)) {
        pushHit(ctx, d, hs.start, hs.end, Math.min(confidence, CONFIDENCE.DOMAIN_WWW));
        continue;
      }
      const again = d.kind === 'IP' ? normalizeIp(hostText) : normalizeDomain(hostText);
      if (again.ok && again.identifier.value === d.value)
        pushHit(ctx, d, hs.start, hs.end, Math.min(confidence, CONFIDENCE.DOMAIN_WWW));
    }
  }
  return true;
}

/** `e` less the run of trailing punctuation at the end of text[s, e). */
function trimTrailing(text: string, s: number, e: number): number {
  let end = e;
  while (end > s && TRAILING_PUNCT[text.charCodeAt(end - 1)]) end--;
  return end;
}

/** Length of a `:\d{1,5}` port at the end of text[s, e), or 0. */
function portLength(text: string, s: number, e: number): number {
  let i = e;
  while (i > s && e - i < 6 && text.charCodeAt(i - 1) >= 48 && text.charCodeAt(i - 1) <= 57) i--;
  const digits = e - i;
  return digits >= 1 && digits <= 5 && i > s && text.charCodeAt(i - 1) === 0x3a ? digits + 1 : 0;
}

function processDomain(ctx: Ctx, s: number, e: number): void {
  const raw = ctx.text.slice(s, e);
  const folded = fold(raw);
  const slash = folded.indexOf('/');
  if (slash > 0) {
    const end = trimTrailing(ctx.text, s, e);
    if (emitUrl(ctx, s, end, CONFIDENCE.URL_WITHOUT_SCHEME)) return;
    e = s + slash; // fall back to the host alone
  }
  // a trailing port (':' and 1 to 5 digits at the end) is not part of a domain
  const end = e - portLength(ctx.text, s, e);
  const host = fold(ctx.text.slice(s, end)).toLowerCase();
  const dot = host.indexOf('.');
  // three or more labels, the first com/net/org: a package name
  if (dot >= 0 && host.indexOf('.', dot + 1) >= 0 && PACKAGE_FIRST.has(host.slice(0, dot))) {
    pushResult(ctx, normalizeApp(host), s, end, CONFIDENCE.APP_PACKAGE);
    return;
  }
  const r = normalizeDomain(ctx.text.slice(s, end));
  if (!r.ok) return;
  const obfuscated = /[点點。[(]/.test(raw);
  pushHit(
    ctx,
    r.identifier,
    s,
    end,
    obfuscated ? CONFIDENCE.DOMAIN_OBFUSCATED : host.startsWith('www.') ? CONFIDENCE.DOMAIN_WWW : CONFIDENCE.DOMAIN,
  );
}

function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

// ---- the driver ------------------------------------------------------------------------------------------------
/** Finds every identifier in `text`; never throws. See the module comment for offsets and redaction. */
export function extractIdentifiers(text: string, opts: NormalizeOptions = {}): ExtractResult {
  if (typeof text !== 'string' || text.length === 0)
    return { hits: [], redactions: [], redactedText: typeof text === 'string' ? text : '' };
  const src = text.length > MAX_EXTRACT_LENGTH ? text.slice(0, MAX_EXTRACT_LENGTH) : text;
  const ctx: Ctx = {
    text: src,
    region: (opts?.defaultRegion ?? DEFAULT_REGION).toUpperCase(),
    hits: [],
    redactions: [],
    phones: new Map(),
    phoneTries: 0,
  };
  let from = 0;
  let kind: number;
  const scanner = new Scanner(src);
  while ((kind = scanner.next(from)) !== Tok.NONE) {
    const s = scanner.start;
    const e = scanner.end;
    from = e;
    // words are skipped whole; numbers followed by a unit (amounts, dates, times, counts), the commonest
    // candidates, and numbers of fewer than 3 characters need no validation
    if (kind === Tok.WORD) continue;
    if (kind === Tok.NUMBER && (e - s < 3 || (e - s < 15 && UNIT_CHARS[src.charCodeAt(e) | 0]))) continue;
    try {
      scanMatch(ctx, scanner, kind, s, e);
    } catch {
      // a validator failing on hostile input must never stop extraction
    }
  }
  // payment accounts are read after their keyword, outside the scanner (a second, keyword-led pass)
  for (const h of paymentAccountHits(src, ctx.region)) {
    // the phone / e-mail an account also is may have been found already, over a span a little different
    const known = (x: ExtractHit) => x.kind === h.kind && x.value === h.value && x.start < h.end && h.start < x.end;
    if (h.kind === 'PAYMENT_ACCOUNT' || !ctx.hits.some(known)) ctx.hits.push(h);
  }
  return finish(ctx, src);
}

function scanMatch(ctx: Ctx, scanner: Scanner, kind: number, s: number, e: number): void {
  const text = ctx.text;
  switch (kind) {
    case Tok.URL:
      emitUrl(ctx, s, trimTrailing(text, s, e), CONFIDENCE.URL);
      return;
    case Tok.EMAIL: {
      const end = trimTrailing(text, s, e);
      const r = normalizeEmail(text.slice(s, end));
      if (r.ok) {
        pushHit(ctx, r.identifier, s, end, CONFIDENCE.EMAIL);
        const at = text.slice(s, end).search(/[@＠]/);
        for (const d of r.derived) pushHit(ctx, d, s, s + at, CONFIDENCE.IM_WITH_KEYWORD);
      } else {
        processDomain(ctx, s + text.slice(s, end).search(/[@＠]/) + 1, end);
      }
      return;
    }
    case Tok.IM: {
      const m = scanner.groups(kind, s) as RegExpExecArray;
      const key = m[1];
      const id = m[2];
      const idStart = s + key.length;
      const isQq = /QQ|qq|Qq|ＱＱ|扣扣|企鹅/.test(key);
      const r = isQq ? normalizeQqId(id) : normalizeWechatId(id, ctx.region);
      const post = fold(text.slice(e, e + 5));
      if (r.ok && !UNIT_AFTER.test(post)) {
        pushHit(ctx, r.identifier, idStart, e, CONFIDENCE.IM_WITH_KEYWORD);
        if (r.identifier.attributes?.phoneNumber === true) {
          pushResult(ctx, normalizePhone(id, ctx.region), idStart, e, CONFIDENCE.PHONE_WITH_KEYWORD);
        }
      } else if (/^[+＋]?[0-9０-９][0-9０-９\s-]*$/.test(id)) {
        processNumber(ctx, idStart, e);
      }
      return;
    }
    case Tok.ETH: {
      if (e - s !== 42 || isWordCode(text.charCodeAt(e)) || isWordCode(text.charCodeAt(s - 1))) return;
      const r = normalizeCryptoWallet(text.slice(s, e));
      if (r.ok)
        pushHit(
          ctx,
          r.identifier,
          s,
          e,
          r.identifier.attributes?.eip55Checked ? CONFIDENCE.WALLET_CHECKSUMMED : CONFIDENCE.WALLET,
        );
      return;
    }
    case Tok.BECH32:
    case Tok.BASE58: {
      const v = text.slice(s, e);
      if (/^\d+$/.test(v)) {
        processNumber(ctx, s, e);
        return;
      }
      if (isWordCode(text.charCodeAt(e)) || isWordCode(text.charCodeAt(s - 1))) return;
      const r = normalizeCryptoWallet(v);
      if (r.ok) pushHit(ctx, r.identifier, s, e, CONFIDENCE.WALLET_CHECKSUMMED);
      return;
    }
    case Tok.DOMAIN:
      processDomain(ctx, s, e);
      return;
    case Tok.IPV4: {
      const v = text.slice(s, e);
      if (/[:/／]/.test(v)) {
        const end = trimTrailing(text, s, e);
        if (emitUrl(ctx, s, end, CONFIDENCE.URL_WITHOUT_SCHEME)) return;
      }
      const ipEnd = s + (/^[^:/／]*/.exec(v) as RegExpExecArray)[0].length;
      const r = normalizeIp(text.slice(s, ipEnd));
      if (r.ok && !isWordCode(text.charCodeAt(ipEnd)) && text[ipEnd] !== '.')
        pushHit(ctx, r.identifier, s, ipEnd, CONFIDENCE.IP);
      else if (!r.ok) processNumber(ctx, s, ipEnd);
      return;
    }
    case Tok.IPV6:
      if (!isWordCode(text.charCodeAt(e))) pushResult(ctx, normalizeIp(text.slice(s, e)), s, e, CONFIDENCE.IP);
      return;
    case Tok.NUMBER:
      processNumber(ctx, s, e);
      return;
    case Tok.APP_A: {
      const name = (scanner.groups(kind, s) as RegExpExecArray)[1];
      const ns = e - 1 - name.length;
      pushResult(ctx, normalizeApp(name), ns, ns + name.length, CONFIDENCE.APP_NAME);
      return;
    }
    case Tok.APP_B: {
      const name = (scanner.groups(kind, s) as RegExpExecArray)[1];
      pushResult(ctx, normalizeApp(name), s + 1, s + 1 + name.length, CONFIDENCE.APP_NAME);
      return;
    }
  }
}

function finish(ctx: Ctx, src: string): ExtractResult {
  const redactions = ctx.redactions.sort((p, q) => p.start - q.start);
  let hits = ctx.hits;
  hits.sort((p, q) => p.start - q.start || p.end - q.end || (p.kind < q.kind ? -1 : p.kind > q.kind ? 1 : 0));
  const kept: ExtractHit[] = [];
  let ri = 0;
  let prev: ExtractHit | undefined;
  for (const h of hits) {
    // redactions are sorted by start; drop hits overlapping one (a sweep, hits are sorted too)
    while (ri < redactions.length && redactions[ri].end <= h.start) ri++;
    let overlaps = false;
    for (let k = ri; k < redactions.length && redactions[k].start < h.end; k++) {
      if (redactions[k].end > h.start) overlaps = true;
    }
    if (overlaps) continue;
    if (prev && prev.start === h.start && prev.end === h.end && prev.kind === h.kind && prev.value === h.value)
      continue;
    kept.push(h);
    prev = h;
  }
  hits = kept;
  let redactedText = src;
  if (redactions.length) {
    let out = '';
    let pos = 0;
    for (const r of redactions) {
      if (r.start < pos) continue;
      out += src.slice(pos, r.start) + '*'.repeat(r.end - r.start);
      pos = r.end;
    }
    redactedText = out + src.slice(pos);
  }
  return { hits, redactions, redactedText };
}
