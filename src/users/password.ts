import * as argon2 from 'argon2';

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's first recommended parameters (19 MiB memory,
 * 2 iterations, 1 lane): about 20-40 ms per hash on a server core. Encoded hashes carry their parameters,
 * so raising these later still verifies old hashes.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false; // a malformed stored hash never matches
  }
}

let dummy: Promise<string> | undefined;
/**
 * For unknown e-mails: verifying against a hash with the same parameters takes as long as a real check,
 * so response time does not tell whether an e-mail has an account.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword('siqian-dummy-password-never-matches');
  await verifyPassword(await dummy, password);
  return false;
}

/** Trimmed and lower-cased: the key of `user_emails` and of the per-e-mail login limiter. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
