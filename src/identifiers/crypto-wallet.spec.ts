/**
 * The wallet checks against bs58check and @noble/hashes used directly: same verdicts on random valid addresses,
 * one-character mutations and case flips.
 */
import fc from 'fast-check';
import bs58check from 'bs58check';
import { keccak_256 } from '@noble/hashes/sha3';
import { normalizeCryptoWallet } from './crypto-wallet';

const bytes = (n: number): fc.Arbitrary<Uint8Array> =>
  fc.array(fc.integer({ min: 0, max: 255 }), { minLength: n, maxLength: n }).map((a) => Uint8Array.from(a));
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function referenceEip55(hex40: string): string {
  const lower = hex40.toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(lower));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    out += lower[i] >= 'a' && lower[i] <= 'f' && nibble >= 8 ? lower[i].toUpperCase() : lower[i];
  }
  return out;
}

describe('wallet checks against bs58check and @noble/hashes', () => {
  it('base58check: valid TRON/BTC addresses accepted, mutations judged as bs58check judges them', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x41, 0x00, 0x05, 0x30),
        bytes(20),
        fc.nat(),
        fc.integer({ min: 0, max: 57 }),
        (version, body, pos, ch) => {
          const addr = bs58check.encode(Uint8Array.from([version, ...body]));
          const ok = normalizeCryptoWallet(addr);
          // 0x30 is litecoin's version (wallet-chains.ts)
          const chain = version === 0x30 ? 'LTC' : version === 0x41 ? 'TRON' : 'BTC';
          expect(ok.ok && ok.identifier.attributes?.chain).toBe(chain);
          const i = pos % addr.length;
          const mutated = addr.slice(0, i) + B58[ch] + addr.slice(i + 1);
          const r = normalizeCryptoWallet(mutated);
          if (/^[13T]/.test(mutated) && mutated.length >= 26) {
            const payload = bs58check.decodeUnsafe(mutated);
            if (!payload) expect(r).toMatchObject({ ok: false, reason: 'BAD_CHECKSUM' });
            else expect(r.ok).toBe(payload.length === 21 && [0x41, 0x00, 0x05].includes(payload[0]) && ok.ok);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('EIP-55: display equals the reference checksum; mixed case accepted only when it is the checksum', () => {
    fc.assert(
      fc.property(bytes(20), fc.nat(), (b, flip) => {
        const hex = Buffer.from(b).toString('hex');
        const reference = referenceEip55(hex);
        const r = normalizeCryptoWallet(`0x${hex}`);
        expect(r.ok && r.identifier.display).toBe(reference);
        expect(normalizeCryptoWallet(reference).ok).toBe(true);
        const i = 2 + (flip % 40);
        const c = reference[i];
        const flipped =
          reference.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + reference.slice(i + 1);
        const mixed = /[a-f]/.test(flipped.slice(2)) && /[A-F]/.test(flipped.slice(2));
        expect(normalizeCryptoWallet(flipped).ok).toBe(flipped === reference || !mixed);
      }),
      { numRuns: 3000 },
    );
  });
});
