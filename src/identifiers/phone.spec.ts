/** normalizePhone against libphonenumber-js asked directly, and the Chinese service-number patterns. */
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { cnServiceType, normalizePhone } from './phone';

describe('normalizePhone on CN mobile numbers', () => {
  const national = fc
    .tuple(fc.constantFrom(...'3456789'), fc.stringMatching(/^[0-9]{9}$/))
    .map(([c, r]) => `1${c}${r}`);

  it("gives libphonenumber's answer in every spelling", () => {
    fc.assert(
      fc.property(national, (d) => {
        const r = normalizePhone(d, 'CN');
        const lib = parsePhoneNumberFromString(d, 'CN');
        const valid = lib?.isValid() === true;
        expect(r.ok).toBe(valid);
        if (r.ok && lib && valid) {
          expect(r.identifier.value).toBe(lib.number);
          expect(r.identifier.display).toBe(lib.formatInternational());
          expect(normalizePhone(`86 ${d}`, 'CN')).toEqual(r);
          expect(normalizePhone(`+86 ${d}`, 'US')).toEqual(r);
        }
      }),
      { numRuns: 2000 },
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
