import { randomBytes } from 'node:crypto';
import { PiiCipher, PiiCipherError } from './pii-cipher';

const key = () => randomBytes(32);

describe('PiiCipher', () => {
  it('round-trips text, including Chinese and the empty string', () => {
    const c = new PiiCipher(key());
    for (const v of ['+8613800138000', '张三 13800138000', ''])
      expect(c.decrypt(c.encrypt(v, 'User:1:phone'), 'User:1:phone')).toBe(v);
  });

  it('uses a fresh IV: the same value seals differently each time, and never contains the plaintext', () => {
    const c = new PiiCipher(key());
    const a = c.encrypt('+8613800138000');
    const b = c.encrypt('+8613800138000');
    expect(a).not.toBe(b);
    expect(a).not.toContain('13800138000');
    expect(a.split('.')[0]).toBe('pii1');
    expect(a.split('.')[1]).toBe(c.keyId);
  });

  it('detects tampering with the ciphertext, the tag and the IV', () => {
    const c = new PiiCipher(key());
    const sealed = c.encrypt('secret phone');
    const parts = sealed.split('.');
    for (const i of [2, 3, 4]) {
      const bytes = Buffer.from(parts[i], 'base64url');
      bytes[0] ^= 0x01;
      const bad = [...parts];
      bad[i] = bytes.toString('base64url');
      expect(() => c.decrypt(bad.join('.'))).toThrow(PiiCipherError);
    }
    expect(() => c.decrypt('pii1.x.y')).toThrow(PiiCipherError);
    expect(() => c.decrypt('plain text')).toThrow(PiiCipherError);
  });

  it('refuses a value bound to another record (associated data)', () => {
    const c = new PiiCipher(key());
    const sealed = c.encrypt('13800138000', 'User:a:contactPhone');
    expect(() => c.decrypt(sealed, 'User:b:contactPhone')).toThrow(PiiCipherError);
  });

  it('refuses a value sealed with another key, also when the key id is forged', () => {
    const sealed = new PiiCipher(key()).encrypt('13800138000');
    const other = new PiiCipher(key());
    expect(() => other.decrypt(sealed)).toThrow(/unknown key/);
    const forged = sealed.split('.');
    forged[1] = other.keyId;
    expect(() => other.decrypt(forged.join('.'))).toThrow(/failed authentication/);
  });

  it('opens values sealed with the previous key during a rotation, and seals new ones with the current key', () => {
    const oldKey = key();
    const newKey = key();
    const before = new PiiCipher(oldKey).encrypt('13800138000');
    const rotating = new PiiCipher(newKey, [oldKey]);
    expect(rotating.decrypt(before)).toBe('13800138000');
    const after = rotating.encrypt('13800138000');
    expect(after.split('.')[1]).toBe(new PiiCipher(newKey).keyId);
    expect(() => new PiiCipher(oldKey).decrypt(after)).toThrow(PiiCipherError);
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(() => new PiiCipher(randomBytes(16))).toThrow(PiiCipherError);
  });

  it('keyed hash: deterministic per key and purpose, differs across keys and purposes', () => {
    const k = key();
    const a = new PiiCipher(k);
    const b = new PiiCipher(k);
    expect(a.keyedHash('13800138000', 'phone')).toBe(b.keyedHash('13800138000', 'phone'));
    expect(a.keyedHash('13800138000', 'phone')).toMatch(/^[0-9a-f]{64}$/);
    expect(a.keyedHash('13800138000', 'email')).not.toBe(a.keyedHash('13800138000', 'phone'));
    expect(new PiiCipher(key()).keyedHash('13800138000', 'phone')).not.toBe(a.keyedHash('13800138000', 'phone'));
    const rotating = new PiiCipher(key(), [k]);
    expect(rotating.keyedHashCandidates('13800138000', 'phone')[1]).toBe(a.keyedHash('13800138000', 'phone'));
    expect(PiiCipher.sameHash(a.keyedHash('x', 'p'), b.keyedHash('x', 'p'))).toBe(true);
    expect(PiiCipher.sameHash(a.keyedHash('x', 'p'), a.keyedHash('y', 'p'))).toBe(false);
  });
});
