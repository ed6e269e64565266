/**
 * `npm run bench:link` — linking at scale, in one run:
 *
 * A. IN MEMORY (engine only, InMemoryLinkStore): bench/link-engine.ts, run as its own child process (it needs a
 *    12 GB heap for 1M reports) — store operations and µs per report at 10k and 1M and their ratio, memory,
 *    and the hub scenario's stored records against MISP-style pairwise storage.
 *
 * B. ON THE REAL STORE (the embedded FerretDB, or MONGODB_URI/REDIS_URL when both are set), the production
 *    path: BufferedLinkStore over LinkStoreRepository, one lock hold per batch of LINK_BATCH_SIZE reports
 *    (prefetch, engine, journal commit), exactly what a `report.link` holder does minus reading the report
 *    from `reports`. For each size S (BENCH_LINK_STORE_SMALL, default 10,000; BENCH_LINK_STORE_LARGE, default
 *    1,000,000): a store holding S reports of the bench corpus is built (engine in memory, bulk-inserted as
 *    version 1 documents: about 26 minutes for 1M on the embedded store; linking 1M through the real path would
 *    take hours), then the
 *    next BENCH_LINK_STORE_WINDOW (default 2,000) reports of the same corpus are linked through the real path
 *    and timed: ms and store reads/writes per report, and the ratio large / small (goal ≤ 1.3).
 *    Then caseGraph(depth 2) over HTTP against an API process on that store: p50/p99 over
 *    BENCH_LINK_GRAPH_REQUESTS (default 300) sequential requests from random reports, ratio (goal ≤ 1.5).
 *    Finally the stored link documents of the hub scenario (one PHONE in H reports) counted in the real store
 *    against the H·(H−1)/2 pairs of pairwise storage.
 *
 * Skip part A with BENCH_LINK_SKIP_MEMORY=1 (it takes several minutes and 12 GB). The whole default run takes
 * about 45 minutes on 2 cores; BENCH_LINK_STORE_LARGE=100000 gives a 5-minute part B. `npm run bench:link` runs
 * node with a 12 GB heap limit (the 1M store is built in memory before it is bulk-loaded).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { DEFAULT_DEGREE_CAPS } from '../src/identifiers';
import { loadConfig, PROJECT_ROOT } from '../src/config/config';
import { BufferedLinkStore, type StoredDoc } from '../src/linking/buffered-link-store';
import { InMemoryLinkStore, LinkingEngine, type NewLinkReport } from '../src/linking/engine';
import { LinkStoreRepository } from '../src/linking/link-store.repository';
import { isWarninglistedKey } from '../src/linking/linking.options';
import { prefetchForReports } from '../src/linking/linking.service';
import { corpus, hubReports } from './link-engine';
import { machine } from './lib/report';
import { startServer } from './lib/server';
import { benchStores, type BenchStores } from './lib/stores';

const SMALL = Number(process.env.BENCH_LINK_STORE_SMALL ?? 10_000);
const LARGE = Number(process.env.BENCH_LINK_STORE_LARGE ?? 1_000_000);
const WINDOW = Number(process.env.BENCH_LINK_STORE_WINDOW ?? 2_000);
const BATCH = Number(process.env.LINK_BATCH_SIZE ?? 200);
const GRAPH_REQUESTS = Number(process.env.BENCH_LINK_GRAPH_REQUESTS ?? 300);
const HUB_H = Number(process.env.BENCH_LINK_HUB ?? 10_000);
const ADMIN = { email: 'bench-admin@siqian.test', password: 'bench-admin-password-1' };
const COLLECTIONS = ['reports', 'identifiers', 'clusters', 'pages', 'victims'] as const;

const fmt = (x: number, d = 1) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const int = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

interface Env {
  db: string;
  prefix: string;
  mongoUri: string;
  app: INestApplicationContext;
  repo: LinkStoreRepository;
  conn: Connection;
}

async function boot(stores: BenchStores, tag: string): Promise<Env> {
  const db = `bench_link_${tag}_${randomBytes(3).toString('hex')}`;
  const mongoUri = stores.mongoUri.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${db}`);
  const prefix = `bench-link-${db}`;
  const cfg = loadConfig({
    NODE_ENV: 'production',
    MONGODB_URI: mongoUri,
    REDIS_URL: stores.redisUrl,
    QUEUE_PREFIX: prefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'error',
    LINK_BATCH_SIZE: String(BATCH),
  });
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../src/app.module');
  const app = await NestFactory.createApplicationContext(AppModule.register(cfg, { api: false, worker: false }), {
    logger: ['error'],
  });
  return {
    db,
    prefix,
    mongoUri,
    app,
    repo: app.get(LinkStoreRepository),
    conn: app.get<Connection>(getConnectionToken()),
  };
}

/** Builds the state of `n` reports in memory and writes it to the real store as version-1 documents. */
async function preload(env: Env, reports: Iterable<NewLinkReport>): Promise<InMemoryLinkStore> {
  const mem = new (class extends InMemoryLinkStore {
    override newId(prefix: string): string {
      return env.repo.newId(prefix);
    }
  })({ copy: false });
  const engine = new LinkingEngine(mem, { caps: DEFAULT_DEGREE_CAPS, isWarninglisted: isWarninglistedKey });
  const docs: Record<string, unknown>[] = [];
  for (const r of reports) {
    await engine.addReport(r);
    // the stored report the staff API reads (labels, scoping): a minimal document of the reports collection
    const f = r.summaryFacts;
    docs.push({
      _id: r._id,
      source: 'bench',
      externalRef: r._id,
      fraudType: f.fraudType,
      channel: f.channel,
      occurredAt: new Date(f.occurredAt),
      regionCode: f.regionCode,
      lossFen: f.lossFen,
      paymentMethod: f.paymentMethod,
      reporterKey: `bench:${r._id}`,
      identifiers: r.identifierKeys.map((key) => ({
        kind: key.slice(0, key.indexOf(':')),
        value: key.slice(key.indexOf(':') + 1),
        display: key,
        key,
        origin: 'TYPED',
        confidence: 1,
      })),
      createdAt: new Date(f.occurredAt),
    });
  }
  for (let i = 0; i < docs.length; i += 5_000)
    await env.conn.collection('reports').insertMany(docs.slice(i, i + 5_000));
  for (const col of COLLECTIONS) {
    const all = [...(mem[col] as unknown as Map<string, StoredDoc>).values()];
    for (let i = 0; i < all.length; i += 5_000) {
      await env.repo.applyWrites(all.slice(i, i + 5_000).map((doc) => ({ col, id: doc._id, doc, version: 1 })));
    }
  }
  return mem;
}

/** Links `inputs` through the production hold path (batches of BATCH), timed. */
async function linkThroughStore(
  env: Env,
  inputs: NewLinkReport[],
): Promise<{ msPerReport: number; readsPerReport: number; writesPerReport: number }> {
  let reads = 0;
  let writes = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < inputs.length; i += BATCH) {
    const chunk = inputs.slice(i, i + BATCH);
    await env.repo.recoverJournal();
    const store = new BufferedLinkStore(env.repo);
    const engine = new LinkingEngine(store, { caps: DEFAULT_DEGREE_CAPS, isWarninglisted: isWarninglistedKey });
    await store.prefetch(
      'reports',
      chunk.map((r) => r._id),
    );
    await prefetchForReports(store, chunk);
    for (const r of chunk) await engine.addReport(r);
    const w = store.writes();
    await env.repo.commit(w, randomBytes(8).toString('hex'), async () => true);
    reads += store.fetched;
    writes += w.length;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return {
    msPerReport: ms / inputs.length,
    readsPerReport: reads / inputs.length,
    writesPerReport: writes / inputs.length,
  };
}

/** caseGraph depth 2 over HTTP from random stored reports: sorted latencies in ms. */
async function graphLatencies(env: Env, stores: BenchStores, reportIds: string[]): Promise<number[]> {
  const server = await startServer(env.mongoUri, stores.redisUrl, {
    QUEUE_PREFIX: env.prefix,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    WORKER_IN_API: 'false',
    GRAPHQL_MAX_COST: '100000',
  });
  try {
    const post = async (body: object, headers: Record<string, string> = {}) =>
      (await (
        await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        })
      ).json()) as {
        data?: Record<string, unknown>;
        errors?: unknown[];
      };
    const login = await post({
      query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
      variables: { e: ADMIN.email, p: ADMIN.password },
    });
    const token = (login.data?.login as { accessToken: string } | undefined)?.accessToken;
    if (!token) throw new Error(`bench login failed: ${JSON.stringify(login.errors)}`);
    const headers = { authorization: `Bearer ${token}` };
    const query =
      'query($r: ID!) { caseGraph(root: { reportId: $r }, depth: 2) { nodes { id type label clusterId isHub hiddenNeighbourCount } edges { source target } truncated } }';
    const out: number[] = [];
    let nodes = 0;
    for (let i = 0; i < GRAPH_REQUESTS + 20; i++) {
      const id = reportIds[Math.floor(Math.random() * reportIds.length)];
      const t0 = process.hrtime.bigint();
      const res = await post({ query, variables: { r: id } }, headers);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (res.errors) throw new Error(`caseGraph failed: ${JSON.stringify(res.errors)}`);
      if (i >= 20) {
        out.push(ms); // the first 20 warm the process up
        nodes += ((res.data?.caseGraph as { nodes: unknown[] }).nodes ?? []).length;
      }
    }
    process.stdout.write(`     (average ${fmt(nodes / GRAPH_REQUESTS)} nodes per graph)\n`);
    return out.sort((a, b) => a - b);
  } finally {
    await server.stop();
  }
}

async function stage(stores: BenchStores, size: number) {
  const env = await boot(stores, String(size));
  try {
    const all = corpus(size + WINDOW, 7);
    const head: NewLinkReport[] = [];
    const window: NewLinkReport[] = [];
    let i = 0;
    for (const r of all) (i++ < size ? head : window).push(r);
    const t0 = Date.now();
    await preload(env, head);
    process.stdout.write(
      `   store with ${int(size)} reports built and bulk-loaded in ${fmt((Date.now() - t0) / 1000)} s\n`,
    );
    const cost = await linkThroughStore(env, window);
    const docs: Record<string, number> = {};
    for (const col of COLLECTIONS) docs[col] = await env.conn.collection(`link_${col}`).estimatedDocumentCount();
    const ids = head.map((r) => r._id);
    const lat = await graphLatencies(env, stores, ids);
    return { cost, lat, docs };
  } finally {
    await env.conn.dropDatabase().catch(() => undefined);
    await env.app.close();
  }
}

async function hubRecords(stores: BenchStores) {
  const env = await boot(stores, 'hub');
  try {
    await preload(env, hubReports(HUB_H));
    const counts: Record<string, number> = {};
    for (const col of ['reports', 'identifiers', 'pages'] as const)
      counts[col] = await env.conn.collection(`link_${col}`).estimatedDocumentCount();
    return counts;
  } finally {
    await env.conn.dropDatabase().catch(() => undefined);
    await env.app.close();
  }
}

async function main(): Promise<void> {
  console.log(`bench:link on ${machine()}`);
  if (process.env.BENCH_LINK_SKIP_MEMORY !== '1') {
    console.log('\n=== A. IN MEMORY: the engine on InMemoryLinkStore (bench/link-engine.ts) ===');
    const r = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(PROJECT_ROOT, 'bench', 'link-engine.ts')],
      {
        stdio: 'inherit',
        cwd: PROJECT_ROOT,
        env: process.env,
      },
    );
    if (r.status !== 0) process.exitCode = 1;
  }
  const stores = await benchStores();
  try {
    console.log(
      `\n=== B. ON THE REAL STORE (${stores.kind === 'ferretdb' ? 'embedded FerretDB v1 + redis-server' : 'MONGODB_URI / REDIS_URL'}) ===`,
    );
    console.log(
      `   production path: BufferedLinkStore over LinkStoreRepository, ${BATCH} reports per lock hold, journal commit`,
    );
    console.log(`\n   -- ${int(SMALL)} reports --`);
    const small = await stage(stores, SMALL);
    console.log(`\n   -- ${int(LARGE)} reports --`);
    const large = await stage(stores, LARGE);

    console.log(
      '\n1. Linking cost per report on the real store (the next ' +
        int(WINDOW) +
        ' reports linked into a store of S reports)',
    );
    for (const [n, s] of [
      [SMALL, small],
      [LARGE, large],
    ] as const) {
      console.log(
        `   S = ${int(n).padStart(9)}: ${fmt(s.cost.msPerReport, 2)} ms/report, ${fmt(s.cost.readsPerReport, 2)} store reads + ${fmt(s.cost.writesPerReport, 2)} document writes per report  (stored: ${Object.entries(
          s.docs,
        )
          .map(([c, k]) => `${c} ${int(k)}`)
          .join(', ')})`,
      );
    }
    const costRatio = large.cost.msPerReport / small.cost.msPerReport;
    const readRatio = large.cost.readsPerReport / small.cost.readsPerReport;
    console.log(
      `   ratio ${int(LARGE)} / ${int(SMALL)}: wall clock ${fmt(costRatio, 2)} ${costRatio <= 1.3 ? 'PASS' : 'FAIL'}, store reads ${fmt(readRatio, 2)} ${readRatio <= 1.3 ? 'PASS' : 'FAIL'} (goal ≤ 1.3)`,
    );

    console.log(
      `\n2. caseGraph(depth: 2) over HTTP on the real store, ${GRAPH_REQUESTS} sequential requests from random reports`,
    );
    const p = (l: number[]) => ({ p50: pct(l, 50), p99: pct(l, 99) });
    const ps = p(small.lat);
    const pl = p(large.lat);
    console.log(`   S = ${int(SMALL).padStart(9)}: p50 ${fmt(ps.p50, 1)} ms, p99 ${fmt(ps.p99, 1)} ms`);
    console.log(`   S = ${int(LARGE).padStart(9)}: p50 ${fmt(pl.p50, 1)} ms, p99 ${fmt(pl.p99, 1)} ms`);
    const r50 = pl.p50 / ps.p50;
    const r99 = pl.p99 / ps.p99;
    console.log(
      `   ratio ${int(LARGE)} / ${int(SMALL)}: p50 ${fmt(r50, 2)} ${r50 <= 1.5 ? 'PASS' : 'FAIL'}, p99 ${fmt(r99, 2)} ${r99 <= 1.5 ? 'PASS' : 'FAIL'} (goal ≤ 1.5)`,
    );

    console.log(
      `\n3. Stored link records on the real store vs. MISP-style pairwise storage (hub scenario: one PHONE in H = ${int(HUB_H)} reports, each with its own account)`,
    );
    const hub = await hubRecords(stores);
    const linkDocs = hub.reports + hub.identifiers + hub.pages;
    const pairs = (HUB_H * (HUB_H - 1)) / 2;
    console.log(
      `   stored: ${int(hub.reports)} link reports (edges on the report) + ${int(hub.identifiers)} identifiers + ${int(hub.pages)} member pages = ${int(linkDocs)} documents`,
    );
    console.log(
      `   edges: ${int(2 * HUB_H)} (Σ degree); pairwise storage: H·(H−1)/2 = ${int(pairs)} pairs for the hub alone → ${fmt(pairs / linkDocs, 0)}× the documents`,
    );
  } finally {
    await stores.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
