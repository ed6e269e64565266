import Redis from 'ioredis';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { graphqlLoad, STATIC_QUERY } from './lib/baselines';
import { machine, printFigures, verdict } from './lib/report';
import { startServer } from './lib/server';
import { benchStores } from './lib/stores';

/**
 * `npm run bench:submit`: submitReport over HTTP at concurrency 32 (every request a different report: new
 * phone numbers, cards and narratives, so no cache or repeat short-cut is measured), next to the static-query
 * baseline measured against the same server in the same run. Goal: ratio >= 0.3. Rate limits are raised.
 *
 * Topology: by default the API process also runs the queue worker (WORKER_IN_API, the embedded default), so the
 * `report.index` / `report.link` jobs of the submissions are consumed on the same cores while it answers.
 * BENCH_WORKER_IN_API=false runs the worker as a separate process on the same machine (docker/compose's
 * production topology). Either way the jobs are consumed; the backlog left at the end is printed, and so is
 * the CPU time per request of the API (+ worker) process and of the embedded stores: figures the other load on
 * a shared machine moves less than the rates. From the CPU of all the work of a report (every process, the
 * stores' included) it prints the CPU ceiling: the most reports per second the machine's cores could take,
 * sustained, if they did nothing else.
 *
 * BENCH_WORKER_IN_API=none runs no worker at all: the jobs wait, and the figures are those of the request path
 * alone (validate, store the report and its tracking code, hand off) — the bound on any worker design.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WORKER_ENV = process.env.BENCH_WORKER_IN_API;
const WORKER: 'api' | 'process' | 'none' = WORKER_ENV === 'false' ? 'process' : WORKER_ENV === 'none' ? 'none' : 'api';
const SUBMIT = `mutation($input: SubmitReportInput!) { submitReport(input: $input) { trackingCode status } }`;

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; undefined elsewhere). */
function cpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return undefined;
  }
}

/** CPU ms per request of each process in `pids` during `run` — less noisy than rates on a shared machine. */
async function withCpu<T extends { requests: number }>(
  pids: number[],
  run: () => Promise<T>,
): Promise<T & { cpu: string[] }> {
  const before = pids.map(cpuMs);
  const result = await run();
  const cpu = pids.map((pid, i) => {
    const a = before[i];
    const b = cpuMs(pid);
    return a === undefined || b === undefined ? '?' : ((b - a) / Math.max(1, result.requests)).toFixed(2);
  });
  return { ...result, cpu };
}

let n = 0;
function nextReport(): object {
  n++;
  const phone = `139${String(10_000_000 + ((n * 7919) % 89_999_999)).padStart(8, '0')}`;
  const card = `6222${String(100_000_000_000 + n).padStart(15, '0')}`;
  return {
    query: SUBMIT,
    variables: {
      input: {
        fraudType: ['FAKE_LOAN', 'ORDER_BRUSHING', 'FAKE_INVESTMENT'][n % 3],
        channel: 'PHONE_CALL',
        occurredAt: new Date(Date.now() - (n % 700) * 86_400_000).toISOString(),
        regionCode: `DG${String(1 + (n % 33)).padStart(2, '0')}`,
        identifiers: [
          { kind: 'PHONE', value: phone },
          { kind: 'BANK_ACCOUNT', value: card },
        ],
        narrative: `对方自称客服，让我转账到 ${card}，联系电话 ${phone}，网址 https://loan-${n % 500}.top/app`,
        loss: `${(n * 37) % 100_000}.${String(n % 100).padStart(2, '0')}`,
        ...(n % 3 === 0 ? { reporterContact: `1380000${String(n % 10_000).padStart(4, '0')}` } : {}),
      },
    },
  };
}

async function main(): Promise<void> {
  const stores = await benchStores();
  const topology =
    WORKER === 'api'
      ? 'worker inside the API process'
      : WORKER === 'process'
        ? 'API and worker as two processes (BENCH_WORKER_IN_API=false)'
        : 'no worker: the request path alone (BENCH_WORKER_IN_API=none)';
  console.log(
    `bench:submit on ${machine()}; store: ${stores.kind}; ${SECONDS} s per measurement, c=32; topology: ${topology}`,
  );
  const server = await startServer(
    stores.mongoUri,
    stores.redisUrl,
    {
      SUBMIT_RATE_PER_IP: '1000000000',
      SUBMIT_RATE_PER_REPORTER: '1000000000',
      LOOKUP_RATE_PER_IP: '1000000000',
    },
    { worker: WORKER },
  );
  const redis = new Redis(stores.redisUrl, { lazyConnect: true });
  try {
    await redis.connect();
    // sanity: the generated reports are accepted (autocannon counts HTTP statuses, not GraphQL errors)
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(nextReport()),
      });
      const body = (await res.json()) as { data?: { submitReport?: { trackingCode: string } }; errors?: unknown };
      if (!body.data?.submitReport?.trackingCode)
        throw new Error(`submitReport refused the bench input: ${JSON.stringify(body)}`);
    }
    await graphqlLoad(server.url, STATIC_QUERY, 32, 2); // warm-up
    // ours (API, worker), then the stores' (FerretDB, redis-server) when they are embedded
    const ours = [server.pid, server.workerPid].filter((p) => p !== undefined);
    const pids = [...ours, ...stores.pids];
    const cpuNote = (cpu: string[]) =>
      `CPU ${cpu.slice(0, ours.length).join(' + ')} ms/req` +
      (stores.pids.length ? `, stores ${cpu.slice(ours.length).join(' + ')} ms/req` : '');
    const baseline = await withCpu(pids, () => graphqlLoad(server.url, STATIC_QUERY, 32, SECONDS));
    const allIn = { cpu: pids.map(cpuMs), reports: n };
    await graphqlLoad(server.url, nextReport, 32, 2); // warm-up
    const submit = await withCpu(pids, () => graphqlLoad(server.url, nextReport, 32, SECONDS));
    const loadStopped = Date.now();
    const ratio = submit.requestsPerSecond / baseline.requestsPerSecond;
    printFigures('submitReport over HTTP', [
      {
        name: 'submitReport (c=32)',
        value: submit.requestsPerSecond,
        unit: 'req/s',
        note: `p50 ${submit.p50Ms} ms, p99 ${submit.p99Ms} ms, errors ${submit.errors}, non-2xx ${submit.non2xx}; ${cpuNote(submit.cpu)}`,
      },
      {
        name: 'static query baseline (c=32)',
        value: baseline.requestsPerSecond,
        unit: 'req/s',
        note: `p50 ${baseline.p50Ms} ms, p99 ${baseline.p99Ms} ms; ${cpuNote(baseline.cpu)}`,
      },
      { name: 'ratio submit / static', value: ratio, unit: 'x', note: verdict(ratio, 0.3, '>=') },
    ]);
    // whether the jobs kept up: what the worker had not consumed yet when the load stopped
    const p = server.queuePrefix;
    // a job carries a batch of reports: count the reports of the waiting jobs
    const reportsWaiting = async (queue: string): Promise<string> => {
      const ids = await redis.lrange(`${p}:${queue}:wait`, 0, -1);
      const pipe = redis.pipeline();
      for (const id of ids) pipe.hget(`${p}:${queue}:${id}`, 'data');
      const datas = ids.length ? ((await pipe.exec()) ?? []) : [];
      const reports = datas.reduce(
        (n, [, d]) =>
          n + ((JSON.parse(typeof d === 'string' ? d : '{}') as { reportIds?: unknown[] }).reportIds?.length ?? 0),
        0,
      );
      return `${reports} reports in ${ids.length} jobs`;
    };
    const [indexWaiting, linkWaiting, linkPending] = await Promise.all([
      reportsWaiting('reports'),
      reportsWaiting('linking'),
      redis.zcard(`${p}:link:pending`),
    ]);
    console.log(
      `not yet consumed when the load stopped: report.index ${indexWaiting} waiting; report.link ${linkWaiting} waiting, ${linkPending} reports pending a lock holder`,
    );
    // then until the worker has indexed and linked every report: how long the backlog takes, and the CPU of
    // all the work per report (API + worker, from the submit warm-up to the end of the backlog)
    const busy = async () => {
      const counts = await Promise.all([
        redis.llen(`${p}:reports:wait`),
        redis.llen(`${p}:reports:active`),
        redis.llen(`${p}:linking:wait`),
        redis.llen(`${p}:linking:active`),
        redis.zcard(`${p}:link:pending`),
      ]);
      return counts.some((c) => c > 0);
    };
    const drainDeadline = WORKER === 'none' ? 0 : Date.now() + 300_000;
    while ((await busy()) && Date.now() < drainDeadline) await new Promise((r) => setTimeout(r, 200));
    const drained = !(await busy());
    const spent = pids.map((pid, i) => ((cpuMs(pid) ?? NaN) - (allIn.cpu[i] ?? NaN)) / (n - allIn.reports));
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const oursMs = sum(spent.slice(0, ours.length));
    const storesMs = sum(spent.slice(ours.length));
    console.log(
      WORKER === 'none'
        ? `no worker: the jobs stay waiting; the request path of a report (no worker), API CPU: ${oursMs.toFixed(2)} ms`
        : `backlog ${drained ? 'consumed' : 'NOT consumed'} ${((Date.now() - loadStopped) / 1000).toFixed(1)} s after the load stopped; ` +
            `all the work of a report (submit, index, link; API + worker CPU): ${oursMs.toFixed(2)} ms`,
    );
    if (stores.pids.length) {
      // the CPU ceiling: every core busy with nothing but reports allows this many per second, sustained
      const total = oursMs + storesMs;
      const ceiling = (cpus().length * 1000) / total;
      console.log(
        `with the stores (FerretDB ${spent[ours.length].toFixed(2)} + Redis ${spent[ours.length + 1].toFixed(2)} ms): ` +
          `${total.toFixed(2)} ms of CPU per report; ${cpus().length} cores fully busy allow at most ` +
          `${ceiling.toFixed(0)} reports/s sustained = ${(ceiling / baseline.requestsPerSecond).toFixed(3)} of the static rate`,
      );
    }
    if (submit.errors > 0 || submit.non2xx > 0) process.exitCode = 1;
  } finally {
    redis.disconnect();
    await server.stop();
    await stores.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
