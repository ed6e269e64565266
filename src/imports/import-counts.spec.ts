import type { StoredIdentifier } from '../reports/prepare-report';
import { ImportCounts, withNewReporters } from './import-counts';
import type { IndexableReport } from '../reports/reports.repository';
import { decayTerm } from '../reports/risk';

const NOW = new Date('2026-11-28T00:00:00Z');

const phone = (n: string, warninglisted = false): StoredIdentifier => ({
  kind: 'PHONE',
  value: n,
  display: n,
  key: `PHONE:${n}`,
  origin: 'TYPED',
  confidence: 1,
  ...(warninglisted ? { warninglisted: true as const } : {}),
});

let seq = 0;
function report(over: Partial<IndexableReport> = {}): IndexableReport {
  const _id = over._id ?? `jsonl:r${++seq}`;
  return {
    _id,
    reporterKey: _id,
    weight: 0.5,
    occurredAt: new Date('2026-10-01T00:00:00Z'),
    lossFen: 100,
    fraudType: 'FAKE_LOAN',
    identifiers: [phone('+8613800138000')],
    createdAt: NOW,
    regionCode: 'EXTERNAL',
    source: 'jsonl',
    ...over,
  };
}

describe('ImportCounts', () => {
  it('adds each report once per identifier: counts, losses, fraud types, first and last dates', () => {
    const c = new ImportCounts();
    const a = phone('+8613800138000');
    const b = phone('+8613900139000');
    c.add(report({ identifiers: [a, b, a], lossFen: 500, occurredAt: new Date('2026-03-01T00:00:00Z') }), NOW);
    c.add(report({ identifiers: [a], fraudType: 'IMPERSONATION', occurredAt: new Date('2026-09-01T00:00:00Z') }), NOW);
    expect(c.reports).toBe(2);
    expect(c.keys).toBe(2);
    const [da, db] = c.take();
    expect(da.stats).toMatchObject({
      _id: a.key,
      reportCount: 2,
      lossFen: 600,
      fraudTypes: { FAKE_LOAN: 1, IMPERSONATION: 1 },
      firstReportedAt: new Date('2026-03-01T00:00:00Z'),
      lastReportedAt: new Date('2026-09-01T00:00:00Z'),
    });
    expect(db.stats).toMatchObject({ _id: b.key, reportCount: 1, lossFen: 500 });
    expect(c.keys).toBe(0);
    expect(c.reports).toBe(0);
  });

  it('counts nothing for repeats and warninglisted identifiers', () => {
    const c = new ImportCounts();
    c.add(report({ repeatOf: 'jsonl:r0' }), NOW);
    c.add(report({ identifiers: [phone('95588', true)] }), NOW);
    expect(c.keys).toBe(0);
    expect(c.reports).toBe(1);
  });

  it('a reporter that is its own report counts at once; a contact reporter waits for its claim, once per identifier', () => {
    const c = new ImportCounts();
    const first = new Date('2026-01-01T00:00:00Z');
    c.add(report({ weight: 0.5 }), NOW);
    c.add(report({ reporterKey: 'c:abc', weight: 1, occurredAt: first }), NOW);
    c.add(report({ reporterKey: 'c:abc', weight: 1 }), NOW);
    const [d] = c.take();
    expect(d.stats.reportCount).toBe(3);
    expect(d.stats.reporterCount).toBe(1);
    expect(d.stats.weightedReporters).toBe(0.5);
    expect([...d.reporters.keys()]).toEqual(['c:abc']);
    expect(d.reporters.get('c:abc')).toEqual({ weight: 1, term: decayTerm(1, first) });

    const claimed = withNewReporters(d, new Set([`${d.stats._id}|c:abc`]));
    expect(claimed).toMatchObject({ reporterCount: 2, weightedReporters: 1.5 });
    expect(claimed.weightTerms).toBeCloseTo(d.stats.weightTerms + decayTerm(1, first), 9);
    const known = withNewReporters(d, new Set());
    expect(known).toMatchObject({ reporterCount: 1, weightedReporters: 0.5 });
    // the delta itself is left as it was
    expect(d.stats.reporterCount).toBe(1);
  });

  it('takes the identifiers in key order (the order their locks are taken in)', () => {
    const c = new ImportCounts();
    for (const n of ['+8613900000003', '+8613900000001', '+8613900000002'])
      c.add(report({ identifiers: [phone(n)] }), NOW);
    expect(c.take().map((d) => d.stats._id)).toEqual([
      'PHONE:+8613900000001',
      'PHONE:+8613900000002',
      'PHONE:+8613900000003',
    ]);
  });
});
