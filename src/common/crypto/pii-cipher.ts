import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** A ciphertext could not be opened: malformed, tampered with, bound to other data, or sealed with an unknown key. */
export class PiiCipherError extends Error {}

const FORMAT = 'pii1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface KeySet {
  id: string;
  enc: Buffer;
  mac: Buffer;
}

function deriveKeys(master: Buffer): KeySet {
  if (master.length !== 32) throw new PiiCipherError('a PII key must be 32 bytes (64 hex characters)');
  const sub = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  return {
    id: createHmac('sha256', master).update('siqian-pii-key-id').digest('hex').slice(0, 8),
    enc: sub('siqian-pii-aes-256-gcm-v1'),
    mac: sub('siqian-pii-hmac-sha256-v1'),
  };
}

/**
 * Encryption at rest for personal data (staff contact numbers now; reporter contacts, names and ID numbers
 * in the reporting feature): AES-256-GCM with a random 96-bit IV per value, plus a keyed hash (HMAC-SHA256)
 * for equality lookups without storing the value.
 *
 * Keys: the 32-byte PII_ENCRYPTION_KEY is never used directly; HKDF-SHA256 derives one subkey for encryption
 * and one for hashing. A ciphertext is `pii1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts), where keyId
 * names the master key, so that during a key rotation values sealed with PII_ENCRYPTION_KEY_PREVIOUS still
 * open (`decrypt` picks the key by id) while every new value is sealed with the current key.
 *
 * `aad` (associated data) binds a ciphertext to where it is stored (e.g. `User:<id>:contactPhone`): the same
 * ciphertext copied into another record does not open there.
 *
 * Keyed hashes depend on the key: after a rotation, `keyedHashCandidates` gives the hash under every known key
 * so lookups keep working until stored hashes are recomputed.
 */
export class PiiCipher {
  private readonly current: KeySet;
  private readonly byId = new Map<string, KeySet>();

  constructor(currentKey: Buffer, previousKeys: readonly Buffer[] = []) {
    this.current = deriveKeys(currentKey);
    for (const k of [this.current, ...previousKeys.map(deriveKeys)]) if (!this.byId.has(k.id)) this.byId.set(k.id, k);
  }

  /** Id of the current key (first 8 hex of an HMAC of it): safe to log, names which key sealed a value. */
  get keyId(): string {
    return this.current.id;
  }

  encrypt(plaintext: string, aad = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.enc, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      FORMAT,
      this.current.id,
      iv.toString('base64url'),
      body.toString('base64url'),
      tag.toString('base64url'),
    ].join('.');
  }

  /** Opens a value sealed by `encrypt` with the same `aad`; throws PiiCipherError otherwise. */
  decrypt(sealed: string, aad = ''): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== FORMAT) throw new PiiCipherError('not a sealed PII value');
    const [, keyId, ivPart, bodyPart, tagPart] = parts;
    const key = this.byId.get(keyId);
    if (!key) throw new PiiCipherError(`sealed with an unknown key (${keyId}); is PII_ENCRYPTION_KEY_PREVIOUS set?`);
    const iv = Buffer.from(ivPart, 'base64url');
    const tag = Buffer.from(tagPart, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new PiiCipherError('malformed sealed PII value');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.enc, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(bodyPart, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new PiiCipherError('sealed PII value failed authentication (tampered, other key or other record)');
    }
  }

  /** HMAC-SHA256 (hex) of `value` under the current key, separated by `purpose` (e.g. 'reporter-phone'). */
  keyedHash(value: string, purpose: string): string {
    return hmac(this.current.mac, purpose, value);
  }

  /** The keyed hash under the current key first, then under each previous key (for lookups during a rotation). */
  keyedHashCandidates(value: string, purpose: string): string[] {
    return [...this.byId.values()].map((k) => hmac(k.mac, purpose, value));
  }

  /** Constant-time comparison of two hex hashes. */
  static sameHash(a: string, b: string): boolean {
    const x = Buffer.from(a, 'hex');
    const y = Buffer.from(b, 'hex');
    return x.length === y.length && timingSafeEqual(x, y);
  }
}

function hmac(key: Buffer, purpose: string, value: string): string {
  return createHmac('sha256', key).update(purpose, 'utf8').update('\0').update(value, 'utf8').digest('hex');
}
