/**
 * A stop's expiry survives the worker: the API runs without a worker (WORKER_IN_API=false) beside a separate
 * worker process; the worker is SIGKILLed after the bank confirmed a stop, and a new worker, whose clock starts
 * past the stop's deadline (CLOCK_START), expires it exactly once (its start-up sweep applies what the dead
 * worker's timers never did).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/config/config';
import { BankSink, newWebhookSecret } from './support/bank-sink';
import { storeOf } from './support/reports';
import { createStaff, submitReportId } from './support/staff';
import { loginAsAdmin, LoggedIn, startTestApp, TestApp } from './support/test-app';

const HOUR = 3_600_000;

interface Worker {
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

/** `src/worker.ts` against the app's stores, secrets and queue prefix (as test/support/cli.ts runs the CLI). */
function startWorker(t: TestApp, env: Record<string, string>): Worker {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(PROJECT_ROOT, 'src', 'worker.ts')],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        MONGODB_URI: t.cfg.mongo.uri as string,
        REDIS_URL: t.cfg.redis.url as string,
        QUEUE_PREFIX: t.cfg.queue.prefix,
        JWT_SECRET: t.cfg.secrets.jwtSecret,
        PII_ENCRYPTION_KEY: t.cfg.secrets.piiKey.toString('hex'),
        DATA_DIR: mkdtempSync(join(tmpdir(), 'siqian-worker-')),
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, output: () => out, exited };
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('payment stop expiry across a killed worker', () => {
  let t: TestApp;
  let sink: BankSink;
  let inv: LoggedIn;
  let bankEnv: string;
  const workers: Worker[] = [];

  beforeAll(async () => {
    sink = await new BankSink(newWebhookSecret()).start();
    bankEnv = JSON.stringify({ ICBC: { url: sink.url, secret: sink.secret } });
    t = await startTestApp({
      BANK_ENDPOINTS: bankEnv,
      WORKER_IN_API: 'false',
      PAYMENT_SWEEP_SECONDS: '1',
      SUBMIT_RATE_PER_IP: '100000',
    });
    const admin = await loginAsAdmin(t);
    inv = await createStaff(t, admin, 'kill-inv@siqian.test', 'kill-password-123', ['INVESTIGATOR'], ['DG01']);
  });

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await t?.close();
    await sink?.stop();
  });

  it('expires the stop once, in a new worker started past the deadline', async () => {
    const workerEnv = { BANK_ENDPOINTS: bankEnv, PAYMENT_SWEEP_SECONDS: '1' };
    const first = startWorker(t, workerEnv);
    workers.push(first);
    await until(
      'worker 1',
      async () => first.output(),
      (o) => /worker .* running/.test(o) || first.child.exitCode !== null,
    );

    // a case (its report is indexed by the worker) and a stop the bank confirms
    const reportId = await submitReportId(t, [{ kind: 'BANK_ACCOUNT', value: '6222021234567890128' }], {
      regionCode: 'DG01',
    });
    const opened = await t.gql<{ openCase: { id: string } }>(
      'mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }',
      { input: { reportIds: [reportId], title: 'Worker kill', unitCode: 'DG01' } },
      inv.headers,
    );
    if (!opened.body.data) throw new Error(JSON.stringify(opened.body.errors));
    const res = await t.gql<{ requestPaymentStop: { id: string } }>(
      'mutation($input: PaymentStopInput!) { requestPaymentStop(input: $input) { id } }',
      {
        input: {
          caseId: opened.body.data.openCase.id,
          accountNumber: '6222021234567890128',
          accountHolderName: '王五',
          amount: '1200.00',
          transactionAt: new Date(Date.now() - HOUR).toISOString(),
          bankCode: 'ICBC',
        },
      },
      inv.headers,
    );
    if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
    const stopId = res.body.data.requestPaymentStop.id;
    const GET = 'query($id: ID!) { paymentStop(id: $id) { status expiresAt } }';
    const get = async () =>
      (await t.gql<{ paymentStop: { status: string; expiresAt: string | null } }>(GET, { id: stopId }, inv.headers))
        .body.data?.paymentStop;
    await until('SENT (by worker 1)', get, (s) => s?.status === 'SENT');
    expect(
      (await sink.callback(t.baseUrl, { stopId, type: 'STOP', outcome: 'CONFIRMED', stoppedAmount: '1200.00' })).status,
    ).toBe(200);
    const confirmed = await get();
    expect(confirmed?.status).toBe('CONFIRMED');

    // the worker dies with the stop's timers pending (delayed 42 h and 48 h of real time away)
    first.child.kill('SIGKILL');
    await first.exited;

    const second = startWorker(t, {
      ...workerEnv,
      CLOCK_START: new Date(Date.parse(confirmed!.expiresAt!) + 60_000).toISOString(),
    });
    workers.push(second);
    await until('EXPIRED (by worker 2)', get, (s) => s?.status === 'EXPIRED');
    await new Promise((r) => setTimeout(r, 3_000)); // more sweeps: nothing more happens
    const db = storeOf(t);
    expect(await db.collection('audit_log').countDocuments({ action: 'PAYMENT_STOP_EXPIRED', objectId: stopId })).toBe(
      1,
    );
    expect(
      await db.collection('case_events').countDocuments({ type: 'PAYMENT_STOP_EXPIRED', 'data.stopId': stopId }),
    ).toBe(1);
    // the warning the dead worker never gave is not given after the fact: the expiry says it
    expect(
      await db.collection('case_events').countDocuments({ type: 'PAYMENT_STOP_EXPIRY_WARNING', 'data.stopId': stopId }),
    ).toBe(0);
    expect(
      await db
        .collection('payment_claims')
        .countDocuments({ _id: `stop-expired:${stopId}:${confirmed!.expiresAt}` as never }),
    ).toBe(1);
    second.child.kill('SIGTERM');
    await second.exited;
  }, 180_000);
});
