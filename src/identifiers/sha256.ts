/**
 * SHA-256 (FIPS 180-4) and base58 decoding for base58check wallet addresses, in plain TypeScript on 32-bit
 * integers: an address needs two SHA-256 of one block each and one base58 decode of ~34 characters, for which a
 * call into node:crypto (~2 µs each, with its Buffer) and base-x's byte-at-a-time decode cost more than the work
 * itself. sha256.spec compares both with node:crypto and base-x on random input.
 */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const W = new Int32Array(64);
const H = new Int32Array(8);

function compress(p: Uint8Array, off: number): void {
  for (let t = 0; t < 16; t++) {
    const i = off + 4 * t;
    W[t] = (p[i] << 24) | (p[i + 1] << 16) | (p[i + 2] << 8) | p[i + 3];
  }
  for (let t = 16; t < 64; t++) {
    const x = W[t - 15];
    const y = W[t - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
  }
  let a = H[0];
  let b = H[1];
  let c = H[2];
  let d = H[3];
  let e = H[4];
  let f = H[5];
  let g = H[6];
  let h = H[7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[t] + W[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0] + a) | 0;
  H[1] = (H[1] + b) | 0;
  H[2] = (H[2] + c) | 0;
  H[3] = (H[3] + d) | 0;
  H[4] = (H[4] + e) | 0;
  H[5] = (H[5] + f) | 0;
  H[6] = (H[6] + g) | 0;
  H[7] = (H[7] + h) | 0;
}

/** SHA-256 of `data`: a new 32-byte array. */
export function sha256(data: Uint8Array): Uint8Array {
  const n = data.length;
  const total = ((n + 9 + 63) >>> 6) << 6;
  const p = new Uint8Array(total);
  p.set(data);
  p[n] = 0x80;
  // the message length in bits, big-endian, in the last 8 bytes (lengths below 2^29 bytes: the low 32 bits
  // and the top 3 bits of the byte count)
  const bitsHigh = Math.floor(n / 0x20000000);
  const bitsLow = (n << 3) >>> 0;
  p[total - 8] = 0;
  p[total - 7] = 0;
  p[total - 6] = 0;
  p[total - 5] = bitsHigh & 0xff;
  p[total - 4] = bitsLow >>> 24;
  p[total - 3] = (bitsLow >>> 16) & 0xff;
  p[total - 2] = (bitsLow >>> 8) & 0xff;
  p[total - 1] = bitsLow & 0xff;
  H[0] = 0x6a09e667;
  H[1] = 0xbb67ae85 | 0;
  H[2] = 0x3c6ef372;
  H[3] = 0xa54ff53a | 0;
  H[4] = 0x510e527f;
  H[5] = 0x9b05688c | 0;
  H[6] = 0x1f83d9ab;
  H[7] = 0x5be0cd19;
  for (let off = 0; off < total; off += 64) compress(p, off);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = H[i];
    out[4 * i] = v >>> 24;
    out[4 * i + 1] = (v >>> 16) & 0xff;
    out[4 * i + 2] = (v >>> 8) & 0xff;
    out[4 * i + 3] = v & 0xff;
  }
  return out;
}

/** A base58 alphabet's digit values by ASCII code (255: not a digit). */
export function base58Map(alphabet: string): Uint8Array {
  const map = new Uint8Array(128).fill(255);
  for (let i = 0; i < alphabet.length; i++) map[alphabet.charCodeAt(i)] = i;
  return map;
}

/**
 * base-x's `decodeUnsafe`: the leading zero digits (the alphabet's first character) as zero bytes, then the
 * big-endian bytes of the number without leading zeros; undefined when a character is not in the alphabet.
 * The number is kept in 32-bit limbs (little-endian) while the digits are read.
 */
export function decodeBase58(s: string, map: Uint8Array): Uint8Array | undefined {
  const n = s.length;
  const leader = map.indexOf(0);
  let zeros = 0;
  while (zeros < n && s.charCodeAt(zeros) === leader) zeros++;
  const limbs: number[] = [];
  for (let i = zeros; i < n; i++) {
    const c = s.charCodeAt(i);
    const digit = c < 128 ? map[c] : 255;
    if (digit === 255) return undefined;
    let carry = digit;
    for (let k = 0; k < limbs.length; k++) {
      const x = limbs[k] * 58 + carry;
      carry = Math.floor(x / 4294967296);
      limbs[k] = x - carry * 4294967296;
    }
    if (carry > 0) limbs.push(carry);
  }
  // big-endian bytes of the limbs, leading zero bytes dropped
  const bytes: number[] = [];
  for (let k = limbs.length - 1; k >= 0; k--) {
    const v = limbs[k];
    for (let shift = 24; shift >= 0; shift -= 8) {
      const byte = Math.floor(v / 2 ** shift) & 0xff;
      if (bytes.length > 0 || byte !== 0) bytes.push(byte);
    }
  }
  const out = new Uint8Array(zeros + bytes.length);
  for (let i = 0; i < bytes.length; i++) out[zeros + i] = bytes[i];
  return out;
}
