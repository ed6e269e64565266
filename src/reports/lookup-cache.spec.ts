import type Redis from 'ioredis';
import { startRedisForSpecs } from '../../test/support/redis-for-specs';
import { LookupCache } from './lookup-cache';
import { ReportKeys } from './redis-keys';

describe('LookupCache', () => {
  let redis: Redis;
  let stop: () => void;
  beforeAll(async () => {
    ({ redis, stop } = await startRedisForSpecs());
  });
  afterAll(() => stop());

  it('serves what was put until the identifier is forgotten', async () => {
    const cache = new LookupCache<{ band: string }>(redis, new ReportKeys('spec1'), 30);
    const miss = await cache.get('PHONE:+8613800000001');
    expect(miss).toEqual({ gen: null });
    await cache.put('PHONE:+8613800000001', miss.gen, { band: '0' });
    expect((await cache.get('PHONE:+8613800000001')).answer).toEqual({ band: '0' });
    await cache.forget(['PHONE:+8613800000001']);
    expect((await cache.get('PHONE:+8613800000001')).answer).toBeUndefined();
  });

  it('never serves an answer read before a forget, even when it is put after the forget', async () => {
    const cache = new LookupCache<{ band: string }>(redis, new ReportKeys('spec2'), 30);
    const before = await cache.get('URL:https://x.top/'); // a lookup starts and reads the store...
    await cache.forget(['URL:https://x.top/']); // ...a report is counted meanwhile...
    await cache.put('URL:https://x.top/', before.gen, { band: '0' }); // ...and the stale answer lands
    expect((await cache.get('URL:https://x.top/')).answer).toBeUndefined();
  });

  it('caches nothing with a TTL of 0', async () => {
    const cache = new LookupCache<{ band: string }>(redis, new ReportKeys('spec3'), 0);
    await cache.put('EMAIL:a@b.cn', null, { band: '0' });
    expect((await cache.get('EMAIL:a@b.cn')).answer).toBeUndefined();
  });
});
