import { ALL_UNITS } from '../src/auth/scope';
import { parseMoneyToFen } from '../src/common/graphql/money.scalar';
import { generateReports } from '../src/imports/synthetic';
import { addReport, applyDeltas, Deltas, docId, RollupReport, shanghaiDay } from '../src/stats/rollup';
import { Figure, machine, printFigures, verdict } from './lib/report';
import { inChild, quantile, withSizeApp } from './lib/sized';

/**
 * `npm run bench:stats`: the `stats` query for a year × 33 regions × 11 fraud types (groupBy REGION, FRAUD_TYPE)
 * at each size of BENCH_STATS_SIZES (reports over two years; default 100000,1000000), p50/p99 over
 * BENCH_STATS_QUERIES runs, beside the same figures computed by an aggregation pipeline over the reports. The
 * year is asked twice: the last twelve whole months (month documents only: the goal, p50 at the largest size
 * ≤ 1.2 × p50 at the smallest) and the last 365 days (whose edge days are read from day documents, which hold
 * more cells as the data grows, up to the 363 region × type pairs).
 * Then the incremental rollups' cost per report (StatsRollups.count in batches of 16, the size of a busy
 * `report.index` batch, into the largest store).
 *
 * The store's reports are written by insertMany and its rollups computed in memory and written whole (the
 * report pipeline is not what is measured here: bench:submit measures it).
 *
 * Each size is measured in a process of its own on stores of its own (the embedded ones; MONGODB_URI/REDIS_URL
 * when given): measured one after the other in one process, the second size came out 40 % slower in either
 * order (2026-12-03: 14.3 ms at 100k then 20.8 at 1M; 14.8 at 1M then 20.1 at 100k) — the ratio measured the
 * order, not the size.
 */
const SIZES = (process.env.BENCH_STATS_SIZES ?? '100000,1000000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_STATS_QUERIES ?? 30);
const SCANS = Number(process.env.BENCH_STATS_SCANS ?? 5);
const INCREMENTAL = Number(process.env.BENCH_STATS_INCREMENTAL ?? 2_000);

function toRollup(row: Record<string, unknown>, id: string): RollupReport & { original: unknown } {
  return {
    _id: id,
    occurredAt: new Date(row.occurredAt as string),
    regionCode: row.regionCode as string,
    fraudType: row.fraudType as string,
    channel: row.channel as string,
    paymentMethod: row.paymentMethod as string,
    victimAgeBand: row.victimAgeBand as string,
    lossFen: parseMoneyToFen(row.loss),
    original: row,
  };
}

/** The `RT` month documents of generation 1 between two days (whole months). */
function monthsOf(q: { from: string; to: string }): string[] {
  const out: string[] = [];
  for (let d = new Date(`${q.from}T00:00:00Z`); d.toISOString().slice(0, 10) <= q.to;) {
    out.push(docId(1, d.toISOString().slice(0, 7), 'RT'));
    d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  }
  return out;
}

/** The two year queries of a run: the last twelve whole months and the last 365 days, both up to yesterday. */
function yearQueries(until: Date): { name: string; from: string; to: string }[] {
  const lastDay = shanghaiDay(new Date(until.getTime() - 86_400_000));
  const firstDay = shanghaiDay(new Date(until.getTime() - 365 * 86_400_000));
  // the last twelve whole months (a bureau's year on year), and the last 365 days (edges of day documents)
  const thisMonth = new Date(`${shanghaiDay(until).slice(0, 7)}-01T00:00:00Z`);
  const monthsFrom = new Date(Date.UTC(thisMonth.getUTCFullYear() - 1, thisMonth.getUTCMonth(), 1));
  const monthsTo = new Date(thisMonth.getTime() - 86_400_000);
  return [
    { name: '12 months', from: monthsFrom.toISOString().slice(0, 10), to: monthsTo.toISOString().slice(0, 10) },
    { name: '365 days', from: firstDay, to: lastDay },
  ];
}

/** What one size's process sends back. */
interface SizeResult {
  figures: Figure[];
  /** query name -> p50 (ms) */
  p50: Record<string, number>;
}

/** One size on stores of its own: writes the store, runs the queries and the scan (and the incremental path). */
async function measureSize(size: number, until: Date, incremental: boolean): Promise<SizeResult> {
  const figures: Figure[] = [];
  const p50: Record<string, number> = {};
  const QUERIES_OF = yearQueries(until);
  const [firstDay, lastDay] = [QUERIES_OF[1].from, QUERIES_OF[1].to];
  return withSizeApp(`bench_stats_${size}`, async ({ app, conn }) => {
    const { StatsQueryService } = await import('../src/stats/stats-query.service');
    const { StatsRepository } = await import('../src/stats/stats.repository');
    const { StatsRollups } = await import('../src/stats/stats-rollups.service');
    // the store: reports by insertMany, rollups folded in memory and written whole
    const started = Date.now();
    const reports = conn.collection<RollupReport>('reports');
    const deltas: Deltas = new Map();
    let batch: RollupReport[] = [];
    let i = 0;
    for (const row of generateReports({ reports: size, seed: 2026, until })) {
      const r = toRollup(row, `bench:${i++}`);
      addReport(deltas, 1, r);
      batch.push(r);
      if (batch.length === 1_000) {
        await reports.insertMany(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await reports.insertMany(batch);
    const repo = app.get(StatsRepository);
    const docs = [...deltas].map(([id, d]) => ({ id, cells: applyDeltas([], d) }));
    for (let k = 0; k < docs.length; k += 500) await repo.write(docs.slice(k, k + 500), new Date());
    console.log(
      `${size} reports and ${docs.length} rollup documents written in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    // the queries run without the build's heap (a larger heap would slow them by its GC, not by the store)
    deltas.clear();
    docs.length = 0;

    const query = app.get(StatsQueryService);
    for (const qd of QUERIES_OF) {
      const input = { from: qd.from, to: qd.to, groupBy: ['REGION', 'FRAUD_TYPE'] } as never;
      await query.stats(input, ALL_UNITS); // warm-up
      const times: number[] = [];
      let rows = 0;
      for (let q = 0; q < QUERIES; q++) {
        const t0 = process.hrtime.bigint();
        rows = (await query.stats(input, ALL_UNITS)).rows.length;
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      p50[qd.name] = quantile(times, 0.5);
      const note = `${qd.from}..${qd.to}, ${rows} rows`;
      figures.push({ name: `stats ${qd.name} p50 @ ${size}`, value: quantile(times, 0.5), unit: 'ms', note });
      figures.push({ name: `stats ${qd.name} p99 @ ${size}`, value: quantile(times, 0.99), unit: 'ms' });
    }

    // where a query's time goes: the twelve month documents' reads by `_id` alone
    const monthIds = QUERIES_OF[0].from.slice(0, 7) === QUERIES_OF[0].to.slice(0, 7) ? [] : monthsOf(QUERIES_OF[0]);
    const reads: number[] = [];
    for (let q = 0; q < QUERIES; q++) {
      const t0 = process.hrtime.bigint();
      await repo.cellsOf(monthIds);
      reads.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    figures.push({ name: `read 12 month documents p50 @ ${size}`, value: quantile(reads, 0.5), unit: 'ms' });

    // the same figures by scanning the reports
    const [from, to] = [
      new Date(Date.parse(`${firstDay}T00:00:00+08:00`)),
      new Date(Date.parse(`${lastDay}T00:00:00+08:00`) + 86_400_000),
    ];
    const scans: number[] = [];
    for (let q = 0; q < SCANS; q++) {
      const t0 = process.hrtime.bigint();
      await reports
        .aggregate([
          { $match: { occurredAt: { $gte: from, $lt: to } } },
          {
            $group: {
              _id: { region: '$regionCode', type: '$fraudType' },
              reports: { $sum: 1 },
              losses: { $sum: '$lossFen' },
            },
          },
        ])
        .toArray();
      scans.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    figures.push({ name: `aggregation scan p50 @ ${size}`, value: quantile(scans, 0.5), unit: 'ms' });

    if (incremental) {
      // the incremental path: today's reports, in batches of 16, claims and month lock included
      const rollups = app.get(StatsRollups);
      const fresh = [...generateReports({ reports: INCREMENTAL, seed: 7, until })].map((row, k) => ({
        ...toRollup(row, `bench-new:${k}`),
        occurredAt: new Date(),
      }));
      const t0 = process.hrtime.bigint();
      for (let k = 0; k < fresh.length; k += 16) await rollups.count(fresh.slice(k, k + 16));
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      figures.push({
        name: `rollup cost per report @ ${size}`,
        value: ms / fresh.length,
        unit: 'ms',
        note: 'batches of 16',
      });
    }
    return { figures, p50 };
  });
}

async function main(): Promise<void> {
  const one = process.env.BENCH_STATS_ONE;
  if (one) {
    const { size, until, incremental } = JSON.parse(one) as { size: number; until: string; incremental: boolean };
    process.send?.(await measureSize(size, new Date(until), incremental));
    return;
  }
  console.log(`bench:stats on ${machine()}; sizes ${SIZES.join(', ')}, each in a process and on stores of its own`);
  const until = new Date();
  const figures: Figure[] = [];
  const p50Of: Record<string, number[]> = {};
  for (const size of SIZES) {
    const r = await inChild<SizeResult>(
      __filename,
      'BENCH_STATS_ONE',
      { size, until: until.toISOString(), incremental: size === SIZES[SIZES.length - 1] },
      `bench:stats at ${size}`,
    );
    figures.push(...r.figures);
    for (const [name, v] of Object.entries(r.p50)) (p50Of[name] ??= []).push(v);
  }
  for (const qd of yearQueries(until)) {
    const p = p50Of[qd.name];
    const ratio = p[p.length - 1] / p[0];
    figures.push({
      name: `stats ${qd.name} p50 ratio ${SIZES[SIZES.length - 1]} / ${SIZES[0]}`,
      value: ratio,
      unit: 'x',
      note: qd.name === '12 months' ? verdict(ratio, 1.2, '<=') : 'its day documents grow with the data',
    });
  }
  printFigures('bench:stats: a year × 33 regions × 11 types from the rollups, beside a scan of the reports', figures);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
