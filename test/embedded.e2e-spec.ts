import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import mongoose from 'mongoose';

/**
 * The embedded mode as a user runs it: real `main.ts` / `worker.ts` processes (through ts-node, so the test
 * always runs the current source), each with its own DATA_DIR, starting and stopping the FerretDB launcher
 * and redis-server themselves. These tests do not use the suite's stores.
 */
const ROOT = join(__dirname, '..');

interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(entry: 'main' | 'worker', env: Record<string, string>): Proc {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  delete clean.MONGODB_URI;
  delete clean.REDIS_URL;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', `${entry}.ts`)], {
    cwd: ROOT,
    env: {
      ...clean,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      SCHEMA_FILE: join(tmpdir(), `siqian-schema-${process.pid}.gql`),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(proc: Proc, re: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = re.exec(proc.output());
    if (m) return m;
    if (proc.child.exitCode !== null)
      throw new Error(`process exited (${proc.child.exitCode}) before ${re}:\n${proc.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** Processes whose command line mentions the data dir (our FerretDB launcher and redis-server do). */
function processesUsing(dataDir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(dataDir)) found.push(`${pid}: ${cmd}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

async function untilGone(dataDir: string, timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let left = processesUsing(dataDir);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = processesUsing(dataDir);
  }
  return left;
}

async function health(port: number): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ health { status store redis embedded } }' }),
  });
  return ((await res.json()) as { data: unknown }).data;
}

interface StoresRecord {
  ownerPid: number;
  mongoUri: string;
  redisUrl: string;
}
const record = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'stores.json'), 'utf8')) as StoresRecord;

describe('embedded mode, as processes', () => {
  jest.setTimeout(180_000);
  let dataDir: string;
  const started: Proc[] = [];
  const start = (entry: 'main' | 'worker', env: Record<string, string>) => {
    const p = run(entry, env);
    started.push(p);
    return p;
  };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'siqian-embedded-'));
  });
  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await untilGone(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts the stores, shares them with a worker, stops cleanly on SIGTERM and finds the same data again', async () => {
    const port = await freePort();
    const api = start('main', { DATA_DIR: dataDir, PORT: String(port) });
    await waitFor(api, /serving http:\/\/localhost:\d+\/graphql \(embedded mode, data in /);
    expect(api.output()).toContain('embedded mode: FerretDB at mongodb://127.0.0.1:');
    expect(await health(port)).toEqual({ health: { status: 'ok', store: 'up', redis: 'up', embedded: true } });

    // A second process finds the running stores through the record instead of starting its own.
    const rec = record(dataDir);
    expect(rec.ownerPid).toBe(api.child.pid);
    const worker = start('worker', { DATA_DIR: dataDir });
    await waitFor(worker, /siqian worker .* running/);
    expect(worker.output()).toContain(`embedded mode: using the stores of process ${api.child.pid}`);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(await health(port)).toEqual({ health: { status: 'ok', store: 'up', redis: 'up', embedded: true } });

    // Write to both stores, then stop.
    const conn = await mongoose.createConnection(rec.mongoUri).asPromise();
    await conn.collection('e2e_persistence').insertOne({ _id: 'kept' as never, n: 42 });
    await conn.close();
    const redis = new Redis(rec.redisUrl);
    await redis.set('e2e:persistence', 'kept');
    redis.disconnect();

    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(await untilGone(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'stores.json'))).toBe(false);

    // Start again: the same data is there (FerretDB's SQLite files, Redis' AOF).
    const port2 = await freePort();
    const again = start('main', { DATA_DIR: dataDir, PORT: String(port2) });
    await waitFor(again, /serving http:\/\/localhost:\d+\/graphql/);
    const rec2 = record(dataDir);
    const conn2 = await mongoose.createConnection(rec2.mongoUri).asPromise();
    expect(await conn2.collection('e2e_persistence').findOne({ _id: 'kept' as never })).toEqual({ _id: 'kept', n: 42 });
    await conn2.close();
    const redis2 = new Redis(rec2.redisUrl);
    expect(await redis2.get('e2e:persistence')).toBe('kept');
    redis2.disconnect();

    // A crash (SIGKILL) takes the stores down with it and leaves a stale record, which the next start replaces.
    again.child.kill('SIGKILL');
    await again.exited;
    expect(await untilGone(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'stores.json'))).toBe(true);
    const port3 = await freePort();
    const third = start('main', { DATA_DIR: dataDir, PORT: String(port3) });
    await waitFor(third, /serving http:\/\/localhost:\d+\/graphql/);
    expect(third.output()).toContain(`stale store record from process ${again.child.pid}`);
    expect(await health(port3)).toEqual({ health: { status: 'ok', store: 'up', redis: 'up', embedded: true } });
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(await untilGone(dataDir)).toEqual([]);
  });

  it.each([
    [{ PORT: 'abc' }, /^invalid configuration: PORT must be an integer number \(got "abc"\)\n$/],
    [
      { MONGODB_URI: 'nonsense', REDIS_URL: 'redis://127.0.0.1:1' },
      /^invalid configuration: MONGODB_URI must be a mongodb:\/\/ or mongodb\+srv:\/\/ URI\n$/,
    ],
    [{ NODE_ENV: 'production' }, /^invalid configuration: JWT_SECRET is required outside embedded development mode/],
  ])('exits non-zero with one line naming the variable: %j', async (env, line) => {
    const p = start('main', { DATA_DIR: dataDir, ...env });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(line);
    expect(p.output().trim().split('\n')).toHaveLength(1);
  });

  it('npm start runs node in place of the shell, so SIGTERM to npm reaches the API (and stops the stores)', () => {
    // npm forwards SIGTERM to its child, `sh -c <script>`; Debian's sh does not pass it on, so without `exec`
    // the API (and its embedded stores) would be orphaned when a supervisor stops `npm start`.
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    for (const name of ['start', 'start:api', 'start:worker'])
      expect(scripts[name]).toMatch(/^exec node dist\/(main|worker)\.js$/);
  });

  it('says exactly what is missing when the FerretDB launcher is absent', async () => {
    const p = start('main', {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'siqian-nobin-')),
      FERRETDB_BIN: '/nonexistent/siqian-ferretdb',
    });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain(
      'embedded mode needs the FerretDB launcher at /nonexistent/siqian-ferretdb, which is missing',
    );
    expect(p.output()).toContain('npm run setup');
  });

  it('says exactly what is missing when redis-server is absent', async () => {
    const p = start('main', {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'siqian-noredis-')),
      REDIS_SERVER_BIN: '/nonexistent/redis-server',
    });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain(
      'embedded mode needs redis-server (looked for "/nonexistent/redis-server"), which is missing',
    );
    expect(p.output()).toContain('apt-get install redis-server');
  });
});
