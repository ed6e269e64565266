import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { HealthService } from './health.service';

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: HealthService,
  ) {}

  /** Liveness: the process answers. No dependency is checked (a store outage must not restart the API). */
  @Get('health')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the store and Redis answer a ping; 503 with the failing part otherwise. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.checks.store(), () => this.checks.redisCheck()]);
  }
}
