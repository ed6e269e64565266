/** The CN mobile fast path of phone.ts must give exactly libphonenumber's answer. */
import fc from 'fast-check';
import metadata from 'libphonenumber-js/metadata.max.json';
import { CN_MOBILE_METADATA_PATTERN, normalizePhone, parseCnMobile, parseWithLibOnly } from './phone';

describe('CN mobile fast path', () => {
  it('uses the mobile pattern of the installed libphonenumber-js metadata', () => {
    const cn = (metadata as unknown as { countries: Record<string, unknown[]> }).countries.CN;
    const types = cn[11] as [string][];
    expect(types[1][0]).toBe(CN_MOBILE_METADATA_PATTERN);
  });

  const national = fc
    .tuple(fc.constantFrom(...'3456789'), fc.stringMatching(/^[0-9]{9}$/))
    .map(([c, r]) => `1${c}${r}`);

  it('agrees with libphonenumber on random 1[3-9] numbers, national, +86 and 0086', () => {
    fc.assert(
      fc.property(national, fc.constantFrom('', '+86', '0086'), (d, prefix) => {
        const fast = parseCnMobile(d);
        const text = `${prefix}${d}`;
        const lib = parseWithLibOnly(text, 'CN');
        if (fast === undefined) return;
        expect(fast).toEqual(lib);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with libphonenumber for every 5-digit prefix', () => {
    for (let p = 13000; p < 20000; p++) {
      const d = `${p}${String((p * 7919) % 1000000).padStart(6, '0')}`;
      const fast = parseCnMobile(d);
      if (fast === undefined) continue;
      expect([d, fast]).toEqual([d, parseWithLibOnly(d, 'CN')]);
      expect([d, fast]).toEqual([d, parseWithLibOnly(`+86${d}`, 'US')]);
    }
  });

  it('normalizePhone gives the same result through the fast path in every spelling', () => {
    fc.assert(
      fc.property(national, (d) => {
        const r = normalizePhone(d, 'CN');
        const lib = parseWithLibOnly(d, 'CN');
        expect(r.ok).toBe(typeof lib !== 'string');
        if (r.ok && typeof lib !== 'string') {
          expect(r.identifier.value).toBe(lib.e164);
          expect(r.identifier.display).toBe(lib.intl);
          expect(normalizePhone(`86 ${d}`, 'CN')).toEqual(r);
          expect(normalizePhone(`+86 ${d}`, 'US')).toEqual(r);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
