/**
 * A bounded memo (LRU) of normalisation results per candidate string, shared by extraction (through
 * remembered.ts) and normalizeIdentifier; sized by IDENTIFIER_MEMO_SIZE at boot. Report streams repeat the same
 * identifiers — the same numbers, wallets and sites recur, which is why linking exists — and a library's parse
 * (libphonenumber, WHATWG URL, tldts, the checksums) costs far more than a lookup. The normalisers are pure
 * functions of their arguments, so a remembered answer equals a fresh one and no output depends on what the memo
 * holds; results are frozen because one object serves every caller that asks the same.
 */
import { LRUCache } from 'lru-cache';
import { type NormalizeResult, type NormalizedIdentifier } from './kinds';

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

/** Freezes `r` and remembers it under `key`; returns it. */
export function keep(key: string, r: NormalizeResult): NormalizeResult {
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

/** The remembered result for `key`, if any; with {@link keep}, for callers that build no closure per call. */
export function remembered(key: string): NormalizeResult | undefined {
  return memo?.get(key);
}
