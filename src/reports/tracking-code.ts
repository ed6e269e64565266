import { randomBytes } from 'node:crypto';

/**
 * Public tracking codes: 15 random symbols of Crockford's base-32 alphabet (75 bits from the CSPRNG, far
 * above the 60-bit floor: guessing one live code among a million takes ~2^55 tries) plus one check symbol
 * (Damm's algorithm over GF(32): catches every single-symbol error and every swap of two adjacent
 * symbols). Shown in four
 * groups of four, e.g. `K7QX-M2PD-9HTR-4WZC`: short enough to read over the phone, and the alphabet has no
 * I, L, O or U, so what is heard cannot be misread. Input is forgiving: any case, spaces and dashes ignored,
 * I/L read as 1 and O as 0.
 */
export const TRACKING_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TRACKING_RANDOM_SYMBOLS = 15;
export const TRACKING_CODE_BITS = TRACKING_RANDOM_SYMBOLS * 5;

function valueOf(c: string): number {
  return TRACKING_ALPHABET.indexOf(c);
}

/** x · 2 in GF(32) (polynomial x^5 + x^2 + 1). */
function times2(x: number): number {
  const y = x << 1;
  return y & 32 ? (y ^ 0b100101) & 31 : y;
}

/**
 * Damm's check over the totally anti-symmetric quasigroup x ∘ y = 2·x ⊕ y of GF(32): detects every
 * single-symbol error and every transposition of two adjacent symbols (Luhn mod 32 misses 0↔Z).
 */
function damm(symbols: string): number {
  let interim = 0;
  for (const c of symbols) interim = times2(interim) ^ valueOf(c);
  return interim;
}

/** The check symbol for a string of alphabet symbols. */
export function checkSymbol(body: string): string {
  return TRACKING_ALPHABET[times2(damm(body))];
}

function isValidWithCheck(code: string): boolean {
  return damm(code) === 0;
}

/** A new code in canonical form (16 symbols, no dashes). */
export function newTrackingCode(random: (n: number) => Buffer = randomBytes): string {
  const bytes = random(TRACKING_RANDOM_SYMBOLS);
  let body = '';
  // 5 bits of each byte: uniform over the 32 symbols
  for (let i = 0; i < TRACKING_RANDOM_SYMBOLS; i++) body += TRACKING_ALPHABET[bytes[i] & 31];
  return body + checkSymbol(body);
}

/** `K7QXM2PD9HTR4WZC` -> `K7QX-M2PD-9HTR-4WZC`. */
export function formatTrackingCode(canonical: string): string {
  return canonical.match(/.{1,4}/g)?.join('-') ?? canonical;
}

/**
 * What a person typed -> the canonical code, or undefined when it is not a well-formed code with a correct
 * check symbol (so typos are answered without touching the store).
 */
export function parseTrackingCode(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 64) return undefined;
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (s.length !== TRACKING_RANDOM_SYMBOLS + 1) return undefined;
  for (const c of s) if (valueOf(c) < 0) return undefined;
  return isValidWithCheck(s) ? s : undefined;
}
