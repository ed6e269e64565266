/**
 * An exact, allocation-light mirror of what libphonenumber-js does for `parsePhoneNumberFromString(text,
 * { defaultCountry, extract: false })` followed by `isValid()`, `getType()`, `.number`, `.country` and
 * `formatInternational()` — for the inputs where it is cheap to follow the library step by step:
 *
 * - `+<digits>` whose calling code is one of {@link FAST_CALLING_CODES} (1: the NANP, 86: China), and
 * - national digits for a default region in {@link FAST_REGIONS} that carry neither an IDD prefix nor the region's
 *   calling code in front,
 *
 * and only when the national-prefix rule of the numbering plan either does not apply or applies without capture
 * groups (no carrier code, no transform rule). Every other input returns `undefined` and the caller asks
 * libphonenumber itself. The steps below follow libphonenumber-js 1.13 (parse.js → extractCountryCallingCode,
 * extractNationalNumber, getCountryByCallingCode/getCountryByNationalNumber, getNumberType, isValidNumber,
 * format.js → chooseFormatForNumber, formatNationalNumberUsingFormat, applyInternationalSeparatorStyle), with the
 * regular expressions of the installed metadata compiled once at module load instead of once per call.
 * phone-fast.spec compares this module with libphonenumber on random and structured numbers.
 */
import { Metadata } from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/metadata.max.json';

/** The result libphonenumber gives for a valid number. */
export interface FastParsed {
  e164: string;
  intl: string;
  country: string | undefined;
  type: string | undefined;
}

interface MetaType {
  pattern(): string;
  possibleLengths(): number[] | undefined;
}
interface MetaFormat {
  pattern(): string;
  leadingDigitsPatterns(): string[];
  internationalFormat(): string;
}
interface MetaView {
  selectNumberingPlan(country: string): void;
  hasCallingCode(code: string): boolean;
  getCountryCodesForCallingCode(code: string): string[] | undefined;
  countryCallingCode(): string;
  nationalNumberPattern(): string;
  possibleLengths(): number[] | undefined;
  leadingDigits(): string | undefined;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  IDDPrefix(): string;
  formats(): MetaFormat[];
  hasTypes(): boolean;
  type(t: string): MetaType | undefined;
}

/** libphonenumber-js's MIN_LENGTH_FOR_NSN / MAX_LENGTH_FOR_NSN. */
const MIN_NSN = 2;
const MAX_NSN = 17;
/** libphonenumber-js's VALID_PUNCTUATION (constants.js), as applyInternationalSeparatorStyle uses it. */
const SEPARATORS =
  /[-\u2010-\u2015\u2212\u30FC\uFF0D\uFF0F/\uFF0E. \xA0\xAD\u200B\u2060\u3000()\uFF08\uFF09\uFF3B\uFF3D[\]~\u2053\u223C\uFF5E]+/g;
const NON_FIXED_LINE_TYPES = [
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
];

export const FAST_CALLING_CODES = ['1', '86'] as const;
export const FAST_REGIONS = ['CN'] as const;

interface TypeRule {
  name: string;
  re: RegExp;
  lengths: number[] | undefined;
}
interface FormatRule {
  leading: RegExp | undefined;
  re: RegExp;
  reUnanchored: RegExp;
  intl: string;
  /** `intl` split into literal text and capture numbers (`$1` → 1), or undefined when it uses other `$` forms */
  intlParts: (string | number)[] | undefined;
}
interface Plan {
  country: string;
  callingCode: string;
  national: RegExp;
  possibleLengths: number[] | undefined;
  leading: RegExp | undefined;
  /** `^(?:national prefix for parsing)`, or undefined */
  prefix: RegExp | undefined;
  transformRule: string | undefined;
  idd: RegExp;
  hasTypes: boolean;
  fixedLine: TypeRule | undefined;
  /** 'ABSENT' (no MOBILE type), 'EMPTY' (MOBILE with an empty pattern) or the rule */
  mobile: TypeRule | 'ABSENT' | 'EMPTY';
  others: TypeRule[];
  formats: FormatRule[];
}

const entire = (p: string): RegExp => new RegExp(`^(?:${p})$`);

/**
 * libphonenumber's `s.search(re) === 0` — a match that starts at the first character — asked of a sticky `re` at
 * position 0 only, instead of searching every position for the leftmost match.
 */
function matchesAtStart(sticky: RegExp, s: string): boolean {
  sticky.lastIndex = 0;
  return sticky.test(s);
}

function typeRule(m: MetaView, name: string): TypeRule | undefined {
  const t = m.type(name);
  // isNumberTypeEqualTo: a type without a pattern never matches
  if (!t || !t.pattern()) return undefined;
  return { name, re: entire(t.pattern()), lengths: t.possibleLengths() };
}

function buildPlan(country: string): Plan {
  const m = new Metadata(metadataJson) as unknown as MetaView;
  m.selectNumberingPlan(country);
  const mobileType = m.type('MOBILE');
  const prefix = m.nationalPrefixForParsing();
  return {
    country,
    callingCode: m.countryCallingCode(),
    national: entire(m.nationalNumberPattern()),
    possibleLengths: m.possibleLengths(),
    leading: m.leadingDigits() ? new RegExp(m.leadingDigits() as string, 'y') : undefined,
    prefix: prefix ? new RegExp(`^(?:${prefix})`) : undefined,
    transformRule: m.nationalPrefixTransformRule(),
    idd: new RegExp(m.IDDPrefix(), 'y'),
    hasTypes: m.hasTypes(),
    fixedLine: typeRule(m, 'FIXED_LINE'),
    mobile: !mobileType ? 'ABSENT' : mobileType.pattern() === '' ? 'EMPTY' : (typeRule(m, 'MOBILE') as TypeRule),
    others: NON_FIXED_LINE_TYPES.map((t) => typeRule(m, t)).filter((t): t is TypeRule => t !== undefined),
    formats: m.formats().map((f) => {
      const lp = f.leadingDigitsPatterns();
      return {
        leading: lp.length > 0 ? new RegExp(lp[lp.length - 1], 'y') : undefined,
        re: entire(f.pattern()),
        reUnanchored: new RegExp(f.pattern()),
        intl: f.internationalFormat(),
        intlParts: templateParts(f.internationalFormat()),
      };
    }),
  };
}

const meta = new Metadata(metadataJson) as unknown as MetaView;
/** plans by country, and the countries of each fast calling code in metadata order (the first is the main one) */
const plans = new Map<string, Plan>();
const countriesOf = new Map<string, Plan[]>();
for (const cc of FAST_CALLING_CODES) {
  const list = (meta.getCountryCodesForCallingCode(cc) ?? []).map((c) => {
    const p = buildPlan(c);
    plans.set(c, p);
    return p;
  });
  countriesOf.set(cc, list);
}
for (const r of FAST_REGIONS) if (!plans.has(r)) plans.set(r, buildPlan(r));

function isTypeEqual(n: string, t: TypeRule): boolean {
  if (t.lengths && t.lengths.indexOf(n.length) < 0) return false;
  return t.re.test(n);
}

/** getNumberType(nationalNumber) under `plan`. */
export function numberTypeOf(n: string, plan: Plan): string | undefined {
  if (!plan.national.test(n)) return undefined;
  if (plan.fixedLine && isTypeEqual(n, plan.fixedLine)) {
    if (plan.mobile === 'EMPTY' || plan.mobile === 'ABSENT') return 'FIXED_LINE_OR_MOBILE';
    if (isTypeEqual(n, plan.mobile)) return 'FIXED_LINE_OR_MOBILE';
    return 'FIXED_LINE';
  }
  for (const t of plan.others) if (isTypeEqual(n, t)) return t.name;
  return undefined;
}

/** getCountryByCallingCode(callingCode, nationalNumber). */
function countryOf(cc: string, n: string): Plan | undefined {
  const list = countriesOf.get(cc) as Plan[];
  if (list.length === 1) return list[0];
  for (const p of list) {
    if (p.leading) {
      if (n && matchesAtStart(p.leading, n)) return p;
    } else if (numberTypeOf(n, p)) return p;
  }
  return undefined;
}

/** checkNumberLength(nationalNumber) under `plan` (no type). */
function lengthCheck(n: string, plan: Plan): string {
  const pl = plan.possibleLengths;
  if (!pl) return 'IS_POSSIBLE';
  const len = n.length;
  if (pl[0] === len) return 'IS_POSSIBLE';
  if (pl[0] > len) return 'TOO_SHORT';
  if (pl[pl.length - 1] < len) return 'TOO_LONG';
  return pl.indexOf(len, 1) >= 0 ? 'IS_POSSIBLE' : 'INVALID_LENGTH';
}

/**
 * extractNationalNumber(number) under `plan` (the main plan of the calling code, or the default region's), or
 * undefined when the national-prefix rule would capture groups (carrier codes, transform rules): not mirrored.
 */
function nationalOf(number: string, plan: Plan, cc: string): string | undefined {
  if (!plan.prefix) return number;
  const m = plan.prefix.exec(number);
  if (!m) return number;
  if (m.length > 1 && m[m.length - 1]) return undefined;
  const stripped = number.slice(m[0].length);
  if (stripped === number) return number;
  // shouldHaveExtractedNationalPrefix
  if (plan.national.test(number) && !plan.national.test(stripped)) return number;
  if (plan.possibleLengths) {
    const country = countryOf(cc, stripped);
    const check = country ? lengthCheck(stripped, country) : lengthCheck(stripped, plan);
    if (check === 'TOO_SHORT' || check === 'INVALID_LENGTH') return number;
  }
  return stripped;
}

/**
 * A replacement template made of literal text and `$1`…`$9` (not followed by a digit) as parts; undefined for any
 * other use of `$` (`$$`, `$&`, two-digit references …), which is left to String.prototype.replace.
 */
function templateParts(template: string): (string | number)[] | undefined {
  const parts: (string | number)[] = [];
  let literal = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch !== '$') {
      literal += ch;
      continue;
    }
    const d = template.charCodeAt(i + 1) - 48;
    const after = template.charCodeAt(i + 2);
    if (!(d >= 1 && d <= 9) || (after >= 48 && after <= 57)) return undefined;
    if (literal) parts.push(literal);
    literal = '';
    parts.push(d);
    i++;
  }
  if (literal) parts.push(literal);
  return parts;
}

/** SEPARATORS as a table of UTF-16 units (a single-unit character class). */
const SEPARATOR_UNIT = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) {
  SEPARATORS.lastIndex = 0;
  if (SEPARATORS.test(String.fromCharCode(c))) SEPARATOR_UNIT[c] = 1;
}
SEPARATORS.lastIndex = 0;

/**
 * `n.replace(f.reUnanchored, f.intl).replace(SEPARATORS, ' ').trim()`: the first match's captures put into the
 * template (a reference past the last capture stays literal, an unmatched capture is empty), then each run of
 * separators becomes one space, then the ends are trimmed.
 */
function applyFormat(n: string, f: FormatRule): string {
  const parts = f.intlParts;
  const m = parts ? f.reUnanchored.exec(n) : null;
  if (!parts || !m) return n.replace(f.reUnanchored, f.intl).replace(SEPARATORS, ' ').trim();
  let replaced = n.slice(0, m.index);
  for (const part of parts) {
    if (typeof part === 'string') replaced += part;
    else if (part < m.length) replaced += m[part] ?? '';
    else replaced += `$${part}`;
  }
  replaced += n.slice(m.index + m[0].length);
  let out = '';
  let inRun = false;
  for (let i = 0; i < replaced.length; i++) {
    const c = replaced.charCodeAt(i);
    if (SEPARATOR_UNIT[c]) {
      if (!inRun) out += ' ';
      inRun = true;
    } else {
      out += replaced[i];
      inRun = false;
    }
  }
  return out.trim();
}

function formatIntl(n: string, plan: Plan): string {
  for (const f of plan.formats) {
    // both conditions must hold (chooseFormatForNumber); the anchored pattern is the cheaper test, so it goes first
    if (!f.re.test(n)) continue;
    if (f.leading && !matchesAtStart(f.leading, n)) continue;
    return `+${plan.callingCode} ${applyFormat(n, f)}`;
  }
  return `+${plan.callingCode} ${n}`;
}

/**
 * libphonenumber's answer for `text` ('+' and digits, or digits only) with `region` as the default country:
 * the parsed number when valid, 'INVALID' when not valid, undefined when this input is outside the mirrored
 * domain (ask libphonenumber).
 */
export function fastParse(text: string, region: string): FastParsed | 'INVALID' | undefined {
  let cc: string;
  let number: string;
  let plan: Plan;
  let country: Plan | undefined;
  if (text.charCodeAt(0) === 43) {
    if (text.charCodeAt(1) === 48) return undefined;
    const c1 = text.slice(1, 2);
    const c2 = text.slice(1, 3);
    if (c1 === '1') cc = '1';
    else if (c2 === '86' && !meta.hasCallingCode('8')) cc = '86';
    else return undefined;
    number = text.slice(1 + cc.length);
    plan = (countriesOf.get(cc) as Plan[])[0];
  } else {
    const p = plans.get(region);
    if (!p || !FAST_REGIONS.includes(region as never)) return undefined;
    plan = p;
    cc = plan.callingCode;
    if (matchesAtStart(plan.idd, text)) return undefined;
    if (text.startsWith(cc)) return undefined;
    number = text;
    country = plan;
  }
  if (number.length === 0) return undefined;
  const n = nationalOf(number, plan, cc);
  if (n === undefined) return undefined;
  const exact = countryOf(cc, n);
  if (exact) country = exact;
  if (n.length < MIN_NSN || n.length > MAX_NSN) return 'INVALID';
  const typePlan = country ?? plan;
  if (!typePlan.hasTypes) return undefined;
  const type = numberTypeOf(n, typePlan);
  if (type === undefined) return 'INVALID';
  const fmtPlan = country ?? plan;
  return { e164: `+${cc}${n}`, intl: formatIntl(n, fmtPlan), country: country?.country, type };
}
