/** The CN mobile fast path of phone.ts must give exactly libphonenumber's answer. */
import fc from 'fast-check';
import metadata from 'libphonenumber-js/metadata.max.json';
import { CN_MOBILE_METADATA_PATTERN, cnServiceType, normalizePhone, parseCnMobile, parseWithLibOnly } from './phone';

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

describe('cnServiceType', () => {
  const byRegex = (national: string): string | undefined => {
    if (/^1[12]\d$/.test(national)) return 'EMERGENCY';
    if (/^1(?:00\d\d|2\d{3})$/.test(national)) return 'SHORT_CODE';
    if (/^9[56]\d{3,4}$/.test(national)) return 'SERVICE_95_96';
    if (/^400\d{7}$/.test(national)) return 'UAN_400';
    if (/^800\d{7}$/.test(national)) return 'TOLL_FREE_800';
    return undefined;
  };

  it('reads the service-number patterns as the regexes do', () => {
    // every string of 3 digits, every 2-character prefix of 5 and 6 digits, 10 digits by their first 3
    for (let p = 0; p < 1000; p++) {
      const d = String(p).padStart(3, '0');
      for (const t of [d, `${d}42`, `${d}421`, `${d}4213579`, d.slice(0, 2)])
        expect([t, cnServiceType(t)]).toEqual([t, byRegex(t)]);
    }
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a+ \-０-９]{0,11}$/), (t) => {
        expect(cnServiceType(t)).toBe(byRegex(t));
      }),
      { numRuns: 5000 },
    );
  });
});
