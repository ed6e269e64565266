import { randomBytes } from 'node:crypto';
import {
  checkSymbol,
  formatTrackingCode,
  newTrackingCode,
  parseTrackingCode,
  TRACKING_ALPHABET,
  TRACKING_CODE_BITS,
} from './tracking-code';

describe('tracking codes', () => {
  it('are 16 symbols of the unambiguous alphabet, shown as four groups of four, with >= 60 random bits', () => {
    expect(TRACKING_CODE_BITS).toBeGreaterThanOrEqual(60);
    for (let i = 0; i < 200; i++) {
      const code = newTrackingCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
      expect(formatTrackingCode(code)).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(parseTrackingCode(code)).toBe(code);
      expect(parseTrackingCode(formatTrackingCode(code).toLowerCase())).toBe(code);
    }
  });

  it('draws every random symbol uniformly (no bias from the byte mapping)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++)
      for (const c of newTrackingCode().slice(0, 15)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(32);
    for (const n of counts.values()) expect(Math.abs(n - 60000 / 32) / (60000 / 32)).toBeLessThan(0.15);
  });

  it('does not repeat in 100,000 draws', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(newTrackingCode());
    expect(seen.size).toBe(100_000);
  });

  it('reads I/L as 1 and O as 0, ignores spaces and dashes', () => {
    const code = newTrackingCode(() => Buffer.from([1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]));
    expect(code.slice(0, 15)).toBe('101010101010101');
    const typed = code.replace(/1/g, 'l').replace(/0/g, 'O');
    expect(parseTrackingCode(` ${formatTrackingCode(typed)} `)).toBe(code);
    expect(parseTrackingCode(typed.replace(/l/g, 'I'))).toBe(code);
  });

  it('rejects every single-symbol typo and every adjacent swap', () => {
    const nasty = '0Z0Z0Z0Z0Z0Z0Z'; // 0<->Z swaps are what Luhn mod 32 misses
    const codes = [nasty + checkSymbol(nasty), ...Array.from({ length: 30 }, () => newTrackingCode())];
    for (const code of codes) {
      for (let i = 0; i < code.length; i++) {
        for (const c of TRACKING_ALPHABET) {
          if (c === code[i]) continue;
          expect(parseTrackingCode(code.slice(0, i) + c + code.slice(i + 1))).toBeUndefined();
        }
        if (i + 1 < code.length && code[i] !== code[i + 1]) {
          const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
          expect(parseTrackingCode(swapped)).toBeUndefined();
        }
      }
    }
  });

  it('rejects wrong lengths, foreign symbols and non-strings', () => {
    const code = newTrackingCode();
    for (const bad of [code.slice(1), `${code}0`, `${code.slice(0, 15)}U`, '', 'x'.repeat(100), `{"$gt":""}`]) {
      expect(parseTrackingCode(bad)).toBeUndefined();
    }
    for (const bad of [null, undefined, 42, { $gt: '' }]) expect(parseTrackingCode(bad)).toBeUndefined();
  });

  it('computes the check symbol over the body (known vector)', () => {
    const body = randomBytes(15).reduce((s, b) => s + TRACKING_ALPHABET[b & 31], '');
    expect(parseTrackingCode(body + checkSymbol(body))).toBe(body + checkSymbol(body));
    expect(checkSymbol('000000000000000')).toBe('0');
  });
});
