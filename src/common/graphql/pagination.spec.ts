import { CommonError } from '../errors/common.errors';
import { decodeAfter, encodeCursor } from './pagination';

/** What f threw (undefined when it did not throw). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('the cursor codec', () => {
  it('reads no cursor from a left-out or explicit null after', () => {
    expect(decodeAfter(undefined)).toBeUndefined();
    expect(decodeAfter(null)).toBeUndefined();
    expect(decodeAfter(null, () => 1)).toBeUndefined();
  });

  it('gives back the key it wrote, parsed when the list asks', () => {
    for (const key of ['2026-12-03T10:00:00.000Z-ab12', 'PHONE:+8613800138000', '电话:1', '3:17'])
      expect(decodeAfter(encodeCursor(key))).toBe(key);
    expect(decodeAfter(encodeCursor('3:17'), (k) => /^(\d+):(\d+)$/.exec(k)?.slice(1))).toEqual(['3', '17']);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'not a cursor'],
    ['padding', 'YQ=='],
    ['NULs', 'AAAA'],
    ['not UTF-8', '__8'],
    ['too long', encodeCursor('x'.repeat(400))],
  ])('refuses %s with BAD_CURSOR on after', (_what, cursor) => {
    const e = thrown(() => decodeAfter(cursor));
    expect(e).toBeInstanceOf(CommonError);
    expect(e).toMatchObject({ code: 'BAD_CURSOR', field: 'after' });
  });

  it('refuses a key the list cannot read', () => {
    const parse = (k: string) => /^(\d+):(\d+)$/.exec(k) ?? undefined;
    expect(thrown(() => decodeAfter(encodeCursor('abc'), parse))).toMatchObject({ code: 'BAD_CURSOR' });
  });
});
