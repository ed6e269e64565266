/**
 * The linking lock against a real redis-server (started here on a free port: the Lua scripts and SET NX PX
 * semantics are what is under test, so no fake).
 */
import type Redis from 'ioredis';
import { RedisLock, LockTimeoutError } from './redis-lock';
import { startRedisForSpecs } from '../../test/support/redis-for-specs';

describe('RedisLock', () => {
  let redis: Redis;
  let stop: () => void;

  beforeAll(async () => {
    ({ redis, stop } = await startRedisForSpecs());
  });

  afterAll(() => stop());

  it('admits one holder at a time; release lets the next in', async () => {
    const lock = new RedisLock(redis, 'test:lock:a', 5_000, 2_000);
    const a = await lock.tryAcquire();
    expect(a).toBeDefined();
    expect(await lock.tryAcquire()).toBeUndefined();
    await a?.release();
    const b = await lock.tryAcquire();
    expect(b).toBeDefined();
    await b?.release();
  });

  it('numbers every acquisition: a holder can tell nobody else held the lock in between', async () => {
    const lock = new RedisLock(redis, 'test:lock:gen', 5_000, 2_000);
    const a = (await lock.tryAcquire()) as NonNullable<Awaited<ReturnType<RedisLock['tryAcquire']>>>;
    expect(await lock.tryAcquire()).toBeUndefined(); // a refused attempt does not count
    await a.release();
    const b = await lock.tryAcquire();
    expect(b?.generation).toBe(a.generation + 1);
    await b?.release();
  });

  it('serialises concurrent critical sections (no overlap, none lost)', async () => {
    const lock = new RedisLock(redis, 'test:lock:b', 5_000, 10_000);
    let inside = 0;
    let maxInside = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        lock.withLock(async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, 5));
          inside--;
          done++;
        }),
      ),
    );
    expect(maxInside).toBe(1);
    expect(done).toBe(20);
  });

  it('waits a bounded time, then throws LockTimeoutError', async () => {
    const lock = new RedisLock(redis, 'test:lock:c', 5_000, 100);
    const held = await lock.tryAcquire();
    const started = Date.now();
    await expect(lock.acquire()).rejects.toBeInstanceOf(LockTimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
    await held?.release();
  });

  it('renews the lease while held (outlives its ttl)', async () => {
    const lock = new RedisLock(redis, 'test:lock:e', 300, 100);
    const lease = await lock.tryAcquire();
    await new Promise((r) => setTimeout(r, 900));
    expect(await lock.tryAcquire()).toBeUndefined();
    expect(await lease?.stillHeld()).toBe(true);
    await lease?.release();
    expect(await redis.exists('test:lock:e')).toBe(0);
  });

  it('a holder whose lease was taken over knows it, and its release never deletes the successor', async () => {
    const lock = new RedisLock(redis, 'test:lock:f', 5_000, 100);
    const first = await lock.tryAcquire();
    // simulate expiry + takeover: another token now owns the key
    await redis.set('test:lock:f', 'someone-else', 'PX', 5_000);
    expect(await first?.stillHeld()).toBe(false);
    expect(first?.lost).toBe(true);
    await first?.release();
    expect(await redis.get('test:lock:f')).toBe('someone-else');
  });
});
