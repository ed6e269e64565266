import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { redisUrl } from '../redis/redis.module';
import { FrontDoor } from './front-door';
import { DEFAULT_JOB_OPTIONS, QUEUE_NAMES } from './queue.constants';
import { JobQueueService } from './job-queue.service';
import { QueueStatsService } from './queue-stats.service';

const queues = BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name })));

/**
 * Bull on the same Redis. Every process registers the queues (to produce); only processes with the worker
 * role register processors (WorkerModule). Bull's own connections use maxRetriesPerRequest: null and no
 * ready check, as Bull requires for its blocking and subscriber clients.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (cfg: AppConfig) => ({
        url: redisUrl(cfg),
        prefix: cfg.queue.prefix,
        redis: { maxRetriesPerRequest: null, enableReadyCheck: false },
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    queues,
  ],
  providers: [JobQueueService, QueueStatsService, FrontDoor],
  exports: [JobQueueService, QueueStatsService, FrontDoor, queues],
})
export class QueueModule {}
