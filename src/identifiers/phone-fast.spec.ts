/**
 * phone-fast mirrors libphonenumber for CN and NANP numbers: on every input where it answers, its answer must be
 * exactly libphonenumber's (valid: same E.164, international format, country and type; 'INVALID': libphonenumber
 * finds the number invalid too), and through normalizePhone the result must not depend on the fast path.
 */
import fc from 'fast-check';
import { type CountryCode } from 'libphonenumber-js/max';
import { fastParse } from './phone-fast';
import { normalizePhone, parseWithLibOnly, setPhoneFastPath } from './phone';
import { normalizeIdentifier } from './normalize';

function check(text: string, region: CountryCode): 'VALID' | 'INVALID' | 'FALLBACK' {
  const fast = fastParse(text, region);
  if (fast === undefined) return 'FALLBACK';
  const lib = parseWithLibOnly(text, region);
  if (fast === 'INVALID') {
    expect([text, region, typeof lib]).toEqual([text, region, 'string']);
    return 'INVALID';
  }
  expect([text, region, fast]).toEqual([text, region, lib]);
  return 'VALID';
}

const DIGITS = [...'0123456789'];
const digitsOf = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...DIGITS), { minLength: min, maxLength: max }).map((a) => a.join(''));

/** deterministic pseudo-random digits for the exhaustive prefix sweeps */
function filler(seed: number, n: number): string {
  let s = '';
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    s += String((x >>> 16) % 10);
  }
  return s;
}

describe('phone-fast: libphonenumber mirrored for CN and the NANP', () => {
  afterEach(() => setPhoneFastPath(true));

  it('agrees on random +1 numbers of every length (10 national digits mostly)', () => {
    const seen = { VALID: 0, INVALID: 0, FALLBACK: 0 };
    fc.assert(
      fc.property(fc.oneof(digitsOf(10, 10), digitsOf(10, 10), digitsOf(1, 14)), (d) => {
        seen[check(`+1${d}`, 'CN')]++;
      }),
      { numRuns: 6000 },
    );
    expect(seen.VALID).toBeGreaterThan(500);
    expect(seen.INVALID).toBeGreaterThan(500);
  });

  it('agrees for every NANP area code (200-999), several subscribers each, valid and invalid', () => {
    let valid = 0;
    for (let a = 200; a <= 999; a++) {
      for (const sub of [filler(a, 7), `${2 + (a % 8)}${filler(a * 7, 6)}`, `555${filler(a * 3, 4)}`, '2345678']) {
        if (check(`+1${a}${sub}`, 'CN') === 'VALID') valid++;
        check(`+1${a}${sub.slice(0, 3)}`, 'CN');
        check(`+1${a}${sub}1`, 'CN');
      }
    }
    expect(valid).toBeGreaterThan(1000);
  });

  it('agrees on every 3-digit leading prefix of +1 and every 4-digit one of +86, several lengths', () => {
    for (let p = 0; p < 1000; p++) {
      const pre = String(p).padStart(3, '0');
      for (const len of [7, 10, 11]) check(`+1${pre}${filler(p + len, len - 3)}`, 'CN');
    }
    for (let p = 0; p < 10000; p++) {
      const pre = String(p).padStart(4, '0');
      for (const len of [8, 11]) check(`+86${pre}${filler(p * 3 + len, len - 4)}`, 'CN');
    }
  });

  it('agrees on CN national numbers: every 4-digit prefix after the trunk 0, lengths 3 to 13', () => {
    const seen = { VALID: 0, INVALID: 0, FALLBACK: 0 };
    for (let p = 0; p < 10000; p++) {
      const pre = String(p).padStart(4, '0');
      for (const len of [9, 10, 11, 12]) seen[check(`0${pre}${filler(p + len, len - 5)}`, 'CN')]++;
      seen[check(`${pre}${filler(p, 7)}`, 'CN')]++;
    }
    expect(seen.VALID).toBeGreaterThan(5000);
    expect(seen.INVALID).toBeGreaterThan(5000);
  });

  it('agrees on random CN national and +86 numbers', () => {
    fc.assert(
      fc.property(digitsOf(3, 14), fc.constantFrom('', '0', '+86', '+860', '00', '86'), (d, prefix) => {
        check(`${prefix}${d}`, 'CN');
      }),
      { numRuns: 6000 },
    );
  });

  it('leaves other regions and calling codes to libphonenumber', () => {
    expect(fastParse('2025550123', 'US')).toBeUndefined();
    expect(fastParse('+442079460958', 'CN')).toBeUndefined();
    expect(fastParse('+0086123', 'CN')).toBeUndefined();
  });

  const spellings = (d: string): string[] => [
    d,
    `${d.slice(0, 4)}-${d.slice(4)}`,
    `(${d.slice(0, 4)}) ${d.slice(4)}`,
    `+86 ${d.slice(1)}`,
    `0086 ${d.slice(1)}`,
    `+1 ${d.slice(1, 4)}-${d.slice(4, 7)}-${d.slice(7)}`,
    `1 ${d.slice(1)}`,
    `${d} ext 12`,
    d.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
  ];

  it('normalizePhone and normalizeIdentifier give the same results with and without the fast path', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc
            .tuple(fc.constantFrom('01', '02', '03', '04', '05', '07', '08', '09'), digitsOf(8, 10))
            .map((t) => t.join('')),
          fc
            .tuple(fc.constantFrom('1', '0'), fc.integer({ min: 200, max: 999 }), digitsOf(7, 7))
            .map((t) => t.join('')),
        ),
        fc.constantFrom('CN', 'US'),
        (d, region) => {
          for (const s of spellings(d)) {
            setPhoneFastPath(true);
            const fast = [
              normalizePhone(s, region),
              normalizeIdentifier({ kind: 'PHONE', value: s }, { defaultRegion: region }),
            ];
            const fastAny = normalizeIdentifier({ value: s }, { defaultRegion: region });
            setPhoneFastPath(false);
            const lib = [
              normalizePhone(s, region),
              normalizeIdentifier({ kind: 'PHONE', value: s }, { defaultRegion: region }),
            ];
            const libAny = normalizeIdentifier({ value: s }, { defaultRegion: region });
            expect([s, region, fast]).toEqual([s, region, lib]);
            expect([s, region, fastAny]).toEqual([s, region, libAny]);
          }
        },
      ),
      { numRuns: 600 },
    );
  });
});
