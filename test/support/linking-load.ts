/**
 * Multi-process linking load: N API processes (WORKER_IN_API=false) and M worker processes — real processes,
 * `node -r ts-node/register/transpile-only src/main.ts | src/worker.ts` — on one database and one QUEUE_PREFIX,
 * fed synthetic reports concurrently through every API's public `submitReport`, until the linking queue has
 * drained; then `siqian recluster --verify` (the CLI, as a child process) compares the stored clusters with the
 * from-scratch reference. Used by test/linking-concurrency.e2e-spec.ts (scaled down) and
 * test/concurrency.ts (`npm run test:concurrency`, 20,000 reports).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { mulberry32 } from '../../src/imports/synthetic';
import mongoose from 'mongoose';
import { PROJECT_ROOT } from '../../src/config/config';

export interface LoadOptions {
  mongoUri: string;
  redisUrl: string;
  reports: number;
  apis?: number;
  workers?: number;
  /** submissions in flight at once (over all APIs) */
  concurrency?: number;
  seed?: number;
  log?: (line: string) => void;
  env?: Record<string, string>;
}

export interface LoadResult {
  submitted: number;
  submitSeconds: number;
  drainSeconds: number;
  linked: number;
  verifyExitCode: number;
  verifyOutput: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/**
 * Synthetic public reports: fraud rings of 2–30 reports with a small identifier pool each (phones, WeChat and
 * QQ ids, URLs), 3 % of reports bridging two rings, hub values carried by ~1 % of reports each (so they cross
 * the PHONE cap of 100 at 20,000 reports while the load runs: splits under concurrency), 1 % warninglisted
 * numbers, 30 % with a reporter contact (some victims report twice).
 */
export function* syntheticReports(
  n: number,
  seed = 1,
  tag = randomBytes(2).toString('hex'),
): Generator<Record<string, unknown>> {
  const rnd = mulberry32(seed);
  const int = (k: number) => Math.floor(rnd() * k);
  const digits = (k: number) => Array.from({ length: k }, () => int(10)).join('');
  const phone = () => `13${5 + int(5)}${digits(8)}`;
  const kinds = ['PHONE', 'WECHAT_ID', 'QQ_ID', 'URL'];
  const value = (kind: string, ring: number, j: number) =>
    kind === 'PHONE'
      ? phone()
      : kind === 'WECHAT_ID'
        ? `wx_${tag}_${ring}_${j}`
        : kind === 'QQ_ID'
          ? `${1 + int(9)}${digits(8)}`
          : `https://pay-${tag}-${ring}.top/${j}`;
  const hubs = [
    { kind: 'PHONE', value: phone() },
    { kind: 'WECHAT_ID', value: `kefu_${tag}` },
  ];
  type Ring = { id: number; left: number; pool: { kind: string; value: string }[] };
  let seq = 0;
  const newRing = (): Ring => {
    const id = seq++;
    const size = 2 + Math.floor(28 * rnd() ** 2);
    return {
      id,
      left: size,
      pool: Array.from({ length: 1 + int(4) }, (_, j) => {
        const kind = kinds[int(kinds.length)];
        return { kind, value: value(kind, id, j) };
      }),
    };
  };
  const open = Array.from({ length: 50 }, newRing);
  const past: { kind: string; value: string }[] = [];
  const contacts: string[] = [];
  const types = [
    'ORDER_BRUSHING',
    'FAKE_INVESTMENT',
    'FAKE_SHOPPING',
    'FAKE_CUSTOMER_SERVICE',
    'FAKE_LOAN',
    'ONLINE_ROMANCE',
  ];
  const channels = ['PHONE_CALL', 'SMS', 'WECHAT', 'QQ', 'WEBSITE', 'APP'];
  for (let i = 0; i < n; i++) {
    const slot = int(open.length);
    const ring = open[slot];
    const ids = new Map<string, { kind: string; value: string }>();
    for (let k = 0; k < 1 + int(2); k++) {
      const id = ring.pool[Math.floor(ring.pool.length * rnd() ** 2)];
      ids.set(`${id.kind}:${id.value}`, id);
    }
    if (rnd() < 0.03 && past.length) {
      const id = past[int(past.length)];
      ids.set(`${id.kind}:${id.value}`, id);
    }
    for (const h of hubs) if (rnd() < 0.006) ids.set(`${h.kind}:${h.value}`, h);
    if (rnd() < 0.01) ids.set('PHONE:95588', { kind: 'PHONE', value: '95588' });
    let reporterContact: string | undefined;
    if (rnd() < 0.3) {
      reporterContact =
        contacts.length > 10 && rnd() < 0.1 ? contacts[int(contacts.length)] : `13${5 + int(5)}${digits(8)}`;
      contacts.push(reporterContact);
    }
    yield {
      fraudType: types[int(types.length)],
      channel: channels[int(channels.length)],
      occurredAt: new Date(Date.now() - (1 + int(300)) * 86_400_000).toISOString(),
      regionCode: `DG${String(1 + int(33)).padStart(2, '0')}`,
      identifiers: [...ids.values()],
      loss: rnd() < 0.3 ? '0' : `${1 + int(50_000)}.${String(int(100)).padStart(2, '0')}`,
      paymentMethod: 'BANK_TRANSFER',
      ...(reporterContact ? { reporterContact } : {}),
      clientRequestId: `load-${tag}-${i}`,
    };
    ring.left--;
    if (ring.left <= 0) {
      past.push(ring.pool[0]);
      open[slot] = newRing();
    }
  }
}

const SUBMIT = 'mutation($input: SubmitReportInput!) { submitReport(input: $input) { trackingCode } }';

export async function runLinkingLoad(opts: LoadOptions): Promise<LoadResult> {
  const log = opts.log ?? (() => undefined);
  const id = randomBytes(4).toString('hex');
  const db = `load_${id}`;
  const mongoUri = opts.mongoUri.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${db}`);
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'production',
    MONGODB_URI: mongoUri,
    REDIS_URL: opts.redisUrl,
    QUEUE_PREFIX: `load-${id}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    SUBMIT_RATE_PER_IP: '1000000000',
    SUBMIT_RATE_PER_REPORTER: '1000000000',
    HOST: '127.0.0.1',
    ...opts.env,
  };
  const children: ChildProcess[] = [];
  const output: string[] = [];
  const start = (entry: string, extra: Record<string, string>) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(PROJECT_ROOT, 'src', entry)], {
      cwd: PROJECT_ROOT,
      env: { ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const name = `${entry}#${children.length}`;
    const echo = process.env.LINK_LOAD_ECHO === '1';
    const keep = (d: Buffer) => {
      output.push(`${name}: ${d.toString()}`);
      if (output.length > 500) output.shift();
      if (echo) process.stderr.write(`${name}: ${d.toString()}`);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    children.push(child);
    return child;
  };
  const conn = await mongoose.createConnection(mongoUri).asPromise();
  try {
    const urls: string[] = [];
    for (let i = 0; i < (opts.apis ?? 2); i++) {
      const port = await freePort();
      start('main.ts', { PORT: String(port), WORKER_IN_API: 'false' });
      urls.push(`http://127.0.0.1:${port}`);
    }
    for (let i = 0; i < (opts.workers ?? 2); i++) start('worker.ts', {});
    for (const url of urls) {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const dead = children.find((c) => c.exitCode !== null);
        if (dead) throw new Error(`a process exited (${dead.exitCode}):\n${output.join('')}`);
        try {
          if ((await fetch(`${url}/health`)).ok) break;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`API ${url} did not start:\n${output.join('')}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    log(`${urls.length} API + ${opts.workers ?? 2} worker processes up (database ${db})`);

    // submit through every API at once
    const t0 = Date.now();
    const it = syntheticReports(opts.reports, opts.seed ?? 1, id.slice(0, 4));
    let submitted = 0;
    let failures = 0;
    let k = 0;
    const worker = async () => {
      for (;;) {
        const next = it.next();
        if (next.done) return;
        const url = urls[k++ % urls.length];
        for (let attempt = 0; ; attempt++) {
          try {
            const res = await fetch(`${url}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ query: SUBMIT, variables: { input: next.value } }),
            });
            const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
            if (!body.data) throw new Error(JSON.stringify(body.errors));
            submitted++;
            if (submitted % 1000 === 0) log(`  submitted ${submitted}`);
            break;
          } catch (e) {
            // the same clientRequestId makes a retry idempotent
            if (attempt >= 5) {
              failures++;
              log(`  submit failed: ${(e as Error).message.slice(0, 200)}`);
              break;
            }
            await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
          }
        }
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 32 }, worker));
    const submitSeconds = (Date.now() - t0) / 1000;
    log(`submitted ${submitted} reports in ${submitSeconds.toFixed(1)} s (${failures} failed)`);

    // wait until every stored report has its link document (version 1 of each: link_reports is insert-only)
    const t1 = Date.now();
    let linked = 0;
    let stored = 0;
    let last = -1;
    let stalledSince = Date.now();
    for (;;) {
      [stored, linked] = await Promise.all([
        conn.collection('reports').countDocuments({}),
        conn.collection('link_reports').countDocuments({ _id: { $regex: /\|1$/ } as never }),
      ]);
      if (stored >= submitted && linked >= stored) break;
      if (linked !== last) {
        last = linked;
        stalledSince = Date.now();
        log(`  linked ${linked}/${stored}`);
      }
      if (Date.now() - stalledSince > 120_000)
        throw new Error(`linking stalled at ${linked}/${stored}:\n${output.slice(-50).join('')}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const drainSeconds = (Date.now() - t1) / 1000;
    log(`all ${linked} reports linked ${drainSeconds.toFixed(1)} s after the last submission`);

    // the CLI's verify, as an operator would run it
    const verify = await new Promise<{ code: number; out: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          join(PROJECT_ROOT, 'src', 'cli.ts'),
          'recluster',
          '--verify',
          '--no-progress',
        ],
        {
          cwd: PROJECT_ROOT,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => resolve({ code: code ?? 1, out }));
    });
    log(verify.out.trim());
    return { submitted, submitSeconds, drainSeconds, linked, verifyExitCode: verify.code, verifyOutput: verify.out };
  } finally {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            const timer = setTimeout(() => c.kill('SIGKILL'), 20_000);
            c.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            c.kill('SIGTERM');
          }),
      ),
    );
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}
