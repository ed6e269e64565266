/**
 * A subscription's source stream (what a @Subscription resolver returns): the values of `source` that `keep`
 * accepts, until `ended` resolves with a reason — then one last value `{ [field]: reason }` and the end of the
 * stream. graphql-js turns a field value that is an Error into that field's error, so the client receives the
 * reason (formatted like any error, with extensions.code) and then `complete`. `onClose` runs once, whichever
 * way the stream ends (the client unsubscribed, the source ended, `ended`).
 */
export function liveStream<T extends object>(
  source: AsyncIterator<T>,
  keep: (v: T) => boolean,
  ended: Promise<Error>,
  field: string,
  onClose: () => void,
): AsyncIterableIterator<T | Record<string, Error>> {
  let finished = false;
  const endSignal = ended.then((error) => ({ error }));
  const close = async (): Promise<void> => {
    if (finished) return;
    finished = true;
    onClose();
    // ends a pending source.next() as well (graphql-redis-subscriptions resolves it as done)
    await source.return?.();
  };
  const done = { done: true as const, value: undefined };
  const out: AsyncIterableIterator<T | Record<string, Error>> = {
    async next() {
      while (!finished) {
        const r = await Promise.race([source.next(), endSignal]);
        if ('error' in r) {
          if (finished) break;
          await close();
          return { done: false, value: { [field]: r.error } };
        }
        if (r.done) {
          await close();
          return done;
        }
        if (keep(r.value)) return r;
      }
      return done;
    },
    async return() {
      await close();
      return done;
    },
    async throw(e?: unknown) {
      await close();
      throw e instanceof Error ? e : new Error(String(e));
    },
    [Symbol.asyncIterator]() {
      return out;
    },
  };
  return out;
}
