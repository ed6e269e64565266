import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config/config';

export interface BenchServer {
  url: string;
  pid: number;
  /** the separate worker process, when there is one */
  workerPid?: number;
  /** QUEUE_PREFIX of the processes (Bull queues and the linking keys live under it in Redis) */
  queuePrefix: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** Extra node flags for the processes under test: BENCH_CPU_PROF=<dir> writes a .cpuprofile of each. */
function nodeArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

function spawnEntry(entry: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [...nodeArgs(), '-r', 'ts-node/register/transpile-only', entry], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * The real API in its own process (as `npm start` runs it, from source through ts-node), so that the load
 * generator in the bench process does not share its event loop. With `worker: 'process'` the queue worker runs
 * as a second process (`src/worker.ts`, as docker/compose runs it) on the same stores and queue prefix, and the
 * API runs with WORKER_IN_API=false; with `worker: 'api'` (the default) the API process consumes the jobs; with
 * `worker: 'none'` nothing consumes them (to measure the request path alone).
 */
export async function startServer(
  mongoUri: string,
  redisUrl: string,
  env: Record<string, string> = {},
  opts: { worker?: 'api' | 'process' | 'none' } = {},
): Promise<BenchServer> {
  const port = await freePort();
  const common: Record<string, string> = {
    NODE_ENV: 'production',
    MONGODB_URI: mongoUri,
    REDIS_URL: redisUrl,
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(32).toString('hex'),
    PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    QUEUE_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
    ...env,
  };
  const separate = opts.worker === 'process';
  let worker: { child: ChildProcess; output: () => string } | undefined;
  if (separate) {
    // info level for the one start-up line we wait for; the worker logs nothing per job at info
    worker = spawnEntry(join(PROJECT_ROOT, 'src', 'worker.ts'), { ...common, LOG_LEVEL: 'info' });
    const deadline = Date.now() + 60_000;
    while (!/siqian worker .* running/.test(worker.output())) {
      if (worker.child.exitCode !== null)
        throw new Error(`worker exited (${worker.child.exitCode}):\n${worker.output()}`);
      if (Date.now() > deadline) throw new Error(`worker did not start:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const api = spawnEntry(join(PROJECT_ROOT, 'src', 'main.ts'), {
    ...common,
    PORT: String(port),
    HOST: '127.0.0.1',
    WORKER_IN_API: (opts.worker ?? 'api') === 'api' ? (env.WORKER_IN_API ?? 'true') : 'false',
  });
  const child = api.child;
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${api.output()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${api.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid ?? 0,
    workerPid: worker?.child.pid,
    queuePrefix: common.QUEUE_PREFIX,
    stop: async () => {
      await stopChild(child);
      if (worker) await stopChild(worker.child);
    },
  };
}
