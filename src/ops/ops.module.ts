import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HttpMetricsMiddleware } from '../metrics/http-metrics.middleware';
import { FrontDoorMiddleware } from '../queue/front-door';
import { HealthController } from './health.controller';
import { HealthResolver } from './health.resolver';
import { HealthService } from './health.service';
import { MetricsController } from './metrics.controller';

/** The API process's operational surface: /health, /ready, /metrics and the GraphQL `health` query. */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false })],
  controllers: [HealthController, MetricsController],
  providers: [HealthService, HealthResolver],
})
export class OpsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
    consumer.apply(FrontDoorMiddleware).forRoutes('graphql');
  }
}
