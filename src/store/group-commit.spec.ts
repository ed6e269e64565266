import { GroupCommit, Settled } from './group-commit';

describe('GroupCommit', () => {
  it('sends the items of one turn together and answers each with its own value', async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      return items.map((i) => ({ value: i * 10 }));
    });
    const answers = await Promise.all([1, 2, 3].map((i) => gc.submit(i)));
    expect(answers).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('rejects only the items whose answer is an error, and every item when the send throws', async () => {
    const gc = new GroupCommit<number, number>(async (items) =>
      items.map((i): Settled<number> => (i % 2 ? { value: i } : { error: new Error(`bad ${i}`) })),
    );
    const settled = await Promise.allSettled([1, 2, 3].map((i) => gc.submit(i)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const failing = new GroupCommit<number, number>(() => Promise.reject(new Error('down')));
    await expect(Promise.all([failing.submit(1), failing.submit(2)])).rejects.toThrow('down');
  });

  it('keeps at most maxInFlight batches on their way; the items arriving meanwhile leave together next', async () => {
    const batches: number[][] = [];
    let inFlight = 0;
    let maxSeen = 0;
    const gc = new GroupCommit<number, number>(
      async (items) => {
        batches.push(items);
        maxSeen = Math.max(maxSeen, ++inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        return items.map((i) => ({ value: i }));
      },
      3,
      1,
    );
    const first = gc.submit(0);
    await new Promise((r) => setImmediate(r));
    const rest = [1, 2, 3, 4, 5].map((i) => gc.submit(i));
    expect(await Promise.all([first, ...rest])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(maxSeen).toBe(1);
    expect(batches).toEqual([[0], [1, 2, 3], [4, 5]]);
  });
});
