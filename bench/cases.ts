import type { Collection } from 'mongodb';
import { ALL_UNITS, Scope } from '../src/auth/scope';
import type { StaffPrincipal } from '../src/auth/principal';
import { Role } from '../src/auth/roles';
import { mulberry32 } from '../src/imports/synthetic';
import { Figure, machine, printFigures, verdict } from './lib/report';
import { eachSizeInChild, quantile, timed, withSizeApp } from './lib/sized';

/**
 * `npm run bench:cases`: the staff `cases` page (src/cases/case-queries.service.ts, read through the list index)
 * at each size of BENCH_CASES_SIZES (cases; default 10000,100000): p50/p99 over BENCH_CASES_QUERIES runs of the
 * first page and of a deep page (after BENCH_CASES_DEPTH pages of 20) for the filters investigators use, beside
 * the same page answered by scanning the store (its p50 over BENCH_CASES_SCANS runs: the baseline a list without
 * the index would cost). Then the cost of one transition (lock, read, event, replace, list placement, audit
 * entry) at each size. Goal: p50(largest) ≤ 1.5 × p50(smallest) for every page and for the transition.
 *
 * The store per size: synthetic case documents (33 units, a third of the cases in DG01, 10 investigators each,
 * statuses, priorities, fraud types, open tasks with due dates; written by insertMany: opening a case is not
 * what is measured), then
 * `reindex cases` builds the list (its time is a figure too). Each size runs in a process of its own on stores
 * of its own (see bench:stats for why).
 */
const SIZES = (process.env.BENCH_CASES_SIZES ?? '10000,100000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_CASES_QUERIES ?? 60);
const SCANS = Number(process.env.BENCH_CASES_SCANS ?? 1);
const DEPTH = Number(process.env.BENCH_CASES_DEPTH ?? 10);
const TRANSITIONS = Number(process.env.BENCH_CASES_TRANSITIONS ?? 100);
const GOAL_RATIO = 1.5;

const UNITS = Array.from({ length: 33 }, (_, i) => `DG${String(i + 1).padStart(2, '0')}`);
const STATUSES = [
  'NEW',
  'TRIAGED',
  'INVESTIGATING',
  'SUSPECT_IDENTIFIED',
  'CLOSED_SOLVED',
  'CLOSED_UNSOLVED',
  'TRANSFERRED',
];
const STATUS_WEIGHTS = [0.1, 0.1, 0.2, 0.05, 0.2, 0.3, 0.05];
const PRIORITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
const PRIORITY_WEIGHTS = [0.05, 0.15, 0.4, 0.4];
const FRAUD_TYPES = [
  'ORDER_BRUSHING',
  'FAKE_INVESTMENT',
  'FAKE_SHOPPING',
  'FAKE_CUSTOMER_SERVICE',
  'FAKE_LOAN',
  'FAKE_CREDIT_REPAIR',
  'IMPERSONATING_ACQUAINTANCE',
  'IMPERSONATING_AUTHORITIES',
  'ONLINE_ROMANCE',
  'GAME_TRADING',
];
const H = 3_600_000;

interface SizeResult {
  figures: Figure[];
  p50: Record<string, [number, number]>;
  transition: number;
}

function pick<T>(rand: () => number, xs: readonly T[], weights?: readonly number[]): T {
  if (!weights) return xs[Math.floor(rand() * xs.length)];
  let r = rand();
  for (let i = 0; i < xs.length; i++) if ((r -= weights[i]) < 0) return xs[i];
  return xs[xs.length - 1];
}

/** Synthetic cases, the year's numbering, created over the two years before `now`. */
function generateCases(n: number, now: number): Record<string, unknown>[] {
  const rand = mulberry32(n);
  const out: Record<string, unknown>[] = [];
  for (let i = 1; i <= n; i++) {
    // a third of the cases in DG01, the unit the pages read: its filtered lists are longer than the deep page
    // at the smallest size too, so both sizes time the same kind of page
    const unit = rand() < 0.3 ? 'DG01' : pick(rand, UNITS);
    const status = pick(rand, STATUSES, STATUS_WEIGHTS);
    const openedAt = new Date(now - Math.floor(((n - i) / n) * 730 * 24 * H) - Math.floor(rand() * H));
    const closed = status.startsWith('CLOSED') || status === 'TRANSFERRED';
    const assigned = status !== 'NEW' || rand() < 0.3;
    const fraud = pick(rand, FRAUD_TYPES);
    const tasks = Array.from({ length: 3 }, (_, k) => ({
      id: `AJ-BENCH-${String(i).padStart(6, '0')}~T${k + 1}`,
      title: `task ${k + 1}`,
      mandatory: k === 0,
      status: closed || rand() < 0.5 ? 'DONE' : 'OPEN',
      dueAt: new Date(openedAt.getTime() + (k + 1) * 24 * H),
      origin: 'TEMPLATE',
      createdAt: openedAt,
    }));
    out.push({
      _id: `AJ-BENCH-${String(i).padStart(6, '0')}`,
      title: `bench case ${i}`,
      status,
      unitCode: unit,
      regionCodes: rand() < 0.1 ? [unit, pick(rand, UNITS)] : [unit],
      fraudTypes: [fraud],
      ...(assigned ? { assigneeId: `${unit}-inv-${Math.floor(rand() * 10)}` } : {}),
      reportIds: [`bench-report-${i}`],
      lossFen: Math.floor(rand() * 10_000_000),
      recoveredFen: 0,
      elderlyVictim: rand() < 0.2,
      computedPriority: pick(rand, PRIORITIES, PRIORITY_WEIGHTS),
      clusterSizes: {},
      tasks,
      notes: [],
      evidence: [],
      openedAt,
      ...(status !== 'NEW'
        ? { triagedAt: new Date(openedAt.getTime() + 6 * H), firstActionAt: new Date(openedAt.getTime() + 12 * H) }
        : {}),
      ...(closed ? { closedAt: new Date(openedAt.getTime() + 20 * 24 * H) } : {}),
      createdBy: 'bench',
      createdAt: openedAt,
      updatedAt: openedAt,
      version: 1,
      eventCount: 0,
      taskSeq: 3,
    });
  }
  return out;
}

async function measureSize(size: number): Promise<SizeResult> {
  const figures: Figure[] = [];
  const p50: Record<string, [number, number]> = {};
  return withSizeApp(`bench_cases_${size}`, async ({ app, conn }) => {
    const { CaseQueriesService } = await import('../src/cases/case-queries.service');
    const { CasesRepository } = await import('../src/cases/cases.repository');
    const { CaseLifecycleService } = await import('../src/cases/case-lifecycle.service');
    const { Clock } = await import('../src/common/clock/clock');
    const queries = app.get(CaseQueriesService);
    const repo = app.get(CasesRepository);
    const lifecycle = app.get(CaseLifecycleService);
    const now = app.get(Clock).nowMs();

    const coll = conn.collection('cases') as unknown as Collection<Record<string, unknown>>;
    const docs = generateCases(size, now);
    let t0 = Date.now();
    for (let i = 0; i < docs.length; i += 1_000) await coll.insertMany(docs.slice(i, i + 1_000));
    figures.push({ name: `store ${size} cases`, value: (Date.now() - t0) / 1000, unit: 's' });
    t0 = Date.now();
    const built = await repo.lists.builds.rebuild();
    figures.push({
      name: `reindex cases @ ${size}`,
      value: (Date.now() - t0) / 1000,
      unit: 's',
      note: `${built} cases`,
    });

    const unit: Scope = { kind: 'UNITS', unitCodes: ['DG01'] };
    const scan = (filter: Record<string, unknown>) => async () => {
      const rows = await repo.scan({ mergedInto: { $exists: false }, ...filter }, 100_000);
      return rows.length;
    };
    const pages: [string, Scope, Record<string, unknown>, Record<string, unknown>][] = [
      ['all cases (ADMIN)', ALL_UNITS, {}, {}],
      ['unit', unit, {}, { unitCode: 'DG01' }],
      ['unit by status', unit, { status: 'INVESTIGATING' }, { unitCode: 'DG01', status: 'INVESTIGATING' }],
      ['unit by assignee', unit, { assigneeId: 'DG01-inv-3' }, { unitCode: 'DG01', assigneeId: 'DG01-inv-3' }],
      ['unit by fraud type', unit, { fraudType: 'FAKE_LOAN' }, { unitCode: 'DG01', fraudTypes: 'FAKE_LOAN' }],
      ['unit overdue now', unit, { overdue: true }, { unitCode: 'DG01' }],
      [
        'unit by status and priority',
        unit,
        { status: 'INVESTIGATING', priority: 'MEDIUM' },
        { unitCode: 'DG01', status: 'INVESTIGATING', computedPriority: 'MEDIUM' },
      ],
      [
        'unit by status, priority and fraud type (checked case by case)',
        unit,
        { status: 'INVESTIGATING', priority: 'MEDIUM', fraudType: 'FAKE_LOAN' },
        { unitCode: 'DG01', status: 'INVESTIGATING', computedPriority: 'MEDIUM', fraudTypes: 'FAKE_LOAN' },
      ],
    ];
    for (const [name, scope, filter, scanFilter] of pages) {
      const page = async (after: string | undefined) =>
        (await queries.list(scope, filter, 20, after)).pageInfo.endCursor;
      await page(undefined);
      let deep: string | undefined;
      let n = 1;
      for (; n <= DEPTH; n++) {
        const next = await page(deep);
        if (next === undefined) break;
        deep = next;
      }
      const first = await timed(() => page(undefined), QUERIES);
      const deepT = await timed(() => page(deep), QUERIES);
      const scans = await timed(scan(scanFilter), SCANS);
      p50[name] = [quantile(first, 0.5), quantile(deepT, 0.5)];
      const total = (await queries.list(scope, filter, 1, undefined)).totalCount;
      figures.push({
        name: `${name} @ ${size}`,
        value: quantile(first, 0.5),
        unit: 'ms',
        note: `p99 ${quantile(first, 0.99).toFixed(1)}; page ${n} p50 ${quantile(deepT, 0.5).toFixed(1)} p99 ${quantile(deepT, 0.99).toFixed(1)}; ${total} cases; by scanning ${quantile(scans, 0.5).toFixed(0)} ms (${(quantile(scans, 0.5) / quantile(first, 0.5)).toFixed(0)}x)`,
      });
    }

    // one transition: a case with no open mandatory task, closed and reopened in turn
    const principal: StaffPrincipal = {
      userId: 'bench-admin',
      email: 'bench@siqian.test',
      displayName: 'bench',
      roles: [Role.ADMIN],
      unitCodes: [],
      sessionId: 'bench',
    };
    const target = docs.find((d) => d.status === 'INVESTIGATING') as { _id: string };
    await coll.updateOne({ _id: target._id as never }, { $set: { tasks: [] } });
    let closed = false;
    const times = await timed(async () => {
      await lifecycle.transition(
        { principal, meta: {} },
        target._id,
        closed ? 'INVESTIGATING' : 'CLOSED_UNSOLVED',
        'bench',
      );
      closed = !closed;
    }, TRANSITIONS);
    const transition = quantile(times, 0.5);
    figures.push({
      name: `transition @ ${size}`,
      value: transition,
      unit: 'ms',
      note: `p99 ${quantile(times, 0.99).toFixed(1)}; lock, read, event, replace, list placement, audit entry`,
    });
    return { figures, p50, transition };
  });
}

async function main(): Promise<void> {
  if (!process.env.BENCH_CASES_ONE)
    console.log(`bench:cases on ${machine()}; sizes ${SIZES.join(', ')}, each in a process and on stores of its own`);
  const results = await eachSizeInChild(__filename, 'BENCH_CASES_ONE', SIZES, 'bench:cases', measureSize);
  if (!results) return;
  const figures: Figure[] = results.flatMap((r) => r.figures);
  const [small, large] = [results[0], results[results.length - 1]];
  const last = SIZES[SIZES.length - 1];
  let pass = true;
  for (const name of Object.keys(large.p50)) {
    const [f, d] = large.p50[name];
    const ratio = Math.max(f / small.p50[name][0], d / small.p50[name][1]);
    pass &&= ratio <= GOAL_RATIO;
    figures.push({
      name: `${name} ratio ${last} / ${SIZES[0]}`,
      value: ratio,
      unit: 'x',
      note: verdict(ratio, GOAL_RATIO, '<='),
    });
  }
  const tr = large.transition / small.transition;
  pass &&= tr <= GOAL_RATIO;
  figures.push({
    name: `transition ratio ${last} / ${SIZES[0]}`,
    value: tr,
    unit: 'x',
    note: verdict(tr, GOAL_RATIO, '<='),
  });
  printFigures('bench:cases: the cases page through the list index beside the scan, and one transition', figures);
  console.log(pass ? 'bench:cases: every figure meets its goal' : 'bench:cases: a figure misses its goal');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
