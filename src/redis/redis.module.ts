import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import Redis, { RedisOptions } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';

/** A general-purpose client (rate limits, locks, caches, counters). */
export const REDIS = Symbol('REDIS');
/** The GraphQL subscription bus shared by every API instance. */
export const PUB_SUB = Symbol('PUB_SUB');

export function redisUrl(cfg: AppConfig): string {
  if (!cfg.redis.url) throw new Error('REDIS_URL was not resolved before boot');
  return cfg.redis.url;
}

export function createRedis(url: string, opts: RedisOptions = {}, name = 'redis'): Redis {
  const logger = new Logger(`Redis:${name}`);
  const client = new Redis(url, { lazyConnect: false, ...opts });
  // An 'error' listener is required: without one ioredis errors would crash the process.
  client.on('error', (e: Error) => logger.warn(`redis ${name}: ${e.message}`));
  return client;
}

const logger = new Logger('RedisModule');

/**
 * Closes a connection at shutdown. A failure (the server already gone) changes nothing for a process that is
 * stopping, so it is logged at debug only.
 */
export async function quitQuietly(
  client: { quit(): Promise<unknown> } | { close(): Promise<unknown> },
  log: Logger,
  what: string,
): Promise<void> {
  try {
    await ('quit' in client ? client.quit() : client.close());
  } catch (err) {
    log.debug({ err }, `${what}: close at shutdown failed (already closed)`);
  }
}

@Global()
@Module({
  providers: [
    { provide: REDIS, inject: [APP_CONFIG], useFactory: (cfg: AppConfig) => createRedis(redisUrl(cfg), {}, 'main') },
    {
      provide: PUB_SUB,
      inject: [APP_CONFIG],
      useFactory: async (cfg: AppConfig) => {
        const url = redisUrl(cfg);
        const publisher = createRedis(url, {}, 'publisher');
        // Subscriber: no ready check (it can drop messages in subscriber mode); wait for 'ready' instead.
        const subscriber = createRedis(url, { enableReadyCheck: false }, 'subscriber');
        await new Promise<void>((resolve) =>
          subscriber.status === 'ready' ? resolve() : subscriber.once('ready', () => resolve()),
        );
        return new RedisPubSub({ publisher, subscriber });
      },
    },
  ],
  exports: [REDIS, PUB_SUB],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await quitQuietly(this.pubSub, logger, 'pub/sub');
    await quitQuietly(this.redis, logger, 'redis');
  }
}
