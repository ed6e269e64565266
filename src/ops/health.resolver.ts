import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Inject } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { Public } from '../auth/decorators';
import { HealthService } from './health.service';

@ObjectType({ description: 'Service health as seen by this API instance.' })
export class Health {
  @Field({ description: '"ok" when the store and Redis answer, else "degraded".' })
  status: string;

  @Field({ description: 'The server version (package.json).' })
  version: string;

  @Field({ description: '"up" or "down": the MongoDB-compatible store.' })
  store: string;

  @Field({ description: '"up" or "down": Redis.' })
  redis: string;

  @Field({ description: 'True when running on the embedded FerretDB + redis-server.' })
  embedded: boolean;
}

@Resolver(() => Health)
export class HealthResolver {
  constructor(
    private readonly checks: HealthService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  @Public()
  @Query(() => Health, { description: 'Liveness and readiness of this instance, its store and Redis (public).' })
  async health(): Promise<Health> {
    const [store, redis] = await Promise.all([this.checks.store(), this.checks.redisCheck()]);
    const storeUp = store.store.status === 'up';
    const redisUp = redis.redis.status === 'up';
    return {
      status: storeUp && redisUp ? 'ok' : 'degraded',
      version: this.cfg.version,
      store: storeUp ? 'up' : 'down',
      redis: redisUp ? 'up' : 'down',
      embedded: this.cfg.embedded,
    };
  }
}
