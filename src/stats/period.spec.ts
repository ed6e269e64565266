import { bucketsOf, dayString, isoWeek, parseDay, spansOf, yearEarlier } from './period';
import { applyDeltas, decodeCells, encodeCells, shanghaiDay } from './rollup';
import { comparedPeriod, percent } from './stats-query.service';
import { StatsComparison } from './stats.enums';

const d = (s: string) => parseDay(s) as number;

describe('stats periods', () => {
  it('parses real days only', () => {
    expect(dayString(d('2024-02-29'))).toBe('2024-02-29');
    for (const bad of ['2025-02-29', '2026-13-01', '2026-1-01', '2026-01-01T00:00:00Z', '', '2026-04-31'])
      expect(parseDay(bad)).toBeUndefined();
  });

  it('puts an instant in its Shanghai day (UTC+8)', () => {
    expect(shanghaiDay(new Date('2026-11-26T15:59:59.999Z'))).toBe('2026-11-26');
    expect(shanghaiDay(new Date('2026-11-26T16:00:00Z'))).toBe('2026-11-27');
  });

  it('names ISO weeks across year ends', () => {
    expect(isoWeek(d('2021-01-03'))).toBe('2020-W53');
    expect(isoWeek(d('2021-01-04'))).toBe('2021-W01');
    expect(isoWeek(d('2024-12-30'))).toBe('2025-W01');
    expect(isoWeek(d('2026-11-27'))).toBe('2026-W48');
  });

  it('compares with the previous period and the same dates a year earlier (29 February: the 28th)', () => {
    expect(comparedPeriod(d('2026-03-01'), d('2026-03-31'), StatsComparison.PREVIOUS_PERIOD).map(dayString)).toEqual([
      '2026-01-29',
      '2026-02-28',
    ]);
    expect(yearEarlier(d('2024-02-29'))).toBe(d('2023-02-28'));
    expect(
      comparedPeriod(d('2025-11-01'), d('2026-10-31'), StatsComparison.SAME_PERIOD_LAST_YEAR).map(dayString),
    ).toEqual(['2024-11-01', '2025-10-31']);
  });

  it('covers a period exactly by whole months and the days at its edges', () => {
    const spans = spansOf(d('2026-01-30'), d('2026-04-02'), true).map((s) => s.period);
    expect(spans).toEqual(['2026-01-30', '2026-01-31', '2026-02', '2026-03', '2026-04-01', '2026-04-02']);
    expect(spansOf(d('2026-02-01'), d('2026-02-27'), true)).toHaveLength(27);
    expect(bucketsOf(d('2026-01-30'), d('2026-04-02'), 'MONTH')).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
  });

  it('gives no percentage where the base is 0', () => {
    expect(percent(5, 0)).toBeNull();
    expect(percent(0, 0)).toBeNull();
    expect(percent(642, 1000)).toBeCloseTo(-35.8, 10);
  });

  it('stores cells as one string and drops cells a correction emptied', () => {
    const cells = applyDeltas(
      [{ k: 'DG01|FAKE_LOAN', r: 1, v: 1, l: 500, n: 0 }],
      new Map([
        ['DG01|FAKE_LOAN', { r: -1, v: -1, l: -500, n: 0 }],
        ['DG02|OTHER', { r: 2, v: 1, l: 0, n: 2 }],
      ]),
    );
    expect(cells).toEqual([{ k: 'DG02|OTHER', r: 2, v: 1, l: 0, n: 2 }]);
    expect(decodeCells(encodeCells(cells))).toEqual(cells);
    expect(decodeCells('')).toEqual([]);
  });
});
