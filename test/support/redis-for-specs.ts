/**
 * A throwaway redis-server on a free port for the linking specs that test Redis semantics (Lua scripts, SET NX
 * PX, sorted sets, pub/sub): no fake. Only imported by *.spec.ts files.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import Redis from 'ioredis';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export async function startRedisForSpecs(): Promise<{ redis: Redis; stop: () => void }> {
  const port = await freePort();
  const server = spawn(
    process.env.REDIS_SERVER_BIN ?? 'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  // commands queue until the server accepts connections (it starts in a few ms)
  const redis = new Redis(port, '127.0.0.1', { retryStrategy: () => 50 });
  redis.on('error', () => undefined);
  await redis.ping();
  return {
    redis,
    stop: () => {
      redis.disconnect();
      server.kill('SIGTERM');
    },
  };
}
