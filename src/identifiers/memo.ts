/**
 * A bounded memo (LRU) of normalisation results per candidate string, shared by extraction and
 * normalizeIdentifier. Report streams repeat the same identifiers — the same numbers, wallets and sites recur,
 * which is why linking exists — and a library's parse (libphonenumber, WHATWG URL, tldts, the checksums) costs
 * far more than a lookup. The normalisers are pure functions of their arguments, so a remembered answer equals a
 * fresh one and no output depends on what the memo holds; results are frozen because one object now serves every
 * caller that asks the same.
 */
import { LRUCache } from 'lru-cache';
import { type NormalizeResult, type NormalizedIdentifier } from './kinds';
import { DEFAULT_REGION, normalizePhone as phone } from './phone';
import { normalizeDomain as domain, normalizeUrl as url } from './url';
import { normalizeEmail as email } from './email';
import { normalizeCryptoWallet as wallet } from './crypto-wallet';

/** Results remembered when IDENTIFIER_MEMO_SIZE is not set. */
export const DEFAULT_IDENTIFIER_MEMO_SIZE = 20_000;

let memo: LRUCache<string, NormalizeResult> | undefined = new LRUCache({ max: DEFAULT_IDENTIFIER_MEMO_SIZE });

/** Sets how many results are remembered (0: none), forgetting the ones held. */
export function setIdentifierMemoSize(size: number): void {
  memo = size > 0 ? new LRUCache({ max: size }) : undefined;
}

/** Forgets every remembered result (benchmarks start each timed run from an empty memo). */
export function clearIdentifierMemo(): void {
  memo?.clear();
}

function freezeIdentifier(id: NormalizedIdentifier): void {
  if (id.attributes) Object.freeze(id.attributes);
  Object.freeze(id);
}

function keep(key: string, r: NormalizeResult): NormalizeResult {
  if (r.ok) {
    freezeIdentifier(r.identifier);
    for (const d of r.derived) freezeIdentifier(d);
    Object.freeze(r.derived);
  }
  memo?.set(key, Object.freeze(r));
  return r;
}

/** `compute()`'s result for `key`, remembered. Keys start with the normaliser's name and hold every argument. */
export function recall(key: string, compute: () => NormalizeResult): NormalizeResult {
  return memo?.get(key) ?? keep(key, compute());
}

/** `normalize`, remembered under its `name` and its one argument. */
function remembered(name: string, normalize: (raw: string) => NormalizeResult): (raw: string) => NormalizeResult {
  const prefix = `${name}\u0000`;
  return (raw) => {
    const key = prefix + raw;
    return memo?.get(key) ?? keep(key, normalize(raw));
  };
}

// The normalisers extraction asks most often and whose answers cost most, remembered.
export function normalizePhone(raw: string, region: string = DEFAULT_REGION, withReason = true): NormalizeResult {
  const key = `PHONE\u0000${region}\u0000${withReason ? 'r' : ''}\u0000${raw}`;
  return memo?.get(key) ?? keep(key, phone(raw, region, withReason));
}
export const normalizeUrl = remembered('URL', url);
export const normalizeDomain = remembered('DOMAIN', domain);
export const normalizeEmail = remembered('EMAIL', email);
export const normalizeCryptoWallet = remembered('CRYPTO_WALLET', wallet);
