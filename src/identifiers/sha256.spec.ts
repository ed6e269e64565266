/** sha256.ts against node:crypto's SHA-256 and base-x's base58 decoder, on random input. */
import { createHash } from 'node:crypto';
import basex from 'base-x';
import fc from 'fast-check';
import { base58Map, decodeBase58, sha256 } from './sha256';

const BTC = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const XRP = 'rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz';

describe('sha256.ts', () => {
  it('SHA-256 equals node:crypto on every length 0–300 and random bytes', () => {
    for (let n = 0; n <= 300; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n * 7) & 0xff);
      expect(Buffer.from(sha256(data)).toString('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (data) => {
        expect(Buffer.from(sha256(data)).toString('hex')).toBe(createHash('sha256').update(data).digest('hex'));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['bitcoin', BTC],
    ['ripple', XRP],
  ])('base58 (%s alphabet) decodes exactly as base-x decodeUnsafe', (_name, alphabet) => {
    const ref = basex(alphabet);
    const map = base58Map(alphabet);
    const chars = fc.constantFrom(...alphabet, alphabet[0], alphabet[0], '0', 'O', 'l', 'é', '中', ' ');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 60 }), (a) => {
        const s = a.join('');
        const want = ref.decodeUnsafe(s);
        const got = decodeBase58(s, map);
        expect(got && Buffer.from(got).toString('hex')).toEqual(want && Buffer.from(want).toString('hex'));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const s = ref.encode(bytes);
        expect(Buffer.from(decodeBase58(s, map) as Uint8Array).toString('hex')).toBe(
          Buffer.from(bytes).toString('hex'),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
