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
 *    from `reports`. Two stores are built, one per size S (BENCH_LINK_STORE_SMALL, default 10,000;
 *    BENCH_LINK_STORE_LARGE, default 1,000,000), each holding S reports of the bench corpus (engine in memory,
 *    bulk-inserted as version 1 documents: 9 to 26 minutes for 1M on the embedded store; linking 1M through
 *    the real path would take hours). Then both are measured SIDE BY SIDE, so that the machine's load (other jobs,
 *    thermal state) weighs on both sizes alike: the next BENCH_LINK_STORE_WINDOW (default 2,000) reports of the
 *    corpus are linked through the real path batch by batch, alternating between the two stores in ABBA order,
 *    and timed: ms and store reads/writes per report, and the ratio large / small (goal ≤ 1.3). Then
 *    caseGraph(depth 2) over HTTP, one API process per store, requests alternating between them: p50/p99 over
 *    BENCH_LINK_GRAPH_REQUESTS (default 1,000: a p99 then rests on the 10 slowest requests, not 3) sequential
 *    requests per size from random reports, ratio (goal ≤ 1.5).
 *    Finally the stored link documents of the hub scenario (one PHONE in H reports) counted in the real store
 *    against the H·(H−1)/2 pairs of pairwise storage.
 *
 * Skip part A with BENCH_LINK_SKIP_MEMORY=1 (it takes several minutes and 12 GB). The whole default run takes
 * 18 to 45 minutes on 2 cores; BENCH_LINK_STORE_LARGE=100000 gives a 5-minute part B. `npm run bench:link` runs
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
import { prefetchForReports } from '../src/linking/link-prefetch';
import { corpus, hubReports } from './link-engine';
import { machine } from './lib/report';
import { startServer } from './lib/server';
import { benchStores, type BenchStores } from './lib/stores';

const SMALL = Number(process.env.BENCH_LINK_STORE_SMALL ?? 10_000);
const LARGE = Number(process.env.BENCH_LINK_STORE_LARGE ?? 1_000_000);
const WINDOW = Number(process.env.BENCH_LINK_STORE_WINDOW ?? 2_000);
const BATCH = Number(process.env.LINK_BATCH_SIZE ?? 200);
const GRAPH_REQUESTS = Number(process.env.BENCH_LINK_GRAPH_REQUESTS ?? 1_000);
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
async function linkThroughStore(env: Env, inputs: NewLinkReport[]): Promise<Cost> {
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
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, reports: inputs.length, reads, writes };
}

interface Cost {
  ms: number;
  reports: number;
  reads: number;
  writes: number;
}
const perReport = (c: Cost) => ({
  msPerReport: c.ms / c.reports,
  readsPerReport: c.reads / c.reports,
  writesPerReport: c.writes / c.reports,
});

/** A logged-in caseGraph(depth 2) client of an API process on one bench store. */
async function graphClient(env: Env, stores: BenchStores) {
  const server = await startServer(env.mongoUri, stores.redisUrl, {
    QUEUE_PREFIX: env.prefix,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    WORKER_IN_API: 'false',
    GRAPHQL_MAX_COST: '100000',
  });
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
  if (!token) {
    await server.stop();
    throw new Error(`bench login failed: ${JSON.stringify(login.errors)}`);
  }
  const headers = { authorization: `Bearer ${token}` };
  const query =
    'query($r: ID!) { caseGraph(root: { reportId: $r }, depth: 2) { nodes { id type label clusterId isHub hiddenNeighbourCount } edges { source target } truncated } }';
  return {
    /** One request from report `id`: latency in ms and the number of nodes returned. */
    async graph(id: string): Promise<{ ms: number; nodes: number }> {
      const t0 = process.hrtime.bigint();
      const res = await post({ query, variables: { r: id } }, headers);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (res.errors) throw new Error(`caseGraph failed: ${JSON.stringify(res.errors)}`);
      return { ms, nodes: ((res.data?.caseGraph as { nodes: unknown[] }).nodes ?? []).length };
    },
    stop: () => server.stop(),
  };
}

interface Stage {
  size: number;
  env: Env;
  window: NewLinkReport[];
  ids: string[];
  docs: Record<string, number>;
  cost: Cost;
  lat: number[];
  nodes: number;
}

/** Builds a store of `size` reports of the bench corpus; the next WINDOW reports are kept to be linked. */
async function build(stores: BenchStores, size: number): Promise<Stage> {
  const env = await boot(stores, String(size));
  const head: NewLinkReport[] = [];
  const window: NewLinkReport[] = [];
  let i = 0;
  for (const r of corpus(size + WINDOW, 7)) (i++ < size ? head : window).push(r);
  const t0 = Date.now();
  await preload(env, head);
  process.stdout.write(
    `   store with ${int(size)} reports built and bulk-loaded in ${fmt((Date.now() - t0) / 1000)} s\n`,
  );
  return {
    size,
    env,
    window,
    ids: head.map((r) => r._id),
    docs: {},
    cost: { ms: 0, reports: 0, reads: 0, writes: 0 },
    lat: [],
    nodes: 0,
  };
}

/**
 * Measures both stores side by side: the window is linked batch by batch alternating between the stores
 * (ABBA order), then the caseGraph requests alternate between the two API processes, so that a change of the
 * machine's load during the run weighs on both sizes alike.
 */
async function measure(stores: BenchStores, a: Stage, b: Stage): Promise<void> {
  for (let i = 0, round = 0; i < WINDOW; i += BATCH, round++) {
    for (const s of round % 2 === 0 ? [a, b] : [b, a]) {
      const c = await linkThroughStore(s.env, s.window.slice(i, i + BATCH));
      s.cost.ms += c.ms;
      s.cost.reports += c.reports;
      s.cost.reads += c.reads;
      s.cost.writes += c.writes;
    }
  }
  for (const s of [a, b])
    for (const col of COLLECTIONS) s.docs[col] = await s.env.conn.collection(`link_${col}`).estimatedDocumentCount();
  const clients = [await graphClient(a.env, stores), await graphClient(b.env, stores)];
  try {
    const pickId = (s: Stage) => s.ids[Math.floor(Math.random() * s.ids.length)];
    for (let i = 0; i < GRAPH_REQUESTS + 20; i++) {
      for (const k of i % 2 === 0 ? [0, 1] : [1, 0]) {
        const s = [a, b][k];
        const r = await clients[k].graph(pickId(s));
        if (i >= 20) {
          s.lat.push(r.ms); // the first 20 per process warm it up
          s.nodes += r.nodes;
        }
      }
    }
    for (const s of [a, b]) s.lat.sort((x, y) => x - y);
  } finally {
    for (const c of clients) await c.stop();
  }
}

async function dropStage(s: Stage): Promise<void> {
  await s.env.conn.dropDatabase().catch(() => undefined);
  await s.env.app.close();
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
    console.log(`\n   -- building the stores --`);
    const small = await build(stores, SMALL);
    const large = await build(stores, LARGE).catch(async (e: unknown) => {
      await dropStage(small);
      throw e;
    });
    try {
      await measure(stores, small, large);
    } finally {
      await dropStage(small);
      await dropStage(large);
    }

    console.log(
      '\n1. Linking cost per report on the real store (the next ' +
        int(WINDOW) +
        ' reports linked into a store of S reports)',
    );
    for (const s of [small, large]) {
      const c = perReport(s.cost);
      console.log(
        `   S = ${int(s.size).padStart(9)}: ${fmt(c.msPerReport, 2)} ms/report, ${fmt(c.readsPerReport, 2)} store reads + ${fmt(c.writesPerReport, 2)} document writes per report  (stored: ${Object.entries(
          s.docs,
        )
          .map(([c, k]) => `${c} ${int(k)}`)
          .join(', ')})`,
      );
    }
    const costRatio = perReport(large.cost).msPerReport / perReport(small.cost).msPerReport;
    const readRatio = perReport(large.cost).readsPerReport / perReport(small.cost).readsPerReport;
    console.log(
      `   ratio ${int(LARGE)} / ${int(SMALL)}: wall clock ${fmt(costRatio, 2)} ${costRatio <= 1.3 ? 'PASS' : 'FAIL'}, store reads ${fmt(readRatio, 2)} ${readRatio <= 1.3 ? 'PASS' : 'FAIL'} (goal ≤ 1.3)`,
    );

    console.log(
      `\n2. caseGraph(depth: 2) over HTTP on the real store, ${GRAPH_REQUESTS} sequential requests per size from random reports, alternating between the two sizes' API processes`,
    );
    for (const s of [small, large])
      console.log(`   S = ${int(s.size).padStart(9)}: ${fmt(s.nodes / GRAPH_REQUESTS)} nodes per graph on average`);
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
