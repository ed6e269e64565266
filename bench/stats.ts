import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { ALL_UNITS } from '../src/auth/scope';
import { parseMoneyToFen } from '../src/common/graphql/money.scalar';
import { loadConfig } from '../src/config/config';
import { generateReports } from '../src/imports/synthetic';
import { addReport, applyDeltas, Deltas, RollupReport, shanghaiDay } from '../src/stats/rollup';
import { Figure, machine, printFigures, verdict } from './lib/report';
import { benchStores } from './lib/stores';

/**
 * `npm run bench:stats`: the `stats` query for a year × 33 regions × 11 fraud types (groupBy REGION, FRAUD_TYPE)
 * at each size of BENCH_STATS_SIZES (reports over two years; default 100000,1000000), p50/p99 over
 * BENCH_STATS_QUERIES runs, beside the same figures computed by an aggregation pipeline over the reports; the
 * goal is p50 at the largest size ≤ 1.2 × p50 at the smallest (cost follows the rows asked for, not the store).
 * Then the incremental rollups' cost per report (StatsRollups.count in batches of 16, the size of a busy
 * `report.index` batch, into the largest store).
 *
 * The store's reports are written by insertMany and its rollups computed in memory and written whole (the
 * report pipeline is not what is measured here: bench:submit measures it).
 */
const SIZES = (process.env.BENCH_STATS_SIZES ?? '100000,1000000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_STATS_QUERIES ?? 30);
const SCANS = Number(process.env.BENCH_STATS_SCANS ?? 5);
const INCREMENTAL = Number(process.env.BENCH_STATS_INCREMENTAL ?? 2_000);

const withDb = (uri: string, db: string) => uri.replace(/^(mongodb:\/\/[^/?]+)(\/[^?]*)?/, `$1/${db}`);
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

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

async function main(): Promise<void> {
  const stores = await benchStores();
  console.log(`bench:stats on ${machine()}; store: ${stores.kind}; sizes ${SIZES.join(', ')}`);
  const figures: Figure[] = [];
  const p50s: number[] = [];
  const until = new Date();
  const lastDay = shanghaiDay(new Date(until.getTime() - 86_400_000));
  const firstDay = shanghaiDay(new Date(until.getTime() - 365 * 86_400_000));
  const input = { from: firstDay, to: lastDay, groupBy: ['REGION', 'FRAUD_TYPE'] } as never;
  try {
    for (const size of SIZES) {
      const db = `bench_stats_${size}`;
      const cfg = loadConfig({
        NODE_ENV: 'production',
        MONGODB_URI: withDb(stores.mongoUri, db),
        REDIS_URL: stores.redisUrl,
        JWT_SECRET: randomBytes(32).toString('hex'),
        PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        QUEUE_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
        LOG_LEVEL: 'warn',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'siqian-bench-stats-')),
      });
      const conn = await mongoose.createConnection(withDb(stores.mongoUri, db)).asPromise();
      await conn.dropDatabase();
      const { NestFactory } = await import('@nestjs/core');
      const { AppModule } = await import('../src/app.module');
      const { StatsQueryService } = await import('../src/stats/stats-query.service');
      const { StatsRepository } = await import('../src/stats/stats.repository');
      const { StatsRollups } = await import('../src/stats/stats-rollups.service');
      const app = await NestFactory.createApplicationContext(AppModule.register(cfg, { api: false, worker: false }), {
        logger: ['error'],
      });
      try {
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

        const query = app.get(StatsQueryService);
        await query.stats(input, ALL_UNITS); // warm-up
        const times: number[] = [];
        let rows = 0;
        for (let q = 0; q < QUERIES; q++) {
          const t0 = process.hrtime.bigint();
          rows = (await query.stats(input, ALL_UNITS)).rows.length;
          times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
        p50s.push(quantile(times, 0.5));
        figures.push({ name: `stats p50 @ ${size}`, value: quantile(times, 0.5), unit: 'ms', note: `${rows} rows` });
        figures.push({ name: `stats p99 @ ${size}`, value: quantile(times, 0.99), unit: 'ms' });

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

        if (size === SIZES[SIZES.length - 1]) {
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
      } finally {
        await app.close();
        await conn.dropDatabase().catch(() => undefined);
        await conn.close();
      }
    }
    const ratio = p50s[p50s.length - 1] / p50s[0];
    figures.push({
      name: `stats p50 ratio ${SIZES[SIZES.length - 1]} / ${SIZES[0]}`,
      value: ratio,
      unit: 'x',
      note: verdict(ratio, 1.2, '<='),
    });
    printFigures('bench:stats: a year × 33 regions × 11 types from the rollups, beside a scan of the reports', figures);
  } finally {
    await stores.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
