/** True for a duplicate-key error (E11000) from MongoDB or FerretDB: the atomic "already claimed" answer. */
export function isDuplicateKeyError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000;
}

/**
 * True for a query the store stopped at its time limit (`maxTimeMS`): MaxTimeMSExpired (50), from MongoDB and
 * FerretDB alike.
 */
export function isTimeLimitError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 50;
}
