import { countBand, decayTerm, HIGH_MIN_REPORTERS, riskLevel, RiskInput, RiskLevelValue, riskScore } from './risk';

const NOW = new Date('2026-06-01T00:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

/** n distinct reporters of weight w, each reporting a fraud `age` days old. */
function stats(n: number, w: number, age: number, lossYuan = 0, confirmed = false): RiskInput {
  return { reporterCount: n, weightTerms: n * decayTerm(w, daysAgo(age)), lossFen: lossYuan * 100, confirmed };
}

describe('riskScore / riskLevel', () => {
  it('NONE without reports, CONFIRMED whenever an investigator confirmed', () => {
    expect(riskLevel(stats(0, 1, 0), NOW)).toBe(RiskLevelValue.NONE);
    expect(riskLevel(stats(0, 1, 0, 0, true), NOW)).toBe(RiskLevelValue.CONFIRMED);
    expect(riskLevel(stats(1, 0.5, 3000, 0, true), NOW)).toBe(RiskLevelValue.CONFIRMED);
  });

  it('one fresh reporter is LOW; fresh distinct reporters climb to MEDIUM and HIGH', () => {
    expect(riskLevel(stats(1, 1, 0), NOW)).toBe(RiskLevelValue.LOW);
    expect(riskLevel(stats(2, 1, 0), NOW)).toBe(RiskLevelValue.MEDIUM);
    expect(riskLevel(stats(4, 1, 0), NOW)).toBe(RiskLevelValue.MEDIUM);
    expect(riskLevel(stats(5, 1, 0), NOW)).toBe(RiskLevelValue.HIGH);
  });

  it('a reporter weighs half as much after one half-life (180 days)', () => {
    expect(riskScore(stats(1, 1, 180), NOW)).toBeCloseTo(0.5, 6);
    expect(riskScore(stats(1, 1, 360), NOW)).toBeCloseTo(0.25, 6);
    expect(riskLevel(stats(5, 1, 360), NOW)).toBe(RiskLevelValue.LOW);
    // any report keeps the level at least LOW, however old
    expect(riskLevel(stats(1, 1, 5000), NOW)).toBe(RiskLevelValue.LOW);
  });

  it('losses raise the score (log scale, capped at +3)', () => {
    expect(riskScore(stats(1, 1, 0, 9_000), NOW)).toBeCloseTo(2, 6);
    expect(riskScore(stats(1, 1, 0, 99_000), NOW)).toBeCloseTo(3, 6);
    expect(riskScore(stats(1, 1, 0, 1e9), NOW)).toBeCloseTo(4, 6);
    expect(riskLevel(stats(1, 1, 0, 9_000), NOW)).toBe(RiskLevelValue.MEDIUM);
  });

  it('one source can never reach HIGH, whatever the loss (flood resistance)', () => {
    expect(riskLevel(stats(1, 1, 0, 1e12), NOW)).toBe(RiskLevelValue.MEDIUM);
    expect(
      riskLevel({ reporterCount: HIGH_MIN_REPORTERS - 1, weightTerms: 1e6, lossFen: 1e12, confirmed: false }, NOW),
    ).toBe(RiskLevelValue.MEDIUM);
    // anonymous reporters weigh 0.5: four anonymous fresh reporters are MEDIUM, ten are HIGH
    expect(riskLevel(stats(4, 0.5, 0), NOW)).toBe(RiskLevelValue.MEDIUM);
    expect(riskLevel(stats(10, 0.5, 0), NOW)).toBe(RiskLevelValue.HIGH);
  });

  it('is order-independent: decay terms add up to the same score in any order', () => {
    const a = decayTerm(1, daysAgo(10)) + decayTerm(0.5, daysAgo(400));
    const b = decayTerm(0.5, daysAgo(400)) + decayTerm(1, daysAgo(10));
    expect(a).toBe(b);
  });
});

describe('countBand', () => {
  it.each([
    [0, '0'],
    [1, '<5'],
    [4, '<5'],
    [5, '5-19'],
    [19, '5-19'],
    [20, '20-99'],
    [42, '20-99'],
    [99, '20-99'],
    [100, '100+'],
    [1e6, '100+'],
  ])('k=5: %d -> %s', (n, band) => {
    expect(countBand(n, 5)).toBe(band);
  });

  it('derives the bands from k', () => {
    expect([0, 2, 3, 11, 12, 59, 60].map((n) => countBand(n, 3))).toEqual([
      '0',
      '<3',
      '3-11',
      '3-11',
      '12-59',
      '12-59',
      '60+',
    ]);
    expect(countBand(-1, 5)).toBe('0');
    expect(countBand(Number.NaN, 5)).toBe('0');
  });
});
