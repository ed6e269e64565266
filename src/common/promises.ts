/**
 * Marks a promise whose outcome is awaited later (an insert running while the next batch is read): until
 * then its rejection must not count as unhandled and crash the process. The caller's later `await` sees it.
 */
export function awaitedLater(p: Promise<unknown>): void {
  p.catch(() => undefined);
}
