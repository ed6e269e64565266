import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';
import mongoose from 'mongoose';
import { PiiCipher } from '../src/common/crypto/pii-cipher';
import { loadConfig } from '../src/config/config';
import { importDoc } from '../src/imports/import.service';
import { parseJsonl } from '../src/imports/parsers/jsonl';
import { generateReports } from '../src/imports/synthetic';
import { ImportLinker } from '../src/imports/import-linker.service';
import { ImportCounter } from '../src/imports/import-counter.service';
import { ReportsRepository, type ReportRecord } from '../src/reports/reports.repository';
import { machine, printFigures, verdict } from './lib/report';
import { benchStores } from './lib/stores';

/**
 * `npm run bench:import`: `siqian import --format jsonl` of 100,000 generated reports (BENCH_IMPORT_REPORTS),
 * in-process through ImportService, against raw insertMany of the very same documents (built by the same
 * parser and importDoc, inserted in batches of 1,000 into a fresh collection; only the insert calls are
 * timed). Goal: import rate / raw rate >= 0.4.
 *
 * Into a fresh store by default: the import is the store's first data and is linked by one rebuild
 * (ReclusterService.linkFirstData). BENCH_IMPORT_INTO=linked first imports one other report (untimed), so
 * that the store already has links and the measured import links in holds, as any later import does.
 */
const REPORTS = Number(process.env.BENCH_IMPORT_REPORTS ?? 100_000);
const INTO: 'empty' | 'linked' = process.env.BENCH_IMPORT_INTO === 'linked' ? 'linked' : 'empty';

const withDb = (uri: string, db: string) => uri.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${db}`);

async function main(): Promise<void> {
  const stores = await benchStores();
  const dir = mkdtempSync(join(tmpdir(), 'siqian-bench-import-'));
  const file = join(dir, 'reports.jsonl');
  console.log(
    `bench:import on ${machine()}; store: ${stores.kind}; ${REPORTS} generated reports into ` +
      (INTO === 'empty'
        ? 'an empty store (the first data: linked by one rebuild)'
        : 'a store that has links (BENCH_IMPORT_INTO=linked: linked in holds)'),
  );
  try {
    const out = createWriteStream(file);
    for (const r of generateReports({ reports: REPORTS, seed: 2026, until: new Date() })) {
      if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    const cfg = loadConfig({
      NODE_ENV: 'production',
      MONGODB_URI: withDb(stores.mongoUri, 'bench_import'),
      REDIS_URL: stores.redisUrl,
      JWT_SECRET: randomBytes(32).toString('hex'),
      PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      QUEUE_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
      LOG_LEVEL: 'warn',
      DATA_DIR: dir,
    });

    // raw insertMany of the same documents
    const cipher = new PiiCipher(cfg.secrets.piiKey);
    const conn = await mongoose.createConnection(withDb(stores.mongoUri, 'bench_raw')).asPromise();
    let rawSeconds: number;
    let rawDocs: number;
    try {
      const now = new Date();
      const docs = async function* (): AsyncGenerator<ReportRecord> {
        for await (const rec of parseJsonl(file, {
          maxLossFen: cfg.reports.maxLossFen,
          maxAgeDays: cfg.reports.maxAgeDays,
        }))
          if ('row' in rec) yield importDoc('jsonl', rec.row, now, cipher);
      };
      ({ docs: rawDocs, seconds: rawSeconds } = await timedInsertMany(
        conn.collection<ReportRecord>('reports_raw'),
        docs(),
      ));
    } finally {
      await conn.close();
    }
    const rawRate = rawDocs / rawSeconds;

    // the import, end to end (parse, normalise, index, insert)
    const { NestFactory } = await import('@nestjs/core');
    const { AppModule } = await import('../src/app.module');
    const { ImportService } = await import('../src/imports/import.service');
    const app = await NestFactory.createApplicationContext(AppModule.register(cfg, { api: false, worker: false }), {
      logger: ['error'],
    });
    if (INTO === 'linked') {
      const first = join(dir, 'first.jsonl');
      const [one] = generateReports({ reports: 1, seed: 7, until: new Date() });
      writeFileSync(first, `${JSON.stringify({ ...one, clientRequestId: 'bench-import-first-data' })}\n`);
      await app.get(ImportService).run('jsonl', first);
    }
    const phases = timePhases(app);
    let summary;
    const peak = { rss: 0, heap: 0 };
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak.rss = Math.max(peak.rss, m.rss);
      peak.heap = Math.max(peak.heap, m.heapUsed);
    }, 200);
    try {
      summary = await app.get(ImportService).run('jsonl', file);
    } finally {
      clearInterval(sampler);
      await app.close();
    }
    const importRate = summary.imported / summary.seconds;
    const ratio = importRate / rawRate;
    const floor = await writeFloor(withDb(stores.mongoUri, 'bench_import'), withDb(stores.mongoUri, 'bench_floor'));
    printFigures('bulk import (jsonl)', [
      {
        name: 'import (jsonl, end to end)',
        value: importRate,
        unit: 'reports/s',
        note:
          `${summary.imported} imported, ${summary.rejectedCount} rejected in ${summary.seconds.toFixed(1)} s; ` +
          `peak RSS ${(peak.rss / 2 ** 20).toFixed(0)} MiB, heap ${(peak.heap / 2 ** 20).toFixed(0)} MiB`,
      },
      {
        name: 'raw insertMany, same documents',
        value: rawRate,
        unit: 'docs/s',
        note: `${rawDocs} docs, batches of 1,000`,
      },
      { name: 'ratio import / raw', value: ratio, unit: 'x', note: verdict(ratio, 0.4, '>=') },
    ]);
    const floorRatio = rawSeconds / floor.seconds;
    console.log(
      `what the import leaves in the store: ${floor.docs} documents in ${floor.collections} collections ` +
        `(${(floor.docs / summary.imported).toFixed(1)} per report); inserted raw the same way (insertMany, 1,000 ` +
        `a batch, into a fresh database) they take ${floor.seconds.toFixed(1)} s against ${rawSeconds.toFixed(1)} s ` +
        `for the reports alone, so no import that writes them can exceed a ratio of ${floorRatio.toFixed(2)} ` +
        `(${floor.counts})`,
    );
    // the least any import that indexes and links could write: its reports, one statistics document per
    // identifier and one link document per report (at the store's measured cost of a link document), no claims,
    // no clusters, no pages, no superseded versions
    const cost = (name: string) => floor.each.get(name) ?? { docs: 0, seconds: 0 };
    const link = cost('link_reports');
    const minimalSeconds =
      cost('reports').seconds +
      cost('identifier_stats').seconds +
      (link.docs ? (summary.imported * link.seconds) / link.docs : 0);
    console.log(
      `the least an import that indexes and links could write — the reports, one statistics document per ` +
        `identifier (${cost('identifier_stats').docs}), one link document per report — takes ` +
        `${minimalSeconds.toFixed(1)} s raw: a ratio of at most ${(rawSeconds / minimalSeconds).toFixed(2)} ` +
        `with every line of code free`,
    );
    console.log(
      `where the import's time went: ${Object.entries(phases)
        .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
        .join(', ')} (the rest: reading, parsing, building documents)`,
    );
    writeFileSync(join(dir, 'done'), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await stores.stop();
  }
}

/**
 * The floor of any import that stores what ours stores: every document the import left in its database (the
 * reports, the lookup statistics and their claims, the link documents with the versions a hold superseded,
 * which recluster compacts) copied into a fresh database with raw insertMany in batches of 1,000, timing only the insert calls, like
 * the raw baseline. Reading and writing logic are free here; only the store's cost of the writes is paid.
 */
async function writeFloor(
  fromUri: string,
  toUri: string,
): Promise<{
  docs: number;
  collections: number;
  seconds: number;
  counts: string;
  each: Map<string, { docs: number; seconds: number }>;
}> {
  const from = await mongoose.createConnection(fromUri).asPromise();
  const to = await mongoose.createConnection(toUri).asPromise();
  const counts: string[] = [];
  const each = new Map<string, { docs: number; seconds: number }>();
  try {
    for (const { name } of await from.db!.listCollections({}, { nameOnly: true }).toArray()) {
      const target = to.collection(name);
      each.set(name, await timedInsertMany(target, from.collection(name).find({})));
      counts.push(`${name} ${(await target.estimatedDocumentCount()).toLocaleString('en')}`);
    }
  } finally {
    await from.close();
    await to.close();
  }
  const copied = [...each.values()];
  return {
    docs: copied.reduce((n, c) => n + c.docs, 0),
    collections: each.size,
    seconds: copied.reduce((s, c) => s + c.seconds, 0),
    counts: counts.join(', '),
    each,
  };
}

/**
 * Inserts `docs` with insertMany({ ordered: false }) in batches of 1,000, timing only the insert calls: the
 * raw baseline and the floor are measured the same way.
 */
async function timedInsertMany<T extends Document>(
  coll: Collection<T>,
  docs: AsyncIterable<T>,
): Promise<{ docs: number; seconds: number }> {
  let count = 0;
  let seconds = 0;
  let batch: T[] = [];
  const flush = async () => {
    const t = process.hrtime.bigint();
    await coll.insertMany(batch as OptionalUnlessRequiredId<T>[], { ordered: false });
    seconds += Number(process.hrtime.bigint() - t) / 1e9;
    count += batch.length;
    batch = [];
  };
  for await (const d of docs) {
    batch.push(d);
    if (batch.length >= 1000) await flush();
  }
  if (batch.length) await flush();
  return { docs: count, seconds };
}

/**
 * Wall time spent in each phase of the import (counting into the lookup statistics, inserting the reports,
 * linking), measured by wrapping the three calls that do them; nothing else changes.
 */
function timePhases(app: { get<T>(type: new (...args: never[]) => T): T }): Record<string, number> {
  const phases: Record<string, number> = { index: 0, insert: 0, link: 0 };
  const wrap = <T extends object>(target: T, method: keyof T & string, phase: string) => {
    const original = (target[method] as (...a: unknown[]) => Promise<unknown>).bind(target);
    (target as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      const t = Date.now();
      try {
        return await original(...args);
      } finally {
        phases[phase] += Date.now() - t;
      }
    };
  };
  wrap(app.get(ImportCounter), 'applyRound', 'index');
  wrap(app.get(ReportsRepository), 'insertReports', 'insert');
  wrap(app.get(ImportLinker), 'link', 'link');
  return phases;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
