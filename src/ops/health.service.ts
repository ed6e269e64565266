import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService, MongooseHealthIndicator } from '@nestjs/terminus';
import Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';

/** Readiness of the two stores, shared by GET /ready and the GraphQL `health` query. */
@Injectable()
export class HealthService {
  constructor(
    private readonly mongoose: MongooseHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  store(): Promise<HealthIndicatorResult> {
    return this.mongoose.pingCheck('store', { timeout: 2_000 });
  }

  async redisCheck(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('redis');
    try {
      const pong = await Promise.race([
        this.redis.ping(),
        new Promise<string>((_, reject) =>
          setTimeout(() => reject(new Error('timeout of 2000ms exceeded')), 2_000).unref(),
        ),
      ]);
      return pong === 'PONG' ? check.up() : check.down(`unexpected reply ${pong}`);
    } catch (e) {
      return check.down((e as Error).message);
    }
  }
}
