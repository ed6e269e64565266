/** True for a duplicate-key error (E11000) from MongoDB or FerretDB: the atomic "already claimed" answer. */
export function isDuplicateKeyError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000;
}
