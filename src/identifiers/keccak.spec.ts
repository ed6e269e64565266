/** The one-block Keccak-256 of keccak.ts must equal @noble/hashes's keccak_256 (Ethereum's Keccak). */
import fc from 'fast-check';
import { keccak_256 } from '@noble/hashes/sha3';
import { keccak256Latin1 } from './keccak';

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('keccak256Latin1', () => {
  it('has the known Keccak-256 of the empty string', () => {
    expect(Buffer.from(keccak256Latin1('')).toString('hex')).toBe(
      'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
  });

  it('equals @noble/hashes keccak_256 on every length 0-135 and random Latin-1 messages', () => {
    for (let n = 0; n <= 135; n++) {
      const s = Array.from({ length: n }, (_, i) => String.fromCharCode((i * 131 + n * 7) & 0xff)).join('');
      expect(Buffer.from(keccak256Latin1(s)).toString('hex')).toBe(Buffer.from(keccak_256(latin1(s))).toString('hex'));
    }
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 135 }), (codes) => {
        const s = String.fromCharCode(...codes);
        expect(Buffer.from(keccak256Latin1(s)).toString('hex')).toBe(
          Buffer.from(keccak_256(Uint8Array.from(codes))).toString('hex'),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('equals it on random lower-case 40-hex addresses (the EIP-55 input)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: 40, maxLength: 40 }), (a) => {
        const s = a.join('');
        expect(keccak256Latin1(s, 20)).toEqual(keccak_256(latin1(s)).slice(0, 20));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses more than one block and non-Latin-1 text', () => {
    expect(() => keccak256Latin1('x'.repeat(136))).toThrow(RangeError);
    expect(() => keccak256Latin1('地址')).toThrow(RangeError);
  });
});
