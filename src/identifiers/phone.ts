/**
 * PHONE: E.164 via libphonenumber-js (full "max" metadata, so validity is checked against the numbering plan,
 * not only the length). Chinese service / short numbers have no E.164 form and get a stable national key.
 */
import {
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type MetadataJson,
} from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/metadata.max.json';
import { accept, reject, type NormalizeResult, type NormalizedIdentifier } from './kinds';
import { fold } from './text';
import { libTrace } from './lib-trace';

export const DEFAULT_REGION = 'CN';

/**
 * libphonenumber-js's full ("max") metadata, passed to its core functions: what `libphonenumber-js/max` does for
 * each call, without that wrapper's copy of the arguments.
 */
const METADATA: MetadataJson = metadataJson;

/**
 * Virtual-operator (MVNO) mobile ranges of mainland China: 162, 165, 167, 170, 171. Numbers in these ranges get
 * `attributes.virtualOperator = true`; they are over-represented in fraud and matter for risk scoring.
 */
const CN_VIRTUAL_OPERATOR = /^\+861(?:62|65|67|70|71)\d{8}$/;

/**
 * Chinese service and short numbers, keyed as `CN:<national digits>` (e.g. `CN:95588`, `CN:4008123123`):
 * they cannot be dialled from abroad, so E.164 would be a fiction, and one national form keeps them stable.
 * - EMERGENCY: 3-digit 11x/12x (110 police, 119 fire, 120 ambulance, 122 traffic ...)
 * - SHORT_CODE: 5-digit 100xx (carriers: 10086, 10010, 10000, 10099) and 12xxx (government hotlines: 12110,
 *   12315, 12321, 12345, 12381 ...)
 * - SERVICE_95_96: 95xxx / 96xxx (5 or 6 digits: bank and enterprise hotlines such as 95588, and 96110)
 * - UAN_400 / TOLL_FREE_800: 10-digit 400/800 enterprise numbers
 */
export function cnServiceType(national: string): string | undefined {
  // every pattern below has 3, 5, 6 or 10 digits
  // the patterns of the comment above, read by char codes (phone.spec compares them with the regexes)
  const n = national.length;
  if (n !== 3 && n !== 5 && n !== 6 && n !== 10) return undefined;
  for (let i = 0; i < n; i++) {
    const c = national.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const c0 = national.charCodeAt(0);
  const c1 = national.charCodeAt(1);
  if (n === 3) return c0 === 49 && (c1 === 49 || c1 === 50) ? 'EMERGENCY' : undefined;
  if (n === 5 && c0 === 49 && ((c1 === 48 && national.charCodeAt(2) === 48) || c1 === 50)) return 'SHORT_CODE';
  if (n !== 10) return c0 === 57 && (c1 === 53 || c1 === 54) ? 'SERVICE_95_96' : undefined;
  if (c1 !== 48 || national.charCodeAt(2) !== 48) return undefined;
  return c0 === 52 ? 'UAN_400' : c0 === 56 ? 'TOLL_FREE_800' : undefined;
}

function formatCnService(n: string): string {
  if (n.length === 10) return `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`;
  return n;
}

interface ParsedPhone {
  e164: string;
  intl: string;
  country: string | undefined;
  type: string | undefined;
}

/**
 * `text` is '+' and digits, or digits only. With `reason` false, an invalid number is 'INVALID_PHONE' without
 * libphonenumber's length check (callers that only need valid / not valid).
 */
function parseWithLib(text: string, region: CountryCode, reason = true): ParsedPhone | string {
  libTrace.on?.('PHONE_PARSE', text, region);
  const p = parsePhoneNumberFromString(text, { defaultCountry: region, extract: false }, METADATA);
  // a number with a type is valid (isValid() is "has a type" where the metadata has types, and a type needs
  // the national pattern that isValid() checks elsewhere): asked first, it spares a valid number the second
  // walk over its type patterns (each a RegExp built anew by the library), which isValid() would take
  const type = p?.getType();
  if (p && (type !== undefined || p.isValid())) {
    return { e164: p.number, intl: p.formatInternational(), country: p.country, type };
  }
  return reason ? lengthReason(text, region) : 'INVALID_PHONE';
}

function lengthReason(text: string, region: CountryCode): string {
  libTrace.on?.('PHONE_LENGTH', text, region);
  const len = validatePhoneNumberLength(text, region, METADATA);
  return len === 'TOO_SHORT' ? 'TOO_SHORT' : len === 'TOO_LONG' ? 'TOO_LONG' : 'INVALID_PHONE';
}

function serviceIdentifier(national: string, display: string): NormalizedIdentifier {
  return {
    kind: 'PHONE',
    value: `CN:${national}`,
    display: display || formatCnService(national),
    attributes: { service: true, serviceType: cnServiceType(national) as string, country: 'CN' },
  };
}

/** True for a non-empty string of ASCII digits, with or without one leading '+'. */
function isPlusDigits(s: string): boolean {
  if (typeof s !== 'string') return false;
  const n = s.length;
  let i = n > 0 && s.charCodeAt(0) === 43 ? 1 : 0;
  if (i === n) return false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Allowed characters of a written phone number after folding (digits, +, separators, brackets). */
const PHONE_CHARS = /^\+?[\d\s\-.()/[\]]*$/;
/** A North American area code in brackets at the start: "(315) …" (Chinese area codes are "(0NN)"/"(0NNN)"). */
const NANP_AREA_CODE = /^\(\s*[2-9]\d{2}\s*\)/;
/** Extension suffix: "ext 12", "x12", "#12", "转12", "分机12". */
const EXTENSION = /^(.*?\d)\s*(?:ext\.?|x|#|转|分机)\s*(\d{1,6})$/i;

/**
 * Normalises a phone number written by a person or a data file. `region` is the ISO 3166 region used when the
 * number carries no country code ('CN' by default; importers pass their own, e.g. 'US' for the FTC file).
 * `withReason` false: an invalid number is rejected as INVALID_PHONE without telling TOO_SHORT / TOO_LONG apart
 * (extraction only asks valid or not).
 */
export function normalizePhone(raw: string, region: string = DEFAULT_REGION, withReason = true): NormalizeResult {
  // '+' and digits only (what extraction passes): nothing to fold, trim, or split off as an extension
  const plain = isPlusDigits(raw);
  let s = plain ? raw : fold(raw).trim();
  if (!s) return reject('EMPTY', 'empty phone number');
  if (s.length > 64) return reject('TOO_LONG', 'phone number longer than 64 characters');
  const reg = region.toUpperCase();
  libTrace.on?.('PHONE_SUPPORTED', reg);
  if (!isSupportedCountry(reg as CountryCode, METADATA))
    return reject('UNKNOWN_FORMAT', `unsupported region ${region}`);
  const cc = reg as CountryCode;

  // Canonical service form, e.g. 'CN:95588' (idempotence).
  const keyed = plain ? null : /^CN:(\d{3,10})$/.exec(s);
  if (keyed) {
    if (cnServiceType(keyed[1])) return accept(serviceIdentifier(keyed[1], ''));
    return reject('INVALID_PHONE', `${s} is not a Chinese service number`);
  }

  let extension: string | undefined;
  const ext = plain ? null : EXTENSION.exec(s);
  if (ext) {
    s = ext[1];
    extension = ext[2];
  }
  if (!plain && !PHONE_CHARS.test(s)) return reject('UNKNOWN_FORMAT', 'characters other than digits and separators');
  const hasPlus = s.startsWith('+');
  const digits = plain ? (hasPlus ? s.slice(1) : s) : s.replace(/\D/g, '');
  if (!digits) return reject('EMPTY', 'no digits');
  if (digits.length > 20) return reject('TOO_LONG', `${digits.length} digits`);

  // "(315) 232-8257": a leading (NNN) with N 2–9 is how the North American plan writes an area code; Chinese
  // area codes start with 0 ("(0769) 2222 3333"). Read in CN, such a number is North American when it is valid
  // there, and refused otherwise (never +86: "(315) 232-8257" is not a Tangshan landline). A bracketed mobile
  // prefix "(138) 0013 8000" can be no North American number (no area code starts with 0 or 1): read as usual.
  if (!plain && !hasPlus && cc === 'CN' && NANP_AREA_CODE.test(s)) {
    const nanp = digits.length === 10 ? parseWithLib(`+1${digits}`, 'US', withReason) : 'INVALID_PHONE';
    if (typeof nanp === 'string') {
      return reject(
        'INVALID_PHONE',
        'a leading (NNN) is a North American area code (Chinese ones start with 0), and this is no valid North American number',
      );
    }
    return accept(phoneIdentifier(nanp, extension));
  }

  // Chinese service numbers: national digits with or without +86 / 0086 / 86.
  let cnNational: string | undefined;
  if (hasPlus && digits.startsWith('86')) cnNational = digits.slice(2);
  else if (!hasPlus && digits.startsWith('0086')) cnNational = digits.slice(4);
  else if (!hasPlus && cc === 'CN') cnNational = digits;
  if (cnNational !== undefined && cnServiceType(cnNational)) {
    return accept(serviceIdentifier(cnNational, s));
  }

  let parsed = parseWithLib(hasPlus ? `+${digits}` : digits, cc, withReason);
  if (typeof parsed === 'string' && !hasPlus) {
    // Country code written without '+' or '00' (e.g. '86 138 0013 8000', '1 315 232 8257').
    libTrace.on?.('PHONE_CALLING_CODE', cc);
    const code = getCountryCallingCode(cc, METADATA);
    if (digits.startsWith(code) && digits.length > code.length + 6) {
      const alt = parseWithLib(`+${digits}`, cc, withReason);
      if (typeof alt !== 'string') parsed = alt;
    }
  }
  if (typeof parsed === 'string') {
    const reason = parsed === 'TOO_SHORT' ? 'TOO_SHORT' : parsed === 'TOO_LONG' ? 'TOO_LONG' : 'INVALID_PHONE';
    return reject(reason, `${digits} is not a valid phone number for region ${cc}`);
  }
  return accept(phoneIdentifier(parsed, extension));
}

function phoneIdentifier(parsed: ParsedPhone, extension: string | undefined): NormalizedIdentifier {
  const attributes: Record<string, string | boolean> = {};
  if (parsed.country) attributes.country = parsed.country;
  if (parsed.type) attributes.type = parsed.type;
  if (CN_VIRTUAL_OPERATOR.test(parsed.e164)) attributes.virtualOperator = true;
  if (extension) attributes.extension = extension;
  return { kind: 'PHONE', value: parsed.e164, display: parsed.intl, attributes };
}
