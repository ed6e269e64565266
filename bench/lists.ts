import Redis from 'ioredis';
import { ALL_UNITS, Scope } from '../src/auth/scope';
import { parseMoneyToFen } from '../src/common/graphql/money.scalar';
import { generateReports, mulberry32 } from '../src/imports/synthetic';
import { Figure, machine, printFigures, verdict } from './lib/report';
import { eachSizeInChild, quantile, timed, withSizeApp } from './lib/sized';

/**
 * `npm run bench:lists`: every staff list page read through the list index (src/store/list-index.ts) at each size
 * of BENCH_LISTS_SIZES (reports; default 10000,100000): p50/p99 over BENCH_LISTS_QUERIES runs of its first page
 * and of a deep page (the page after BENCH_LISTS_DEPTH pages of 20), beside the answer the same list gave by
 * scanning the store (p50 of BENCH_LISTS_SCANS runs). Goal: first and deep page p50 ≤ 200 ms at the largest size,
 * and p50(largest) ≤ 1.5 × p50(smallest) for every list.
 *
 * The store per size: the reports (generated, written by insertMany: bench:import measures the pipeline), a
 * cluster document per 4 reports (60 % single reports, the others of 2 to 60, written through the linking store's
 * applyWrites so the index is maintained as in production), an audit entry per 10 reports (a quarter of them
 * link judgements), a hub per 20 reports and a user per 20 reports (lists long enough for a deep page at 10k);
 * then `reindex` builds every list (its time and the Redis memory it takes are figures too). Each size runs in a
 * process of its own on stores of its own (see bench:stats for why).
 */
const SIZES = (process.env.BENCH_LISTS_SIZES ?? '10000,100000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_LISTS_QUERIES ?? 60);
const SCANS = Number(process.env.BENCH_LISTS_SCANS ?? 2);
const DEPTH = Number(process.env.BENCH_LISTS_DEPTH ?? 10);
const GOAL_MS = 200;
const GOAL_RATIO = 1.5;

/** A list page: `after` (undefined: the first page) → the page's end cursor, undefined on the last page. */
type PageFn = (after: string | undefined) => Promise<string | undefined>;

interface SizeResult {
  figures: Figure[];
  /** list → [first page p50, deep page p50] */
  p50: Record<string, [number, number]>;
}

async function measureSize(size: number): Promise<SizeResult> {
  const figures: Figure[] = [];
  const p50: Record<string, [number, number]> = {};
  return withSizeApp(`bench_lists_${size}`, async ({ app, conn, stores }) => {
    const { LinkQueryService } = await import('../src/linking/link-query.service');
    const { IdentifierQueryService } = await import('../src/linking/identifier-query.service');
    const { LinkLoaderFactory } = await import('../src/linking/link-loaders');
    const { LinkStoreRepository } = await import('../src/linking/link-store.repository');
    const { LinkedReportsRepository } = await import('../src/reports/linked-reports.repository');
    const { ReportLists } = await import('../src/reports/report-lists.service');
    const { ClusterLists } = await import('../src/linking/cluster-lists');
    const { AuditService } = await import('../src/audit/audit.service');
    const { AuditRepository } = await import('../src/audit/audit.repository');
    const { AuditLists } = await import('../src/audit/audit-lists');
    const { UsersService } = await import('../src/users/users.service');
    const { UsersRepository } = await import('../src/users/users.repository');
    const { UserLists } = await import('../src/users/user-lists');
    const { ClusterSort } = await import('../src/linking/models/linking.models');
    const started = Date.now();
    const rnd = mulberry32(size);
    const regions: string[] = [];
    // reports
    const reports = conn.collection('reports');
    let batch: Record<string, unknown>[] = [];
    let i = 0;
    for (const row of generateReports({ reports: size, seed: 2026, until: new Date() })) {
      const id = `bench:${String(i).padStart(7, '0')}`;
      const doc = {
        _id: id,
        source: i % 4 === 0 ? 'ftc' : 'public',
        regionCode: row.regionCode as string,
        fraudType: row.fraudType as string,
        channel: row.channel,
        occurredAt: new Date(row.occurredAt as string),
        lossFen: parseMoneyToFen(row.loss),
        identifiers: [],
        createdAt: new Date(),
      };
      regions.push(doc.regionCode);
      batch.push(doc);
      i++;
      if (batch.length === 1_000) {
        await reports.insertMany(batch);
        batch = [];
      }
    }
    if (batch.length) await reports.insertMany(batch);
    // clusters, through the linking store (its applyWrites places them in the index)
    const link = app.get(LinkStoreRepository);
    const types = ['FAKE_LOAN', 'FAKE_INVESTMENT', 'FAKE_CUSTOMER_SERVICE', 'IMPERSONATION', 'ROMANCE'];
    const writes = [];
    for (let c = 0; c < size / 4; c++) {
      const n = rnd() < 0.6 ? 1 : 2 + Math.floor(Math.pow(59, rnd()));
      const byRegion: Record<string, number> = { [regions[c % regions.length]]: n };
      if (n > 5) byRegion[regions[(c * 7) % regions.length]] = 1;
      const last = Date.now() - Math.floor(rnd() * 365 * 86_400_000);
      writes.push({
        col: 'clusters' as const,
        id: `cl_bench${String(c).padStart(7, '0')}`,
        version: 1,
        doc: {
          _id: `cl_bench${String(c).padStart(7, '0')}`,
          size: n,
          memberPages: [],
          crossVictims: [],
          summary: {
            reportCount: n,
            victimCount: n,
            lossFen: Math.floor(rnd() * 1e9),
            byFraudType: { [types[c % types.length]]: n },
            byRegion,
            byChannel: {},
            byPaymentMethod: {},
            firstReportAt: new Date(last - 86_400_000).toISOString(),
            lastReportAt: new Date(last).toISOString(),
            topIdentifiers: [],
          },
        },
      });
    }
    for (let k = 0; k < size / 20; k++) {
      // a hub: its registry entry and its identifier document (what a hub page reads)
      const key = `PHONE:+86138${String(k).padStart(8, '0')}`;
      const degree = 50 + Math.floor(rnd() * 5_000);
      writes.push({ col: 'hubs' as const, id: key, version: 1, doc: { _id: key, degree } });
      writes.push({
        col: 'identifiers' as const,
        id: key,
        version: 1,
        doc: {
          _id: key,
          kind: 'PHONE',
          degree,
          policy: 'DEFAULT',
          warninglisted: false,
          status: 'HUB',
          memberPages: [],
        },
      });
    }
    const redis = new Redis(stores.redisUrl);
    const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
    // what the clusters' and hubs' placements take in Redis (they are placed as they are written)
    const beforeClusters = await usedMemory();
    for (let k = 0; k < writes.length; k += 2_000) await link.applyWrites(writes.slice(k, k + 2_000));
    const placed = (await usedMemory()) - beforeClusters;
    figures.push({
      name: `clusters and hubs placed @ ${size}`,
      value: placed / 2 ** 20,
      unit: 'MiB',
      note: `Redis, ${Math.round(placed / (size / 4))} B a cluster document (60 % single: not placed)`,
    });
    // the audit log and the users, inserted directly
    const audit = conn.collection('audit_log');
    const t0 = Date.now() - size * 1_000;
    for (let k = 0; k < size / 10; k += 1_000) {
      await audit.insertMany(
        Array.from({ length: Math.min(1_000, size / 10 - k) }, (_, j) => {
          const at = new Date(t0 + (k + j) * 10_000);
          const judgement = (k + j) % 4 === 0;
          return {
            _id: `${at.toISOString()}-${String(k + j).padStart(12, '0')}`,
            at,
            action: judgement ? 'SET_LINK_POLICY' : (k + j) % 3 ? 'LOGIN_SUCCEEDED' : 'READ_PII',
            objectType: judgement ? 'LinkJudgement' : 'User',
            unitCodes: [regions[(k + j) % regions.length]],
            actorId: `u_bench${(k + j) % 50}`,
          };
        }) as never[],
      );
    }
    const users = conn.collection('users');
    await users.insertMany(
      Array.from({ length: size / 20 }, (_, k) => ({
        _id: `u_bench${String(k).padStart(6, '0')}`,
        email: `bench${k}@siqian.test`,
        displayName: `bench ${k}`,
        roles: [k % 3 ? 'INVESTIGATOR' : 'SUPERVISOR'],
        unitCodes: [regions[k % regions.length]],
        passwordHash: 'x',
        disabled: k % 17 === 0,
        createdAt: new Date(),
        updatedAt: new Date(),
      })) as never[],
    );
    console.log(`${size}: store written in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    // the indexes, built as `siqian reindex` builds them
    const builds = [
      ['reports', app.get(ReportLists).builds],
      ['clusters', app.get(ClusterLists).builds],
      ['hubs', app.get(ClusterLists).hubBuilds],
      ['audit', app.get(AuditLists).builds],
      ['users', app.get(UserLists).builds],
    ] as const;
    for (const [name, b] of builds) {
      const s = Date.now();
      const before = await usedMemory();
      const n = await b.rebuild();
      const bytes = (await usedMemory()) - before;
      figures.push({
        name: `reindex ${name} @ ${size}`,
        value: Date.now() - s,
        unit: 'ms',
        // clusters and hubs were placed before: their rebuild replaces what it drops (see "placed" above)
        note: `${n} records; Redis +${(bytes / 2 ** 20).toFixed(1)} MiB, ${n ? Math.round(bytes / n) : 0} B a record`,
      });
    }
    redis.disconnect();

    const q = app.get(LinkQueryService);
    const loaders = app.get(LinkLoaderFactory);
    const ids = app.get(IdentifierQueryService);
    const auditSvc = app.get(AuditService);
    const usersSvc = app.get(UsersService);
    const region = mostCommon(regions);
    const unit: Scope = { kind: 'UNITS', unitCodes: [region, 'EXTERNAL'] };
    const end = (c: { pageInfo: { endCursor?: string; hasNextPage: boolean } }) =>
      c.pageInfo.hasNextPage ? c.pageInfo.endCursor : undefined;
    const L = () => loaders.for(undefined);
    const lists: [string, PageFn, () => Promise<unknown>][] = [];
    const linked = app.get(LinkedReportsRepository);
    const reportScan = (f: Record<string, string>) => async () => {
      await Promise.all([linked.list(ALL_UNITS, f, 21), linked.count(ALL_UNITS, f)]);
    };
    for (const [name, f] of [
      ['reports', {}],
      [`reports by region ${region}`, { regionCode: region }],
      ['reports by source ftc', { source: 'ftc' }],
      ['reports by fraud type FAKE_LOAN', { fraudType: 'FAKE_LOAN' }],
    ] as const)
      lists.push([name, async (a) => end(await q.reports(ALL_UNITS, f as never, 20, a, L())), reportScan(f)]);
    const clusterScan = () => link.scanClusters(2);
    for (const sort of [ClusterSort.SIZE, ClusterSort.LOSS, ClusterSort.RECENT, ClusterSort.GROWTH])
      lists.push([
        `clusters by ${sort}`,
        async (a) => end(await q.clusters(ALL_UNITS, undefined, sort, 20, a)),
        clusterScan,
      ]);
    lists.push([
      `clusters of unit ${region} by SIZE`,
      async (a) => end(await q.clusters(unit, undefined, ClusterSort.SIZE, 20, a)),
      clusterScan,
    ]);
    lists.push(['hub queue', async (a) => end(await ids.hubs(20, a, L())), () => link.scanHubs()]);
    const auditRepo = app.get(AuditRepository);
    const auditScan = (f: Record<string, string>) => async () => {
      await Promise.all([auditRepo.list(ALL_UNITS, f, 21), auditRepo.count(ALL_UNITS, f)]);
    };
    lists.push([
      'link judgements',
      async (a) => end(await auditSvc.list(ALL_UNITS, { objectType: 'LinkJudgement' }, 20, a)),
      auditScan({ objectType: 'LinkJudgement' }),
    ]);
    lists.push(['audit log', async (a) => end(await auditSvc.list(ALL_UNITS, {}, 20, a)), auditScan({})]);
    lists.push([
      'audit log by action and object type',
      async (a) => end(await auditSvc.list(ALL_UNITS, { action: 'READ_PII', objectType: 'User' }, 20, a)),
      auditScan({ action: 'READ_PII', objectType: 'User' }),
    ]);
    const usersRepo = app.get(UsersRepository);
    lists.push([
      'users',
      async (a) => end(await usersSvc.list(ALL_UNITS, {}, 20, a)),
      async () => {
        await Promise.all([usersRepo.list(ALL_UNITS, {}, 21), usersRepo.count(ALL_UNITS, {})]);
      },
    ]);

    for (const [name, page, scan] of lists) {
      await page(undefined); // warm-up
      // the deep page: after DEPTH pages, or the last page when the list is shorter
      let deep: string | undefined;
      let pages = 1;
      for (; pages <= DEPTH; pages++) {
        const next = await page(deep);
        if (next === undefined) break;
        deep = next;
      }
      const first = await timed(() => page(undefined), QUERIES);
      const deepT = await timed(() => page(deep), QUERIES);
      const scans = await timed(scan, SCANS);
      p50[name] = [quantile(first, 0.5), quantile(deepT, 0.5)];
      figures.push({
        name: `${name} @ ${size}`,
        value: quantile(first, 0.5),
        unit: 'ms',
        note: `p99 ${quantile(first, 0.99).toFixed(1)}; page ${pages} p50 ${quantile(deepT, 0.5).toFixed(1)} p99 ${quantile(deepT, 0.99).toFixed(1)}; by scanning ${quantile(scans, 0.5).toFixed(0)} ms`,
      });
    }
    return { figures, p50 };
  });
}

function mostCommon(xs: string[]): string {
  const n = new Map<string, number>();
  for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1])[0][0];
}

async function main(): Promise<void> {
  if (!process.env.BENCH_LISTS_ONE)
    console.log(`bench:lists on ${machine()}; sizes ${SIZES.join(', ')}, each in a process and on stores of its own`);
  const results = await eachSizeInChild(__filename, 'BENCH_LISTS_ONE', SIZES, 'bench:lists', measureSize);
  if (!results) return;
  const figures: Figure[] = results.flatMap((r) => r.figures);
  const [small, large] = [results[0], results[results.length - 1]];
  let pass = true;
  for (const name of Object.keys(large.p50)) {
    // names carrying the region are the same list at both sizes when the generator's most common region is
    const smallKey = Object.keys(small.p50).find((k) => k.replace(/DG\d+/g, '') === name.replace(/DG\d+/g, ''));
    if (!smallKey) continue;
    const [f, d] = large.p50[name];
    const ratio = Math.max(f / small.p50[smallKey][0], d / small.p50[smallKey][1]);
    const ok = f <= GOAL_MS && d <= GOAL_MS && ratio <= GOAL_RATIO;
    pass &&= ok;
    figures.push({
      name: `${name.replace(/DG\d+/g, 'R')} ratio ${SIZES[SIZES.length - 1]} / ${SIZES[0]}`,
      value: ratio,
      unit: 'x',
      note: `${ok ? 'PASS' : 'FAIL'} (goal: p50 <= ${GOAL_MS} ms at ${SIZES[SIZES.length - 1]}; ${verdict(ratio, GOAL_RATIO, '<=')})`,
    });
  }
  printFigures('bench:lists: staff list pages through the list index, beside the scan of the store', figures);
  console.log(pass ? 'bench:lists: every list meets its goal' : 'bench:lists: a list misses its goal');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
