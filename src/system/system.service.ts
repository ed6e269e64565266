import { Inject, Injectable } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { randomUUID } from 'node:crypto';
import { CommonError, CommonErrorCode } from '../common/errors/common.errors';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { JobQueueService } from '../queue/job-queue.service';
import { SystemPingJob } from '../queue/job.types';
import { PUB_SUB } from '../redis/redis.module';
import { Ping, PingStatus } from './models/ping.model';
import { PingRecord, SystemRepository } from './system.repository';
import { SystemError, SystemErrorCode } from './system.errors';

export const PING_COMPLETED = 'system.pingCompleted';

@Injectable()
export class SystemService {
  constructor(
    private readonly repo: SystemRepository,
    private readonly jobs: JobQueueService,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  /** Stores a ping and queues it for a worker; returns at once. Off unless DIAGNOSTICS_ENABLED. */
  async requestPing(message: string): Promise<Ping> {
    if (!this.cfg.diagnosticsEnabled) {
      throw new CommonError(CommonErrorCode.DISABLED_FEATURE, 'Diagnostics are disabled (DIAGNOSTICS_ENABLED=false)');
    }
    const record = { _id: randomUUID(), message, correlationId: randomUUID(), requestedAt: new Date() };
    await this.repo.insertPing(record);
    await this.jobs.enqueue({ name: 'system.ping', data: { pingId: record._id, correlationId: record.correlationId } });
    return toModel(record);
  }

  async getPing(id: string): Promise<Ping> {
    const found = await this.repo.findPing(id);
    if (!found) throw new SystemError(SystemErrorCode.PING_NOT_FOUND, `No ping with id ${id}`, 'id');
    return toModel(found);
  }

  /** Worker side: completes the ping (idempotently) and announces it to subscribers on every API instance. */
  async completePing(job: SystemPingJob): Promise<void> {
    const done = await this.repo.completePing(job.pingId, new Date(), process.pid);
    if (!done) return; // the ping was never stored: nothing to complete
    await this.pubSub.publish(PING_COMPLETED, { pingCompleted: toModel(done) });
  }

  pingCompletedIterator(): AsyncIterator<unknown> {
    return this.pubSub.asyncIterator(PING_COMPLETED);
  }
}

function toModel(r: PingRecord): Ping {
  return {
    id: r._id,
    message: r.message,
    status: r.completedAt ? PingStatus.COMPLETED : PingStatus.QUEUED,
    requestedAt: r.requestedAt,
    completedAt: r.completedAt,
    workerPid: r.workerPid,
  };
}
