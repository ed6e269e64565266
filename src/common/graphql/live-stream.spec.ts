import { liveStream } from './live-stream';

/** A source that yields what is pushed, like a pub/sub iterator; `return` ends a pending next(). */
function source<T>() {
  const queue: T[] = [];
  const waiting: ((r: IteratorResult<T>) => void)[] = [];
  let returned = 0;
  const it: AsyncIterator<T> = {
    next: () =>
      queue.length > 0
        ? Promise.resolve({ done: false, value: queue.shift() as T })
        : new Promise((resolve) => waiting.push(resolve)),
    return: () => {
      returned++;
      for (const w of waiting.splice(0)) w({ done: true, value: undefined });
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return {
    it,
    push: (v: T) => (waiting.length ? waiting.shift()?.({ done: false, value: v }) : queue.push(v)),
    returned: () => returned,
  };
}

describe('liveStream', () => {
  it('passes what keep accepts, then the end reason as the field value, then done; closes once', async () => {
    const src = source<{ n: number }>();
    let end!: (e: Error) => void;
    const ended = new Promise<Error>((r) => (end = r));
    let closed = 0;
    const s = liveStream(
      src.it,
      (v) => v.n % 2 === 0,
      ended,
      'f',
      () => closed++,
    );
    src.push({ n: 1 });
    src.push({ n: 2 });
    expect(await s.next()).toEqual({ done: false, value: { n: 2 } });
    const pending = s.next();
    const reason = new Error('disabled');
    end(reason);
    expect(await pending).toEqual({ done: false, value: { f: reason } });
    expect(await s.next()).toEqual({ done: true, value: undefined });
    await s.return?.();
    expect(closed).toBe(1);
    expect(src.returned()).toBe(1);
  });

  it('closes when the client unsubscribes, and when the source ends', async () => {
    const a = source<{ n: number }>();
    let closed = 0;
    const s = liveStream(
      a.it,
      () => true,
      new Promise<Error>(() => undefined),
      'f',
      () => closed++,
    );
    await s.return?.();
    expect(closed).toBe(1);
    expect(a.returned()).toBe(1);
    const b = source<{ n: number }>();
    const t = liveStream(
      b.it,
      () => true,
      new Promise<Error>(() => undefined),
      'f',
      () => closed++,
    );
    const next = t.next();
    await b.it.return?.();
    expect(await next).toEqual({ done: true, value: undefined });
    expect(closed).toBe(2);
  });
});
