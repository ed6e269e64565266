import Redis from 'ioredis';
import { isIndexed, STATUS, SUBMIT, validReport, waitIndexed, type Receipt } from './support/reports';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The front door first (src/queue/front-door.ts): while an API process is busy, `report.index` and
 * `report.link` jobs wait before they start — at most WORKER_YIELD_MAX_MS after they were enqueued.
 */
describe('front door first: background jobs yield to a busy API', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL as string);
  });
  afterAll(() => redis.disconnect());

  const submit = async (t: TestApp, phone: string): Promise<Receipt> => {
    const res = await t.gql<{ submitReport: Receipt }>(SUBMIT, {
      input: validReport({ identifiers: [{ value: phone }] }),
    });
    expect(res.body.errors).toBeUndefined();
    return res.body.data?.submitReport as Receipt;
  };
  const yielded = async (t: TestApp): Promise<number> => {
    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    return Number(/^siqian_worker_yield_seconds_total (\S+)$/m.exec(text)?.[1] ?? NaN);
  };

  const busyKeyOf = (t: TestApp): string => `${t.cfg.queue.prefix}:frontdoor:busy`;
  /** An app started with `env` whose door another API process has marked busy (mark and app gone at the end). */
  const withDoorMarkedBusy = async (env: Record<string, string>, run: (t: TestApp) => Promise<void>) => {
    const t = await startTestApp(env);
    try {
      await redis.set(busyKeyOf(t), 'another-api', 'PX', 30_000);
      await run(t);
    } finally {
      await redis.del(busyKeyOf(t));
      await t.close();
    }
  };

  it('holds jobs while another API process marks the door busy, and runs them once the mark is gone', () =>
    withDoorMarkedBusy({ WORKER_YIELD_MAX_MS: '60000' }, async (t) => {
      const receipt = await submit(t, '13911112222');
      await new Promise((r) => setTimeout(r, 2_000));
      expect(await isIndexed(t, receipt.trackingCode)).toBe(false);
      await redis.del(busyKeyOf(t));
      await waitIndexed(t, receipt.trackingCode, 10_000);
      expect(await yielded(t)).toBeGreaterThan(1.5);
    }));

  it('an API process marks itself busy from FRONT_DOOR_BUSY_REQUESTS in flight; jobs wait at most WORKER_YIELD_MAX_MS', async () => {
    // every request makes this API busy: the door stays busy while the test polls, so only the bound lets go
    const t = await startTestApp({ FRONT_DOOR_BUSY_REQUESTS: '1', WORKER_YIELD_MAX_MS: '1500' });
    const busyKey = busyKeyOf(t);
    try {
      const sent = Date.now();
      const receipt = await submit(t, '13933334444');
      expect(await redis.exists(busyKey)).toBe(1);
      expect(Number(await redis.pttl(busyKey))).toBeLessThanOrEqual(1_000);
      // requests back to back keep the door busy while the test waits: only WORKER_YIELD_MAX_MS lets the job go
      let indexed = false;
      const keepBusy = async () => {
        while (!indexed) await t.gql(STATUS, { code: receipt.trackingCode });
      };
      const busy = keepBusy();
      try {
        await waitIndexed(t, receipt.trackingCode, 10_000);
      } finally {
        indexed = true;
        await busy;
      }
      expect(Date.now() - sent).toBeGreaterThanOrEqual(1_400);
      expect(await yielded(t)).toBeGreaterThan(1);
    } finally {
      await t.close();
    }
  });

  it('WORKER_YIELD_MAX_MS=0 never holds a job back, whatever the mark says', () =>
    withDoorMarkedBusy({ WORKER_YIELD_MAX_MS: '0' }, async (t) => {
      const receipt = await submit(t, '13955556666');
      await waitIndexed(t, receipt.trackingCode, 5_000);
      expect(await yielded(t)).toBe(0);
    }));
});
