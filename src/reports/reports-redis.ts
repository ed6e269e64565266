import { Inject, Injectable, Logger, OnApplicationShutdown, Provider } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { createRedis, quitQuietly, redisUrl } from '../redis/redis.module';

/**
 * The public request paths' own Redis connection (rate limits, repeat-reporter keys, lookup cache and
 * counters), with ioredis auto-pipelining: the commands that concurrent requests issue in the same turn of
 * the event loop leave in one write and come back in one read, instead of a system call each way per
 * command. Semantics are unchanged (commands of one connection keep their order); only round trips are
 * shared.
 */
export const REPORTS_REDIS = Symbol('REPORTS_REDIS');

export const reportsRedisProvider: Provider = {
  provide: REPORTS_REDIS,
  inject: [APP_CONFIG],
  useFactory: (cfg: AppConfig) => createRedis(redisUrl(cfg), { enableAutoPipelining: true }, 'reports'),
};

/** Closes the connection with the application. */
@Injectable()
export class ReportsRedisLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger(ReportsRedisLifecycle.name);

  constructor(@Inject(REPORTS_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await quitQuietly(this.redis, this.logger, 'reports redis');
  }
}
