/**
 * LinkWaiters against a real redis-server (started here on a free port: sorted sets, pub/sub and the lock's
 * SET NX are what is under test, so no fake).
 */
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { RedisLock, LockTimeoutError, type Lease } from '../store/redis-lock';
import { LinkWaiters, type LinkWaitKeys } from './link-waiters';
import { startRedisForSpecs } from '../../test/support/redis-for-specs';

describe('LinkWaiters', () => {
  let redis: Redis;
  let stop: () => void;
  const open: LinkWaiters[] = [];

  beforeAll(async () => {
    ({ redis, stop } = await startRedisForSpecs());
  });

  afterAll(async () => {
    for (const w of open) await w.close();
    stop();
  });

  /** Fresh keys and a waiters loop whose holds link (= remove from pending) what `link` says. */
  function setup(opts: { waitMs?: number; hold?: (lease: Lease) => Promise<void> } = {}) {
    const ns = randomBytes(4).toString('hex');
    const keys: LinkWaitKeys = { pending: `${ns}:pending`, failed: `${ns}:failed`, released: `${ns}:released` };
    const lock = new RedisLock(redis, `${ns}:lock`, 5_000, 1_000);
    const holds: string[][] = [];
    const hold =
      opts.hold ??
      (async () => {
        const ids = await redis.zrange(keys.pending, 0, -1);
        holds.push(ids);
        if (ids.length) await redis.zrem(keys.pending, ...ids);
      });
    const waiters = new LinkWaiters(redis, keys, lock, opts.waitMs ?? 10_000, hold);
    open.push(waiters);
    const enqueue = async (id: string) => {
      await redis.zadd(keys.pending, 'NX', Date.now(), id);
      return waiters.wait(id, `c-${id}`);
    };
    return { keys, lock, holds, waiters, enqueue };
  }

  it('links many waiting reports in a few holds (one loop, not one poll per job) and releases the lock', async () => {
    const { holds, lock, enqueue } = setup();
    await Promise.all(Array.from({ length: 100 }, (_, i) => enqueue(`r${i}`)));
    expect(holds.flat().sort()).toEqual(Array.from({ length: 100 }, (_, i) => `r${i}`).sort());
    expect(holds.length).toBeLessThan(10);
    const lease = await lock.tryAcquire();
    expect(lease).toBeDefined();
    await lease?.release();
  });

  it('waits while another holder has the lock, and completes when that holder links the report', async () => {
    const { keys, lock, holds, enqueue } = setup();
    const other = (await lock.tryAcquire()) as Lease;
    let done = false;
    const job = enqueue('a').then(() => (done = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toBe(false);
    // the other process's holder links it, releases and announces
    await redis.zrem(keys.pending, 'a');
    await other.release();
    await redis.publish(keys.released, '1');
    await job;
    expect(holds.flat()).not.toContain('a');
  });

  it('fails a job whose report is listed as unlinkable', async () => {
    const { keys, lock, enqueue } = setup();
    const other = (await lock.tryAcquire()) as Lease;
    const job = enqueue('bad');
    await redis.hset(keys.failed, 'bad', 'no such stored report');
    await redis.publish(keys.released, '1');
    await expect(job).rejects.toThrow('report bad cannot be linked: no such stored report');
    await other.release();
  });

  it('fails with LockTimeoutError when the report is not linked within the wait', async () => {
    const { lock, enqueue } = setup({ waitMs: 300 });
    const other = (await lock.tryAcquire()) as Lease;
    await expect(enqueue('late')).rejects.toBeInstanceOf(LockTimeoutError);
    await other.release();
  });

  it('fails the waiting jobs with the error of a failed hold, and serves later jobs again', async () => {
    let fail = true;
    const { keys, enqueue } = setup({
      hold: async () => {
        if (fail) throw new Error('store down');
        const ids = await redis.zrange(keys.pending, 0, -1);
        if (ids.length) await redis.zrem(keys.pending, ...ids);
      },
    });
    await expect(enqueue('x')).rejects.toThrow('store down');
    fail = false;
    await expect(enqueue('x')).resolves.toBeUndefined();
  });
});
