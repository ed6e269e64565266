/**
 * Part A of bench:link (bench/link.ts runs it as a child process) — the linking engine core on the counting
 * InMemoryLinkStore.
 *
 * Prints, in one run:
 * 1. linking cost per report at 10k and at 1M synthetic reports — store operations per report (deterministic)
 *    and wall-clock µs per report — and the ratio 1M / 10k (goal ≤ 1.3, PASS/FAIL). The 1M figure is the
 *    marginal cost: the last 10k reports linked into a store that already holds 990k; the 10k figure is a
 *    fresh 10k store after a JIT warm-up run. Averages over the whole runs are printed too. The wall clock is
 *    split: the GC pauses' cost in each window (v8.GCProfiler), and a control run — a fresh 10k store linked
 *    while the 1M store is still on the heap — which tells a slowdown of the process's heap (GC, CPU caches
 *    over gigabytes of live objects) from a slowdown of the engine with the size of its store.
 * 2. memory used by the 1M store;
 * 3. stored link records (edges = Σ identifier degrees, plus page documents) for a scenario with one hub value
 *    carried by H = 10,000 reports, against the pairs MISP-style pairwise storage would need (H·(H−1)/2 for
 *    the hub alone, Σ d(d−1)/2 over all identifiers), and the same totals for the 1M corpus.
 *
 * The store runs with copy: false (no JSON round trip per operation) so that 1M reports fit in minutes; store
 * operations per report is the store-independent figure, µs per report is the engine's own CPU cost.
 *
 * Synthetic corpus (seeded PRNG, streamed — only the store is kept): fraud rings of 2–50 reports arriving
 * interleaved (300 open at a time), each ring with its own small identifier pool reused Zipf-like; 30 % of
 * reports carry a personal value (the victim's own number); 2 % reuse an identifier of an earlier ring (rings
 * merge); 5 hub values (a spoofed bank number, a shortener …) each carried by 0.2 % of reports, so they cross
 * their cap at 1M; 1 % carry a warninglisted emergency number; 5 % of victims report twice.
 *
 * The real-store figures (FerretDB / MongoDB through the production LinkStoreRepository) and the caseGraph
 * latencies are part B, in bench/link.ts.
 *
 * Env: BENCH_LINK_LARGE (default 1000000), BENCH_LINK_SMALL (default 10000), BENCH_LINK_HUB (default 10000).
 */
import { spawnSync } from 'node:child_process';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { DEFAULT_DEGREE_CAPS, identifierKey, warninglistLookup, type IdentifierKind } from '../src/identifiers';
import { InMemoryLinkStore, LinkingEngine, type NewLinkReport } from '../src/linking/engine';
import { mulberry32 } from '../src/imports/synthetic';

// the 1M store needs more than the default heap: re-run self with a larger one (once); not when imported
// (bench/link.ts reuses the corpus and runs this file as its own child process)
if (require.main === module && getHeapStatistics().heap_size_limit < 7e9 && !process.env.BENCH_LINK_CHILD) {
  const r = spawnSync(
    process.execPath,
    ['--max-old-space-size=12288', '--expose-gc', ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, BENCH_LINK_CHILD: '1' },
    },
  );
  process.exit(r.status ?? 1);
}

const LARGE = Number(process.env.BENCH_LINK_LARGE ?? 1_000_000);
const SMALL = Number(process.env.BENCH_LINK_SMALL ?? 10_000);
const HUB_H = Number(process.env.BENCH_LINK_HUB ?? 10_000);
const WINDOW = Math.min(SMALL, LARGE);

function isWarninglisted(key: string): boolean {
  const i = key.indexOf(':');
  return warninglistLookup({ kind: key.slice(0, i) as IdentifierKind, value: key.slice(i + 1) }) !== undefined;
}

const RING_KINDS: IdentifierKind[] = [
  'PHONE',
  'BANK_ACCOUNT',
  'PAYMENT_ACCOUNT',
  'WECHAT_ID',
  'URL',
  'CRYPTO_WALLET',
  'QQ_ID',
];
const FRAUD = [
  'ORDER_BRUSHING',
  'FAKE_INVESTMENT',
  'FAKE_SHOPPING',
  'FAKE_CUSTOMER_SERVICE',
  'FAKE_LOAN',
  'ONLINE_ROMANCE',
];
const CHANNEL = ['PHONE_CALL', 'SMS', 'WECHAT', 'QQ', 'WEBSITE', 'APP'];
const PAY = ['NONE', 'BANK_TRANSFER', 'ALIPAY', 'WECHAT_PAY', 'CRYPTO'];
const HUBS = [
  'PHONE:+8695566000',
  'DOMAIN:dwz-short.cn',
  'BANK_ACCOUNT:6222020000000000001',
  'URL:https://pay-verify.cn/',
  'WECHAT_ID:kefu_help',
];

interface Ring {
  id: number;
  left: number;
  pool: string[];
}

/** Streams n synthetic reports (same distribution at every n). */
export function* corpus(n: number, seed: number): Generator<NewLinkReport> {
  const rnd = mulberry32(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];
  let ringSeq = 0;
  const newRing = (): Ring => {
    const size = 2 + Math.floor(48 * rnd() ** 3);
    const m = 1 + Math.floor(size / 6) + Math.floor(rnd() * 3);
    const id = ringSeq++;
    return {
      id,
      left: size,
      pool: Array.from({ length: m }, (_, j) => identifierKey(pick(RING_KINDS), `g${id}-${j}`)),
    };
  };
  const open: Ring[] = Array.from({ length: 300 }, newRing);
  const recent: string[] = [];
  for (let i = 0; i < n; i++) {
    const slot = Math.floor(rnd() * open.length);
    const ring = open[slot];
    const keys = new Set<string>();
    const k = 1 + Math.floor(rnd() * 3);
    for (let j = 0; j < k; j++) keys.add(ring.pool[Math.floor(ring.pool.length * rnd() ** 2)]);
    if (rnd() < 0.3) keys.add(identifierKey('PHONE', `+86139${String(i).padStart(8, '0')}`));
    if (rnd() < 0.02 && recent.length > 0) keys.add(recent[Math.floor(recent.length * rnd() ** 2)]);
    for (const h of HUBS) if (rnd() < 0.002) keys.add(h);
    if (rnd() < 0.01) keys.add('PHONE:CN:110');
    const victim = rnd() < 0.05 && i > 100 ? `v${i - 1 - Math.floor(rnd() * 100)}` : `v${i}`;
    yield {
      _id: `rep${i}`,
      identifierKeys: [...keys],
      summaryFacts: {
        lossFen: rnd() < 0.3 ? 0 : Math.floor(rnd() * 5_000_000),
        victimKey: victim,
        fraudType: pick(FRAUD),
        regionCode: `DG${String(1 + Math.floor(rnd() * 33)).padStart(2, '0')}`,
        channel: pick(CHANNEL),
        paymentMethod: pick(PAY),
        occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      },
    };
    ring.left--;
    if (ring.left <= 0) {
      recent.push(ring.pool[0]);
      if (recent.length > 10_000) recent.shift();
      open[slot] = newRing();
    }
  }
}

interface RunResult {
  store: InMemoryLinkStore;
  engine: LinkingEngine;
  opsPerReport: number;
  usPerReport: number;
  windowOps: number;
  windowUs: number;
  /** µs per report of the window spent in garbage collection (v8.GCProfiler: the pauses' summed cost) */
  windowGcUs: number;
  splits: number;
  merges: number;
}

async function run(n: number, seed: number): Promise<RunResult> {
  const store = new InMemoryLinkStore({ copy: false });
  const engine = new LinkingEngine(store, { caps: DEFAULT_DEGREE_CAPS, isWarninglisted });
  let splits = 0;
  let merges = 0;
  let i = 0;
  let windowStartOps = 0;
  let windowStartT = 0n;
  const gcProfiler = new GCProfiler();
  const t0 = process.hrtime.bigint();
  for (const report of corpus(n, seed)) {
    if (i === n - WINDOW) {
      windowStartOps = store.totalOps();
      gcProfiler.start();
      windowStartT = process.hrtime.bigint();
    }
    for (const e of await engine.addReport(report)) {
      if (e.type === 'SPLIT') splits++;
      if (e.type === 'MERGED') merges++;
    }
    i++;
    if (n >= 200_000 && i % 200_000 === 0) process.stderr.write(`  … ${i} reports\n`);
  }
  const t1 = process.hrtime.bigint();
  const gcUs = (gcProfiler.stop()?.statistics ?? []).reduce((sum, g) => sum + g.cost, 0);
  return {
    store,
    engine,
    opsPerReport: store.totalOps() / n,
    usPerReport: Number(t1 - t0) / 1e3 / n,
    windowOps: (store.totalOps() - windowStartOps) / WINDOW,
    windowUs: Number(t1 - windowStartT) / 1e3 / WINDOW,
    windowGcUs: gcUs / WINDOW,
    splits,
    merges,
  };
}

function linkRecords(store: InMemoryLinkStore) {
  let edges = 0;
  let pairs = 0;
  let maxDegree = 0;
  for (const i of store.identifiers.values()) {
    edges += i.degree;
    pairs += (i.degree * (i.degree - 1)) / 2;
    maxDegree = Math.max(maxDegree, i.degree);
  }
  return {
    edges,
    pairs,
    maxDegree,
    pages: store.pages.size,
    reports: store.reports.size,
    identifiers: store.identifiers.size,
  };
}

const fmt = (x: number, d = 1) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const int = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });

async function main() {
  const gc = (globalThis as { gc?: () => void }).gc;
  console.log(
    `bench:link — linking engine on InMemoryLinkStore (documents not copied: counted store operations are the figure that carries over to a real store), node ${process.version}`,
  );
  await run(SMALL, 1); // JIT warm-up
  gc?.();
  const small = await run(SMALL, 7);
  const smallRecords = linkRecords(small.store);
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const large = await run(LARGE, 7);
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const largeRecords = linkRecords(large.store);
  // the control: a fresh 10k store linked while the 1M store is still on the heap — same store size as the
  // 10k figure, same heap as the 1M figure. If it is as slow as the 1M window, the 1M slowdown comes from
  // the process's heap (GC, caches), not from the store size the engine works on.
  const control = await run(SMALL, 7);

  const gcNote = (r: RunResult, us: number) =>
    `${fmt(us)} µs/report, of which GC ${fmt(r.windowGcUs)} (${fmt((100 * r.windowGcUs) / us, 0)} %)`;
  console.log('\n1. Linking cost per report (addReport)');
  console.log(
    `   ${int(SMALL)} reports : ${fmt(small.opsPerReport, 2)} store ops/report, ${gcNote(small, small.usPerReport)}  (${int(small.merges)} merges, ${int(small.splits)} splits)`,
  );
  console.log(
    `   ${int(LARGE)} reports: ${fmt(large.opsPerReport, 2)} store ops/report, ${fmt(large.usPerReport)} µs/report on average  (${int(large.merges)} merges, ${int(large.splits)} splits)`,
  );
  console.log(
    `   last ${int(WINDOW)} of ${int(LARGE)} (store holding ${int(LARGE - WINDOW)}): ${fmt(large.windowOps, 2)} store ops/report, ${gcNote(large, large.windowUs)}`,
  );
  console.log(
    `   control: a fresh ${int(SMALL)}-report store linked while the ${int(LARGE)}-report store is still on the heap: ${fmt(control.opsPerReport, 2)} store ops/report, ${gcNote(control, control.usPerReport)}`,
  );
  const opsRatio = large.windowOps / small.opsPerReport;
  const usRatio = large.windowUs / small.usPerReport;
  const mutatorRatio = (large.windowUs - large.windowGcUs) / (small.usPerReport - small.windowGcUs);
  const controlRatio = large.windowUs / control.usPerReport;
  console.log(
    `   ratio at ${int(LARGE)} / at ${int(SMALL)}: store ops ${fmt(opsRatio, 2)} ${opsRatio <= 1.3 ? 'PASS' : 'FAIL'}, wall clock ${fmt(usRatio, 2)} ${usRatio <= 1.3 ? 'PASS' : 'FAIL'} (goal ≤ 1.3)`,
  );
  console.log(
    `   the wall clock split: outside GC ${fmt(mutatorRatio, 2)}; against the control (same heap, ${int(SMALL)}-report store) ${fmt(controlRatio, 2)}`,
  );

  console.log('\n2. Memory');
  console.log(
    `   heap used by the ${int(LARGE)}-report store: ${fmt((heapAfter - heapBefore) / 1e9, 2)} GB (rss ${fmt(process.memoryUsage().rss / 1e9, 2)} GB)`,
  );
  console.log(
    `   documents: ${int(largeRecords.reports)} reports, ${int(largeRecords.identifiers)} identifiers, ${int(large.store.clusters.size)} clusters (incl. aliases), ${int(largeRecords.pages)} pages, ${int(large.store.victims.size)} victims`,
  );

  const hubStore = new InMemoryLinkStore({ copy: false });
  const hubEngine = new LinkingEngine(hubStore, { caps: DEFAULT_DEGREE_CAPS, isWarninglisted });
  for (const r of hubReports(HUB_H)) await hubEngine.addReport(r);
  const hub = linkRecords(hubStore);
  const hubPairs = (HUB_H * (HUB_H - 1)) / 2;
  console.log(`\n3. Stored link records vs. MISP-style pairwise storage`);
  console.log(
    `   hub scenario: one PHONE carried by H = ${int(HUB_H)} reports (status ${hubStore.identifiers.get(HUB_KEY)?.status}), each report also with its own account`,
  );
  console.log(
    `     edges (Σ degree): ${int(hub.edges)} + ${int(hub.pages)} page documents = ${int(hub.edges + hub.pages)} records`,
  );
  console.log(
    `     pairwise: H·(H−1)/2 = ${int(hubPairs)} for the hub alone, Σ d(d−1)/2 = ${int(hub.pairs)} overall → ${fmt(hub.pairs / hub.edges, 0)}× more`,
  );
  console.log(
    `   ${int(LARGE)}-report corpus: edges ${int(largeRecords.edges)} (+ ${int(largeRecords.pages)} pages) vs. pairwise Σ d(d−1)/2 = ${int(largeRecords.pairs)} (max degree ${int(largeRecords.maxDegree)})`,
  );
  console.log(
    `   ${int(SMALL)}-report corpus: edges ${int(smallRecords.edges)} (+ ${int(smallRecords.pages)} pages) vs. pairwise ${int(smallRecords.pairs)}`,
  );
}

/** The hub scenario: one PHONE (`HUB_KEY`) carried by `h` reports, each with an account of its own. */
export const HUB_KEY = 'PHONE:+8640088888888';
export function* hubReports(h: number): Generator<NewLinkReport> {
  for (let i = 0; i < h; i++) {
    yield {
      _id: `h${i}`,
      identifierKeys: [HUB_KEY, identifierKey('BANK_ACCOUNT', `6222${String(i).padStart(12, '0')}`)],
      summaryFacts: {
        lossFen: 100,
        victimKey: `hv${i}`,
        fraudType: 'FAKE_CUSTOMER_SERVICE',
        regionCode: 'DG01',
        channel: 'PHONE_CALL',
        paymentMethod: 'BANK_TRANSFER',
        occurredAt: '2026-01-01T00:00:00.000Z',
      },
    };
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
