import { monthInShanghai, startInShanghai } from './public-dates';

describe('public dates (Asia/Shanghai)', () => {
  it('truncates to the Shanghai month and day, also across the UTC date line', () => {
    // 2021-02-28T17:30Z is 2021-03-01 01:30 in Shanghai
    const d = new Date('2021-02-28T17:30:00Z');
    expect(startInShanghai(d, 'MONTH').toISOString()).toBe('2021-02-28T16:00:00.000Z');
    expect(startInShanghai(d, 'DAY').toISOString()).toBe('2021-02-28T16:00:00.000Z');
    expect(monthInShanghai(d)).toBe('2021-03');
    const e = new Date('2021-03-15T10:00:00Z');
    expect(startInShanghai(e, 'MONTH').toISOString()).toBe('2021-02-28T16:00:00.000Z');
    expect(startInShanghai(e, 'DAY').toISOString()).toBe('2021-03-14T16:00:00.000Z');
  });
});
