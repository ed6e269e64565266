/**
 * BANK_ACCOUNT: digits only (leading zeros kept: they are part of account numbers).
 * - card numbers: 13–19 digits and Luhn-valid → `attributes.cardNumber = true`; other account numbers → false.
 * - when the source names the bank (SWIFT/BIC), the canonical value is `<BIC8>:<digits>`: the branch code is
 *   dropped so `DBSSSGSG` and `DBSSSGSGXXX` are the same bank; the branch (if not XXX) stays as an attribute.
 *   Without a BIC the value is the bare digits. (The same account reported with and without its BIC therefore
 *   gives two keys; sources either always or never carry the BIC, so this is the safer choice.)
 */
import { accept, reject, type NormalizeResult } from './kinds';
import { fold } from './text';
import { isCnResidentId } from './resident-id';

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return digits.length > 0 && sum % 10 === 0;
}

export function isCardNumber(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && luhnValid(digits);
}

const BIC = /^([A-Z]{4})([A-Z]{2})([A-Z0-9]{2})([A-Z0-9]{3})?$/;

/** BIC8 of a SWIFT/BIC (8 or 11 characters), or undefined when malformed. */
export function bic8(bic: string): { bic8: string; branch?: string } | undefined {
  const m = BIC.exec(bic.trim().toUpperCase());
  if (!m) return undefined;
  const b8 = `${m[1]}${m[2]}${m[3]}`;
  return m[4] && m[4] !== 'XXX' ? { bic8: b8, branch: m[4] } : { bic8: b8 };
}

export const BANK_ACCOUNT_MIN_DIGITS = 6;
export const BANK_ACCOUNT_MAX_DIGITS = 34;

/** ISO 13616 IBAN check: move the first four characters to the end, letters → 10..35, mod 97 must be 1. */
export function ibanValid(iban: string): boolean {
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const code = ch.charCodeAt(0);
    const v = code >= 65 ? String(code - 55) : ch;
    for (const d of v) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

/**
 * IBANs (the one non-digit account format accepted, since international sources such as the 165 list give
 * them): upper-case, mod-97 checked; the IBAN names the bank itself, so the value is the IBAN alone and a BIC
 * given by the source is only kept as an attribute.
 */
function iban(value: string, givenBic: string | undefined): NormalizeResult {
  if (!ibanValid(value)) return reject('BAD_CHECKSUM', 'IBAN mod-97 check failed');
  const attributes: Record<string, string | boolean> = { cardNumber: false, iban: true };
  const b = givenBic ? bic8(givenBic) : undefined;
  if (b) attributes.bic8 = b.bic8;
  return accept({ kind: 'BANK_ACCOUNT', value, display: value.replace(/(.{4})(?=.)/g, '$1 '), attributes });
}

/** Digits in groups of four, as `digits.replace(/(\d{4})(?=\d)/g, '$1 ')` writes them. */
function groupDigits(digits: string): string {
  if (digits.length <= 4) return digits;
  let out = digits.slice(0, 4);
  for (let i = 4; i < digits.length; i += 4) out += ` ${digits.slice(i, i + 4)}`;
  return out;
}

function isAsciiDigits(s: string): boolean {
  if (typeof s !== 'string' || s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function normalizeBankAccount(raw: string, bic?: string): NormalizeResult {
  // digits only (what extraction passes): nothing to fold, trim, strip, or read as a BIC prefix or an IBAN
  const plain = isAsciiDigits(raw);
  let s = plain ? raw : fold(raw).trim();
  let givenBic = bic?.trim() || undefined;
  const keyed = plain ? null : /^([A-Za-z]{6}[A-Za-z0-9]{2}(?:[A-Za-z0-9]{3})?):(.*)$/.exec(s);
  if (keyed) {
    givenBic = keyed[1];
    s = keyed[2];
  }
  if (!s) return reject('EMPTY', 'empty account number');
  const compact = plain ? s : s.replace(/[\s\-.()/]/g, '');
  if (!compact) return reject('EMPTY', 'no digits');
  if (isCnResidentId(compact)) return reject('PERSONAL_DATA', 'a resident ID number, not an account');
  if (/^[A-Za-z]{2}\d{2}[A-Za-z0-9]{10,30}$/.test(compact)) return iban(compact.toUpperCase(), givenBic);
  if (!/^\d+$/.test(compact)) return reject('UNKNOWN_FORMAT', 'an account number has digits only (or is an IBAN)');
  if (compact.length < BANK_ACCOUNT_MIN_DIGITS) return reject('TOO_SHORT', `${compact.length} digits`);
  if (compact.length > BANK_ACCOUNT_MAX_DIGITS) return reject('TOO_LONG', `${compact.length} digits`);
  const card = isCardNumber(compact);
  const attributes: Record<string, string | boolean> = { cardNumber: card };
  let value = compact;
  if (givenBic) {
    const b = bic8(givenBic);
    if (!b) return reject('INVALID_BIC', `malformed SWIFT/BIC "${givenBic.slice(0, 20)}"`);
    attributes.bic8 = b.bic8;
    if (b.branch) attributes.branch = b.branch;
    value = `${b.bic8}:${compact}`;
  }
  const grouped = groupDigits(compact);
  return accept({
    kind: 'BANK_ACCOUNT',
    value,
    display: attributes.bic8 ? `${grouped} (${attributes.bic8 as string})` : grouped,
    attributes,
  });
}
