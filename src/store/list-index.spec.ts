/**
 * The list index against a real redis-server (its BYLEX order, ZLEXCOUNT and the placement script are what is
 * under test, so no fake).
 */
import type Redis from 'ioredis';
import { descNumber, ListIndex } from './list-index';
import { startRedisForSpecs } from '../../test/support/redis-for-specs';

describe('ListIndex', () => {
  let redis: Redis;
  let stop: () => void;
  let n = 0;
  const fresh = () => new ListIndex(redis, `spec${++n}:li`);

  beforeAll(async () => {
    ({ redis, stop } = await startRedisForSpecs());
  });

  afterAll(() => stop());

  /** Every id of a page walk `limit` at a time. */
  async function walk(ix: ListIndex, keys: string[], limit: number, opts: { rev?: boolean; sorted?: boolean } = {}) {
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const p = await ix.page('l', { keys, limit, after, rev: opts.rev }, opts.sorted ?? false);
      ids.push(...p.entries.map((e) => e.id));
      if (!p.hasMore) return ids;
      after = p.entries[p.entries.length - 1].member;
    }
  }

  it('pages a key in byte order, each id once, also across keys that share ids, in both directions', async () => {
    const ix = fresh();
    // '＃' (U+FF03) sorts after '😀' by UTF-16 units but before it by UTF-8 bytes, as Redis orders
    const ids = ['a', 'b', 'é', '中', '😀', '＃', 'z', 'Ω', 'bb', 'b-'];
    await ix.add('l', [
      ...ids.map((id, i) => ({ id, placement: { keys: [i % 2 ? 'odd' : 'even', 'all'] } })),
      { id: 'b', placement: { keys: ['odd', 'even'] } },
    ]);
    const bytes = [...ids].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    for (const limit of [1, 2, 4, 50]) {
      expect(await walk(ix, ['all'], limit)).toEqual(bytes);
      expect(await walk(ix, ['odd', 'even'], limit)).toEqual(bytes);
      expect(await walk(ix, ['odd', 'even'], limit, { rev: true })).toEqual([...bytes].reverse());
    }
    expect(await ix.count('l', ['all'], {}, true)).toBe(ids.length);
    // 'b' is in both keys: a sum would count it twice, the union does not
    expect(await ix.count('l', ['odd', 'even'], {}, false)).toBe(ids.length);
  });

  it('orders by a fixed-width sort and bounds a page by a range of it', async () => {
    const ix = fresh();
    const sizes = [5, 12, 2, 40, 12, 7];
    await ix.add(
      'l',
      sizes.map((s, i) => ({ id: `c${i}`, placement: { keys: ['all'], sort: descNumber(s, 9) } })),
    );
    // largest first, ties by id
    expect(await walk(ix, ['all'], 2, { sorted: true })).toEqual(['c3', 'c1', 'c4', 'c5', 'c0', 'c2']);
    // sizes 5..12: lo = the largest allowed, hi = below the smallest allowed
    const page = await ix.page('l', { keys: ['all'], limit: 10, lo: descNumber(12, 9), hi: descNumber(4, 9) }, true);
    expect(page.entries.map((e) => e.id)).toEqual(['c1', 'c4', 'c5', 'c0']);
    expect(await ix.count('l', ['all'], { lo: descNumber(12, 9), hi: descNumber(4, 9) }, true)).toBe(4);
  });

  it('a placement replaces the previous one; an older version is ignored; null removes it', async () => {
    const ix = fresh();
    await ix.place('l', [{ id: 'x', version: 2, placement: [{ keys: ['a', 'b'], sort: descNumber(3, 9) }] }]);
    await ix.place('l', [{ id: 'x', version: 1, placement: [{ keys: ['c'], sort: descNumber(1, 9) }] }]);
    expect(await ix.members('l', 'a')).toEqual([`${descNumber(3, 9)}|x`]);
    expect(await ix.members('l', 'c')).toEqual([]);
    await ix.place('l', [{ id: 'x', version: 3, placement: [{ keys: ['c'], sort: descNumber(9, 9) }] }]);
    expect(await ix.members('l', 'a')).toEqual([]);
    expect(await ix.members('l', 'b')).toEqual([]);
    expect(await ix.members('l', 'c')).toEqual([`${descNumber(9, 9)}|x`]);
    await ix.place('l', [{ id: 'x', version: 4, placement: null }]);
    expect(await ix.keysOf('l')).toEqual([]);
    // a replay of version 3 after the removal is older: ignored
    await ix.place('l', [{ id: 'x', version: 3, placement: [{ keys: ['c'], sort: descNumber(9, 9) }] }]);
    expect(await ix.keysOf('l')).toEqual([]);
  });

  it('clear drops the keys, the placements and the built marker', async () => {
    const ix = fresh();
    await ix.add('l', [{ id: 'a', placement: { keys: ['k1', 'k2'] } }]);
    await ix.place('l', [{ id: 'b', version: 1, placement: [{ keys: ['k3'] }] }]);
    await ix.markBuilt('l');
    expect(await ix.isBuilt('l')).toBe(true);
    await ix.clear('l');
    expect(await ix.keysOf('l')).toEqual([]);
    expect(await ix.isBuilt('l')).toBe(false);
    // the placement record went too: placing b at version 1 again applies
    await ix.place('l', [{ id: 'b', version: 1, placement: [{ keys: ['k3'] }] }]);
    expect(await ix.members('l', 'k3')).toEqual(['b']);
  });
});
