import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMoneyToFen } from '../src/common/graphql/money.scalar';
import { ImportService } from '../src/imports/import.service';
import { generateYoyReports } from '../src/imports/synthetic';
import type { RollupReport } from '../src/stats/rollup';
import { StatsRebuildService } from '../src/stats/stats-rebuild.service';
import { StatsRollups } from '../src/stats/stats-rollups.service';
import { storeOf, SUBMIT, validReport } from './support/reports';
import { createStaff } from './support/staff';
import { cliOf } from './support/cli';
import { LoggedIn, loginAsAdmin, startTestApp, TestApp } from './support/test-app';

/**
 * Statistics over generated reports (fixed seed, the planted 35.8% fall): every figure `stats` answers is
 * recomputed here from the stored reports themselves, without the rollups.
 */

const STATS = `query ($i: StatsInput!) { stats(input: $i) {
  from to comparedFrom comparedTo
  rows { bucket comparedBucket regionCode fraudType channel paymentMethod ageBand
    figures { reports victims losses nearMisses casesOpened recovered }
    compared { reports victims losses nearMisses }
    change { reports reportsPercent losses lossesPercent } }
  totals { figures { reports victims losses nearMisses } compared { reports losses } change { reports reportsPercent } }
} }`;

/** A stored report, as the statistics read it. */
type Raw = RollupReport;
interface Fig {
  reports: number;
  victims: number;
  losses: number;
  nearMisses: number;
}
interface Row {
  bucket?: string | null;
  comparedBucket?: string | null;
  regionCode?: string | null;
  fraudType?: string | null;
  channel?: string | null;
  paymentMethod?: string | null;
  ageBand?: string | null;
  figures: Record<string, unknown>;
  compared?: Record<string, unknown> | null;
  change?: { reports: number; reportsPercent: number | null } | null;
}

// Shanghai day of an instant, computed without the code under test
const dayOf = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
/** ISO week by counting from the Monday of week 1 (the week holding 4 January). */
function isoWeekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  for (const y of [Number(day.slice(0, 4)) + 1, Number(day.slice(0, 4)), Number(day.slice(0, 4)) - 1]) {
    const jan4 = Date.UTC(y, 0, 4);
    const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000;
    if (t >= monday) return `${y}-W${String(Math.floor((t - monday) / (7 * 86_400_000)) + 1).padStart(2, '0')}`;
  }
  throw new Error('unreachable');
}
const DIM: Record<string, (r: Raw) => string | null> = {
  REGION: (r) => r.regionCode,
  FRAUD_TYPE: (r) => r.fraudType,
  CHANNEL: (r) => r.channel,
  PAYMENT_METHOD: (r) => r.paymentMethod ?? null,
  AGE_BAND: (r) => r.victimAgeBand ?? 'UNKNOWN',
  DAY: (r) => dayOf(r.occurredAt),
  MONTH: (r) => dayOf(r.occurredAt).slice(0, 7),
  WEEK: (r) => isoWeekOf(dayOf(r.occurredAt)),
};
const ROW_FIELD: Record<string, keyof Row> = {
  REGION: 'regionCode',
  FRAUD_TYPE: 'fraudType',
  CHANNEL: 'channel',
  PAYMENT_METHOD: 'paymentMethod',
  AGE_BAND: 'ageBand',
  DAY: 'bucket',
  MONTH: 'bucket',
  WEEK: 'bucket',
};

function expected(reports: Raw[], from: string, to: string, groupBy: string[], keep = (_: Raw) => true) {
  const out = new Map<string, Fig>();
  for (const r of reports) {
    const d = dayOf(r.occurredAt);
    if (d < from || d > to || !keep(r)) continue;
    const k = JSON.stringify(groupBy.map((g) => DIM[g](r)));
    const f = out.get(k) ?? { reports: 0, victims: 0, losses: 0, nearMisses: 0 };
    f.reports++;
    if (!r.repeatOf) f.victims++;
    f.losses += r.lossFen;
    if (r.lossFen === 0) f.nearMisses++;
    out.set(k, f);
  }
  return out;
}
const figOf = (f: Record<string, unknown>): Fig => ({
  reports: f.reports as number,
  victims: f.victims as number,
  losses: parseMoneyToFen(f.losses),
  nearMisses: f.nearMisses as number,
});
const empty: Fig = { reports: 0, victims: 0, losses: 0, nearMisses: 0 };

describe('stats (e2e, generated data)', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let reports: Raw[];
  const YEAR2 = { from: '2025-11-01', to: '2026-10-31' };

  const stats = async (input: Record<string, unknown>, who: LoggedIn = admin) => {
    const res = await t.gql<{ stats: { rows: Row[]; totals: Row; comparedFrom?: string; comparedTo?: string } }>(
      STATS,
      { i: input },
      who.headers,
    );
    return res.body;
  };
  const ok = async (input: Record<string, unknown>) => {
    const body = await stats(input);
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    return body.data.stats;
  };
  const readReports = async () => (reports = await storeOf(t).collection<Raw>('reports').find({}).toArray());

  beforeAll(async () => {
    t = await startTestApp({ SUBMIT_RATE_PER_IP: '100000', SUBMIT_RATE_PER_REPORTER: '100000' });
    admin = await loginAsAdmin(t);
    const dir = mkdtempSync(join(tmpdir(), 'siqian-stats-'));
    const file = join(dir, 'yoy.jsonl');
    const rows = [...generateYoyReports({ reports: 2_400, seed: 19 })];
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const summary = await t.app.get(ImportService).run('jsonl', file);
    expect(summary.imported).toBe(rows.length);
    await readReports();
    expect(reports).toHaveLength(rows.length);
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  it('brings back the planted 35.8% fall year on year, to one decimal', async () => {
    const s = await ok({ ...YEAR2, compareTo: 'SAME_PERIOD_LAST_YEAR' });
    const cur = expected(reports, YEAR2.from, YEAR2.to, []).get('[]') as Fig;
    const prev = expected(reports, '2024-11-01', '2025-10-31', []).get('[]') as Fig;
    expect(figOf(s.totals.figures)).toEqual(cur);
    expect(figOf(s.totals.compared as Record<string, unknown>).reports).toBe(prev.reports);
    expect((s.totals.change?.reportsPercent as number).toFixed(1)).toBe('-35.8');
    expect(s.totals.change?.reportsPercent).toBeCloseTo(((cur.reports - prev.reports) / prev.reports) * 100, 9);
  });

  const GROUPINGS: string[][] = [
    [],
    ['REGION'],
    ['FRAUD_TYPE'],
    ['CHANNEL'],
    ['PAYMENT_METHOD'],
    ['AGE_BAND'],
    ['REGION', 'FRAUD_TYPE'],
    ['CHANNEL', 'AGE_BAND'],
    ['MONTH'],
    ['WEEK', 'FRAUD_TYPE'],
    ['DAY'],
    ['MONTH', 'REGION'],
  ];
  const PERIODS = [
    { from: '2025-11-01', to: '2026-10-31', compareTo: 'SAME_PERIOD_LAST_YEAR', shift: ['2024-11-01', '2025-10-31'] },
    { from: '2026-02-10', to: '2026-05-20', compareTo: 'PREVIOUS_PERIOD', shift: ['2025-11-02', '2026-02-09'] },
  ];

  it.each(GROUPINGS.flatMap((g) => PERIODS.map((p) => [g.join('+') || 'totals', g, p] as const)))(
    'groups by %s: every row equals the raw reports',
    async (_name, groupBy, p) => {
      const s = await ok({ from: p.from, to: p.to, groupBy, compareTo: p.compareTo });
      expect([s.comparedFrom, s.comparedTo]).toEqual(p.shift);
      const want = expected(reports, p.from, p.to, groupBy);
      const wantCmp = expected(reports, p.shift[0], p.shift[1], groupBy);
      const timeBucket = groupBy.some((g) => ['DAY', 'WEEK', 'MONTH'].includes(g));
      let seen = 0;
      for (const row of s.rows) {
        const key = JSON.stringify(groupBy.map((g) => row[ROW_FIELD[g]] ?? null));
        expect(figOf(row.figures)).toEqual(want.get(key) ?? empty);
        if (want.has(key)) seen++;
        if (!timeBucket) {
          expect(figOf(row.compared as Record<string, unknown>)).toEqual(wantCmp.get(key) ?? empty);
        } else {
          // the compared bucket in the same position
          const cmpKey = JSON.stringify(
            groupBy.map((g) => (['DAY', 'WEEK', 'MONTH'].includes(g) ? row.comparedBucket : row[ROW_FIELD[g]]) ?? null),
          );
          expect(figOf(row.compared as Record<string, unknown>)).toEqual(
            (row.comparedBucket ? wantCmp.get(cmpKey) : undefined) ?? empty,
          );
        }
        const base = (row.compared as Record<string, number>).reports;
        expect(row.change?.reportsPercent).toEqual(
          base === 0 ? null : (((row.figures.reports as number) - base) / base) * 100,
        );
      }
      expect(seen).toBe(want.size);
      const total = expected(reports, p.from, p.to, []).get('[]') ?? empty;
      expect(figOf(s.totals.figures)).toEqual(total);
    },
    60_000,
  );

  it('filters by regions, fraud types and channels', async () => {
    const keep = (r: Raw) =>
      ['DG03', 'DG07'].includes(r.regionCode) &&
      ['ORDER_BRUSHING', 'FAKE_LOAN'].includes(r.fraudType) &&
      ['SMS', 'APP', 'PHONE_CALL'].includes(r.channel);
    const s = await ok({
      ...YEAR2,
      groupBy: ['PAYMENT_METHOD'],
      regionCodes: ['DG03', 'DG07'],
      fraudTypes: ['ORDER_BRUSHING', 'FAKE_LOAN'],
      channels: ['SMS', 'APP', 'PHONE_CALL'],
    });
    const want = expected(reports, YEAR2.from, YEAR2.to, ['PAYMENT_METHOD'], keep);
    expect(s.rows).toHaveLength(want.size);
    for (const row of s.rows) expect(figOf(row.figures)).toEqual(want.get(JSON.stringify([row.paymentMethod ?? null])));
    expect(s.rows.every((r) => r.figures.casesOpened === null && r.figures.recovered === null)).toBe(true);
  });

  it('counts a late public report in its own day, and a correction moves it once', async () => {
    const occurredAt = '2026-03-14T20:30:00+08:00';
    const before = await ok({ from: '2026-03-14', to: '2026-03-14', groupBy: ['REGION', 'FRAUD_TYPE'] });
    const res = await t.gql<{ submitReport: { trackingCode: string } }>(SUBMIT, {
      input: validReport({ occurredAt, regionCode: 'DG05', fraudType: 'FAKE_LOAN', loss: '1234.56' }),
    });
    expect(res.body.errors).toBeUndefined();
    const cell = (s: { rows: Row[] }, region: string, type: string) =>
      figOf(s.rows.find((r) => r.regionCode === region && r.fraudType === type)?.figures ?? { ...empty, losses: '0' });
    const was = cell(before, 'DG05', 'FAKE_LOAN');
    let after = before;
    for (let i = 0; i < 100 && cell(after, 'DG05', 'FAKE_LOAN').reports === was.reports; i++) {
      await new Promise((r) => setTimeout(r, 200));
      after = await ok({ from: '2026-03-14', to: '2026-03-14', groupBy: ['REGION', 'FRAUD_TYPE'] });
    }
    expect(cell(after, 'DG05', 'FAKE_LOAN')).toEqual({
      reports: was.reports + 1,
      victims: was.victims + 1,
      losses: was.losses + 123456,
      nearMisses: was.nearMisses,
    });
    // no mutation corrects a report yet: the store is corrected as an investigator's edit would, then the rollups
    const coll = storeOf(t).collection<Raw>('reports');
    const stored = (await coll.findOne({ regionCode: 'DG05', occurredAt: new Date(occurredAt) })) as Raw;
    const corrected = {
      ...stored,
      regionCode: 'DG09',
      fraudType: 'ONLINE_ROMANCE',
      occurredAt: new Date('2026-04-02T10:00:00Z'),
    };
    await coll.updateOne(
      { _id: stored._id },
      { $set: { regionCode: 'DG09', fraudType: 'ONLINE_ROMANCE', occurredAt: corrected.occurredAt } },
    );
    const april = await ok({ from: '2026-04-02', to: '2026-04-02', groupBy: ['REGION', 'FRAUD_TYPE'] });
    const rollups = t.app.get(StatsRollups);
    await rollups.correct(stored, corrected, 'c1');
    await rollups.correct(stored, corrected, 'c1'); // the same correction again: once
    const march = await ok({ from: '2026-03-14', to: '2026-03-14', groupBy: ['REGION', 'FRAUD_TYPE'] });
    expect(cell(march, 'DG05', 'FAKE_LOAN')).toEqual(was);
    const april2 = await ok({ from: '2026-04-02', to: '2026-04-02', groupBy: ['REGION', 'FRAUD_TYPE'] });
    const a0 = cell(april, 'DG09', 'ONLINE_ROMANCE');
    expect(cell(april2, 'DG09', 'ONLINE_ROMANCE')).toEqual({
      ...a0,
      reports: a0.reports + 1,
      victims: a0.victims + 1,
      losses: a0.losses + 123456,
    });
    await readReports();
    const year = await ok({ ...YEAR2, groupBy: ['REGION'] });
    const want = expected(reports, YEAR2.from, YEAR2.to, ['REGION']);
    for (const row of year.rows) expect(figOf(row.figures)).toEqual(want.get(JSON.stringify([row.regionCode])));
  }, 60_000);

  it('stats rebuild --verify is clean; a rebuild answers the same', async () => {
    const service = t.app.get(StatsRebuildService);
    const v = await service.verify();
    expect(v.differences).toEqual([]);
    expect(v.reports).toBe(reports.length);
    const before = await ok({ ...YEAR2, groupBy: ['MONTH', 'REGION'], compareTo: 'SAME_PERIOD_LAST_YEAR' });
    const r = await service.rebuild();
    expect(r.reports).toBe(reports.length);
    expect((await service.verify()).ok).toBe(true);
    expect(await ok({ ...YEAR2, groupBy: ['MONTH', 'REGION'], compareTo: 'SAME_PERIOD_LAST_YEAR' })).toEqual(before);
  }, 120_000);

  it('verify finds a rollup that differs from the reports', async () => {
    const coll = storeOf(t).collection<Raw>('reports');
    const one = (await coll.findOne({})) as Raw;
    await coll.updateOne({ _id: one._id }, { $set: { lossFen: one.lossFen + 1 } });
    try {
      const v = await t.app.get(StatsRebuildService).verify();
      expect(v.ok).toBe(false);
      expect(v.differences.length).toBeGreaterThan(0);
    } finally {
      await coll.updateOne({ _id: one._id }, { $set: { lossFen: one.lossFen } });
    }
  });

  it('counts each report once under concurrent callers, and loses no count between reports of one month', async () => {
    const rollups = t.app.get(StatsRollups);
    const day = '2026-06-18';
    const at = new Date('2026-06-18T04:00:00Z');
    const before = await ok({ from: day, to: day });
    const made: Raw[] = Array.from({ length: 40 }, (_, i) => ({
      _id: `conc:${i}`,
      occurredAt: new Date(at.getTime() + i * 60_000),
      regionCode: `DG${String(1 + (i % 33)).padStart(2, '0')}`,
      fraudType: 'FAKE_SHOPPING',
      channel: 'WEBSITE',
      lossFen: i % 4 === 0 ? 0 : 10_000 + i,
    }));
    await storeOf(t).collection<Raw>('reports').insertMany(made);
    // eight callers at once with disjoint slices (each writes the same day's documents), then four again with
    // every report (all already counted)
    await Promise.all(Array.from({ length: 8 }, (_, k) => rollups.count(made.slice(k * 5, k * 5 + 5))));
    await Promise.all(Array.from({ length: 4 }, () => rollups.count(made)));
    const after = await ok({ from: day, to: day });
    const f0 = figOf(before.totals.figures);
    expect(figOf(after.totals.figures)).toEqual({
      reports: f0.reports + 40,
      victims: f0.victims + 40,
      losses: f0.losses + made.reduce((a, r) => a + r.lossFen, 0),
      nearMisses: f0.nearMisses + 10,
    });
    await readReports();
  }, 60_000);

  it('siqian stats prints the table; stats rebuild --verify exits 0', async () => {
    const cli = cliOf(t);
    const verify = await cli('stats', 'rebuild', '--verify', '--no-progress');
    expect(verify.stderr).toBe('');
    expect(verify.stdout).toMatch(
      new RegExp(`^stats verify: ${reports.length} reports, \\d+ rollup documents — no difference$`, 'm'),
    );
    expect(verify.status).toBe(0);
    const table = await cli(
      'stats',
      '--from',
      YEAR2.from,
      '--to',
      YEAR2.to,
      '--group-by',
      'FRAUD_TYPE',
      '--compare-to',
      'SAME_PERIOD_LAST_YEAR',
    );
    expect(table.status).toBe(0);
    const want = expected(reports, YEAR2.from, YEAR2.to, ['FRAUD_TYPE']);
    const out = table.stdout.split('\n');
    // the table: from its heading to its totals (the store client may log a line after it)
    const lines = out.slice(out.indexOf(`${YEAR2.from} .. ${YEAR2.to}`) + 1);
    lines.splice(lines.findIndex((l) => l.startsWith('合计 total')) + 1);
    expect(lines[0].split(/\s+/).slice(0, 5)).toEqual(['fraud_type', 'reports', 'victims', 'losses', 'near_misses']);
    expect(lines).toHaveLength(want.size + 2);
    for (const l of lines.slice(1, -1)) {
      const [type, n] = l.split(/\s+/);
      expect(Number(n)).toBe(want.get(JSON.stringify([type]))?.reports);
    }
    const bad = await cli('stats', '--from', '2026-02-01', '--to', '2026-01-01');
    expect({ status: bad.status, stderr: bad.stderr.trim() }).toEqual({
      status: 1,
      stderr: 'siqian: input.to: the period ends before it starts (from > to)',
    });
  }, 240_000);

  it('publicStats: region totals only, without a token, exact from k up and "<5" below', async () => {
    const q =
      'query ($f: String!, $t: String!) { publicStats(from: $f, to: $t) { from to k regions { regionCode reports } } }';
    // a day with a report (so with a region of 1 to 4 reports at this density), and a year
    const day = dayOf(reports[0].occurredAt);
    expect([...expected(reports, day, day, ['REGION']).values()].some((f) => f.reports < 5)).toBe(true);
    for (const [from, to] of [
      [day, day],
      ['2025-11-01', '2026-10-31'],
    ]) {
      const res = await t.gql<{ publicStats: { k: number; regions: { regionCode: string; reports: string }[] } }>(q, {
        f: from,
        t: to,
      });
      expect(res.body.errors).toBeUndefined();
      const got = res.body.data?.publicStats;
      expect(got?.k).toBe(5);
      expect(got?.regions).toHaveLength(33);
      const want = expected(reports, from, to, ['REGION']);
      for (const r of got?.regions ?? []) {
        const n = want.get(JSON.stringify([r.regionCode]))?.reports ?? 0;
        expect(r.reports).toBe(n === 0 ? '0' : n < 5 ? '<5' : String(n));
      }
      if (from === to) expect(got?.regions.some((r) => r.reports === '<5')).toBe(true);
    }
    const bad = await t.gql(q, { f: '2026-02-01', t: '2026-01-01' });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  it('refuses bad input with typed errors; explicit nulls mean not given', async () => {
    const codeOf = async (input: Record<string, unknown>, who: LoggedIn = admin) => {
      const b = await stats(input, who);
      return [b.errors?.[0]?.extensions?.code, b.errors?.[0]?.extensions?.field];
    };
    expect(await codeOf({ from: '2026-02-01', to: '2026-01-01' })).toEqual(['BAD_USER_INPUT', 'input.to']);
    expect(await codeOf({ from: '2026-02-30', to: '2026-03-01' })).toEqual(['BAD_USER_INPUT', 'input.from']);
    expect(await codeOf({ from: '2020-01-01', to: '2026-01-01' })).toEqual(['BAD_USER_INPUT', 'input.to']);
    expect(await codeOf({ ...YEAR2, groupBy: ['REGION', 'CHANNEL', 'AGE_BAND'] })).toEqual([
      'BAD_USER_INPUT',
      'input.groupBy',
    ]);
    expect(await codeOf({ ...YEAR2, groupBy: ['MONTH', 'DAY'] })).toEqual(['BAD_USER_INPUT', 'input.groupBy']);
    expect(await codeOf({ ...YEAR2, groupBy: ['REGION', 'REGION'] })).toEqual(['BAD_USER_INPUT', 'input.groupBy']);
    expect(await codeOf({ ...YEAR2, regionCodes: ['XX99'] })).toEqual(['BAD_USER_INPUT', 'input.regionCodes.0']);
    expect((await stats({ ...YEAR2, groupBy: ['NOPE'] })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const nulls = await ok({
      ...YEAR2,
      groupBy: null,
      compareTo: null,
      regionCodes: null,
      fraudTypes: null,
      channels: null,
    });
    expect(figOf(nulls.totals.figures)).toEqual(expected(reports, YEAR2.from, YEAR2.to, []).get('[]'));
    const sup = await createStaff(t, admin, 'stats-sup@siqian.test', 'stats-sup-password-1', ['SUPERVISOR'], ['DG01']);
    expect(await codeOf({ ...YEAR2, regionCodes: ['DG02'] }, sup)).toEqual(['FORBIDDEN', undefined]);
    const own = await stats({ ...YEAR2, groupBy: ['REGION'] }, sup);
    expect(own.data?.stats.rows.map((r) => r.regionCode)).toEqual(['DG01']);
    const inv = await createStaff(
      t,
      admin,
      'stats-inv@siqian.test',
      'stats-inv-password-1',
      ['INVESTIGATOR'],
      ['DG01'],
    );
    expect((await codeOf(YEAR2, inv))[0]).toBe('FORBIDDEN');
    expect((await t.gql(STATS, { i: YEAR2 })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  }, 60_000);

  it('GET /stats.csv: a BOM and the same numbers, same auth', async () => {
    const q = 'from=2025-11-01&to=2026-10-31&groupBy=REGION&compareTo=SAME_PERIOD_LAST_YEAR';
    const res = await fetch(`${t.baseUrl}/stats.csv?${q}`, { headers: admin.headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes
      .toString('utf8')
      .slice(1)
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(lines[0].slice(0, 5)).toEqual(['region', 'reports', 'victims', 'losses', 'near_misses']);
    const s = await ok({ ...YEAR2, groupBy: ['REGION'], compareTo: 'SAME_PERIOD_LAST_YEAR' });
    expect(lines).toHaveLength(s.rows.length + 2);
    s.rows.forEach((row, i) => {
      const l = lines[i + 1];
      expect(l.slice(0, 5)).toEqual([
        row.regionCode,
        String(row.figures.reports),
        String(row.figures.victims),
        row.figures.losses,
        String(row.figures.nearMisses),
      ]);
      expect(l[5]).toBe(String((row.compared as Record<string, unknown>).reports));
    });
    expect(lines[lines.length - 1][0]).toBe('合计 total');
    expect(lines[lines.length - 1][1]).toBe(String(s.totals.figures.reports));
    expect((await fetch(`${t.baseUrl}/stats.csv?${q}`)).status).toBe(401);
    const bad = await fetch(`${t.baseUrl}/stats.csv?from=2026-02-01&to=2026-01-01`, { headers: admin.headers });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('input.to');
  });
});
