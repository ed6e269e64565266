/**
 * Chinese resident identity card numbers (居民身份证号码, GB 11643-1999): 6-digit region, 8-digit birth date,
 * 3-digit sequence, 1 check character (0-9 or X, ISO 7064 MOD 11-2). They are victims' personal data: they are
 * redacted from narratives and refused as identifiers, never stored.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The GB 11643 check character for 17 digits. */
export function gb11643CheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK[sum % 11];
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}

/** True for an 18-character resident ID with a plausible region, a real birth date and a valid check character. */
export function isCnResidentId(s: string): boolean {
  if (!/^[1-9]\d{16}[\dXx]$/.test(s)) return false;
  if (!/^[1-8]/.test(s)) return false;
  const y = Number(s.slice(6, 10));
  if (y < 1900 || y > 2100) return false;
  if (!validDate(y, Number(s.slice(10, 12)), Number(s.slice(12, 14)))) return false;
  return gb11643CheckChar(s) === s[17].toUpperCase();
}

/** Old 15-digit IDs (no check character): region + YYMMDD + sequence. Only trusted with 身份证 context. */
export function looksLikeOldResidentId(s: string): boolean {
  if (!/^[1-8]\d{14}$/.test(s)) return false;
  return validDate(1900 + Number(s.slice(6, 8)), Number(s.slice(8, 10)), Number(s.slice(10, 12)));
}
