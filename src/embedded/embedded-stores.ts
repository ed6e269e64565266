import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';

/**
 * Embedded stores for development and tests: FerretDB v1 (our Go launcher, SQLite backend) and Debian's
 * redis-server, both on 127.0.0.1, with their data under DATA_DIR.
 *
 * The first process to need them starts them and owns them (it stops them on shutdown). It writes
 * DATA_DIR/stores.json; any later process (the `siqian` CLI, a second API, a worker) that finds a record whose
 * owner is alive and whose ports answer uses those stores instead of starting its own. A record left by a
 * crashed owner is stale: the leftover processes (if they still run on this data dir) are stopped and fresh
 * ones started. A lock file (O_EXCL) serialises two processes starting at once.
 *
 * Children are started through `setpriv --pdeathsig SIGTERM` where available (util-linux), so a killed owner
 * leaves no orphan; the FerretDB launcher also watches its parent pid itself.
 */
export interface EmbeddedStores {
  mongoUri: string;
  redisUrl: string;
  /** True when this process started the stores and must stop them. */
  owned: boolean;
  dataDir: string;
  /** The store processes' pids (FerretDB launcher, redis-server), for CPU accounting in the benches. */
  pids: { ferretdb: number; redis: number };
  stop(): Promise<void>;
}

export interface EmbeddedStoresOptions {
  dataDir: string;
  ferretdbBin: string;
  redisServerBin: string;
  log?: (msg: string) => void;
  /** How long to wait for each store to answer. */
  startTimeoutMs?: number;
}

interface StoresRecord {
  ownerPid: number;
  mongoUri: string;
  redisUrl: string;
  ferretdbPid: number;
  redisPid: number;
  startedAt: string;
}

/** A store could not be started; the message says what is missing and how to get it. */
export class EmbeddedStoreError extends Error {}

export async function ensureEmbeddedStores(opts: EmbeddedStoresOptions): Promise<EmbeddedStores> {
  const log = opts.log ?? (() => undefined);
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const release = await acquireLock(join(opts.dataDir, 'stores.lock'));
  try {
    const record = readRecord(opts.dataDir);
    if (record && isAlive(record.ownerPid) && (await storesAnswer(record))) {
      log(`embedded mode: using the stores of process ${record.ownerPid} (data in ${opts.dataDir})`);
      return {
        mongoUri: record.mongoUri,
        redisUrl: record.redisUrl,
        owned: false,
        dataDir: opts.dataDir,
        pids: { ferretdb: record.ferretdbPid, redis: record.redisPid },
        stop: async () => undefined,
      };
    }
    if (record) {
      log(`embedded mode: stale store record from process ${record.ownerPid}; replacing it`);
      await stopLeftover(record.ferretdbPid, opts.dataDir);
      await stopLeftover(record.redisPid, opts.dataDir);
    }
    return await startStores(opts, log);
  } finally {
    release();
  }
}

async function startStores(opts: EmbeddedStoresOptions, log: (m: string) => void): Promise<EmbeddedStores> {
  checkBinaries(opts);
  const timeout = opts.startTimeoutMs ?? 30_000;
  const ferretDir = join(opts.dataDir, 'ferretdb');
  const redisDir = join(opts.dataDir, 'redis');
  mkdirSync(ferretDir, { recursive: true, mode: 0o700 });
  mkdirSync(redisDir, { recursive: true, mode: 0o700 });

  const ferret = spawnChild(opts.ferretdbBin, [
    '-listen',
    '127.0.0.1:0',
    '-data',
    ferretDir,
    '-parent-pid',
    String(process.pid),
  ]);
  let redis: ChildProcess | undefined;
  try {
    const mongoBase = await waitForLine(ferret, /^FERRETDB READY (\S+)/, timeout, 'FerretDB launcher');
    const mongoUri = `${mongoBase.replace(/\/$/, '')}/siqian`;
    let redisUrl = '';
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      redis = spawnChild(opts.redisServerBin, [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        redisDir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--daemonize',
        'no',
        '--protected-mode',
        'yes',
        '--loglevel',
        'warning',
        '--maxmemory-policy',
        'noeviction',
      ]);
      const ok = await waitForRedis(port, redis, timeout);
      if (ok) {
        redisUrl = `redis://127.0.0.1:${port}`;
        break;
      }
      redis.kill('SIGKILL');
      if (attempt >= 3)
        throw new EmbeddedStoreError(`redis-server did not start on 127.0.0.1 (3 attempts); see its log above`);
    }
    const record: StoresRecord = {
      ownerPid: process.pid,
      mongoUri,
      redisUrl,
      ferretdbPid: ferret.pid ?? 0,
      redisPid: redis.pid ?? 0,
      startedAt: new Date().toISOString(),
    };
    writeRecord(opts.dataDir, record);
    log(`embedded mode: FerretDB at ${mongoUri}, Redis at ${redisUrl}, data in ${opts.dataDir}`);
    const children = [ferret, redis];
    let stopping: Promise<void> | undefined;
    return {
      mongoUri,
      redisUrl,
      owned: true,
      dataDir: opts.dataDir,
      pids: { ferretdb: record.ferretdbPid, redis: record.redisPid },
      stop: () => (stopping ??= stopOwned(children, opts.dataDir)),
    };
  } catch (err) {
    ferret.kill('SIGKILL');
    redis?.kill('SIGKILL');
    throw err;
  }
}

async function stopOwned(children: ChildProcess[], dataDir: string): Promise<void> {
  const rec = readRecord(dataDir);
  if (rec && rec.ownerPid === process.pid) rmSync(join(dataDir, 'stores.json'), { force: true });
  await Promise.all(children.map((c) => stopChild(c, 10_000)));
}

function checkBinaries(opts: EmbeddedStoresOptions): void {
  if (!existsSync(opts.ferretdbBin)) {
    throw new EmbeddedStoreError(
      `embedded mode needs the FerretDB launcher at ${opts.ferretdbBin}, which is missing. Build it with ` +
        '`npm run setup` (needs the Go toolchain >= 1.24: `apt-get install golang` or https://go.dev/dl), ' +
        'or set MONGODB_URI and REDIS_URL to use your own MongoDB and Redis.',
    );
  }
  const probe = spawnSync(opts.redisServerBin, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new EmbeddedStoreError(
      `embedded mode needs redis-server (looked for "${opts.redisServerBin}"), which is missing. Install it with ` +
        '`apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS), set REDIS_SERVER_BIN, ' +
        'or set MONGODB_URI and REDIS_URL to use your own MongoDB and Redis.',
    );
  }
}

let setprivAvailable: boolean | undefined;
function spawnChild(bin: string, args: string[]): ChildProcess {
  setprivAvailable ??= spawnSync('setpriv', ['--help'], { stdio: 'ignore' }).status === 0;
  const [cmd, argv] = setprivAvailable ? ['setpriv', ['--pdeathsig', 'SIGTERM', '--', bin, ...args]] : [bin, args];
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const label = bin.split('/').pop() ?? bin;
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.trim()) process.stderr.write(`[${label}] ${line}\n`);
  });
  child.on('error', () => undefined); // reported by the waiters below
  return child;
}

function waitForLine(child: ChildProcess, re: RegExp, timeoutMs: number, what: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let buf = '';
    const timer = setTimeout(() => fail(`${what} printed no ready line within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      const m = re.exec(buf);
      if (m) {
        cleanup();
        child.stdout?.resume(); // keep draining
        resolvePromise(m[1]);
      }
    };
    const onExit = (code: number | null) => fail(`${what} exited with status ${code} before it was ready`);
    const onError = (e: Error) => fail(`${what} could not be started: ${e.message}`);
    function cleanup() {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    }
    function fail(msg: string) {
      cleanup();
      reject(new EmbeddedStoreError(msg));
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

async function waitForRedis(port: number, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    if (await redisPing(`redis://127.0.0.1:${port}`)) return true;
    await sleep(50);
  }
  return false;
}

/** True when a Redis answers PING at the URL (plain RESP over TCP, no client library needed). */
export function redisPing(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolvePromise) => {
    const sock = new Socket();
    const done = (ok: boolean) => {
      sock.destroy();
      resolvePromise(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('error', () => done(false));
    sock.connect(Number(port || 6379), hostname, () => sock.write('PING\r\n'));
    sock.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

function tcpAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolvePromise) => {
    const sock = new Socket();
    const done = (ok: boolean) => {
      sock.destroy();
      resolvePromise(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('error', () => done(false));
    sock.connect(Number(port || 27017), hostname, () => done(true));
  });
}

async function storesAnswer(r: StoresRecord): Promise<boolean> {
  const [m, rd] = await Promise.all([tcpAnswers(r.mongoUri), redisPing(r.redisUrl)]);
  return m && rd;
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePromise(port));
    });
  });
}

function isAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops a process left by a crashed owner, but only if it really is one of ours on this data dir. */
async function stopLeftover(pid: number, dataDir: string): Promise<void> {
  if (!isAlive(pid)) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmdline.includes(dataDir)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function stopChild(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}

function readRecord(dataDir: string): StoresRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'stores.json'), 'utf8')) as StoresRecord;
  } catch {
    return undefined;
  }
}

function writeRecord(dataDir: string, record: StoresRecord): void {
  const tmp = join(dataDir, `stores.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(record, null, 2), { mode: 0o600 });
  renameSync(tmp, join(dataDir, 'stores.json'));
}

/** An O_EXCL lock file holding our pid; a lock whose holder is dead is taken over. */
async function acquireLock(file: string): Promise<() => void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSafe(file));
      // An empty file is a lock being written right now; only a dead holder (or an empty file older than
      // 5 s, left by a crash between create and write) is taken over.
      const abandoned = holder ? !isAlive(holder) : Date.now() - mtimeMs(file) > 5_000;
      if (abandoned) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new EmbeddedStoreError(`timed out waiting for ${file} held by process ${holder}`);
      await sleep(100);
    }
  }
}

function mtimeMs(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
