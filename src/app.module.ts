import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { LoggerModule } from 'nestjs-pino';
import { graphqlOptions } from './common/graphql/graphql.options';
import { GraphQLValidationPipe } from './common/graphql/validation.pipe';
import { loggerParams } from './common/logging/logger.options';
import { AppConfig } from './config/config';
import { APP_CONFIG, AppConfigModule } from './config/config.module';
import { AuditModule } from './audit/audit.module';
import { SessionsModule } from './sessions/sessions.module';
import { buildGraphQLContext } from './auth/auth-context';
import { wsOnConnect } from './sessions/ws-auth';
import { AuthenticationService } from './sessions/authentication.service';
import { CryptoModule } from './common/crypto/crypto.module';
import { ClockModule } from './common/clock/clock.module';
import { UsersModule } from './users/users.module';
import { DatabaseModule } from './database/database.module';
import { MetricsModule } from './metrics/metrics.module';
import { MetricsService } from './metrics/metrics.service';
import { OpsModule } from './ops/ops.module';
import { QueueModule } from './queue/queue.module';
import { RedisModule } from './redis/redis.module';
import { ReferenceModule } from './reference/reference.module';
import { ReportsJobsModule } from './reports/jobs/reports-jobs.module';
import { ReportsModule } from './reports/reports.module';
import { TrackingModule } from './tracking/tracking.module';
import { ImportsModule } from './imports/imports.module';
import { SystemJobsModule } from './system/jobs/system-jobs.module';
import { LinkingJobsModule } from './linking/jobs/linking-jobs.module';
import { LinkingModule } from './linking/linking.module';
import { NoticesModule } from './notices/notices.module';
import { SystemModule } from './system/system.module';
import { StatsJobsModule } from './stats/jobs/stats-jobs.module';
import { StatsModule } from './stats/stats.module';
import { CasesModule } from './cases/cases.module';
import { CasesJobsModule } from './cases/jobs/cases-jobs.module';
import { PaymentsJobsModule } from './payments/jobs/payments-jobs.module';
import { PaymentsModule } from './payments/payments.module';

/** Which roles this process plays: the HTTP/WebSocket API, the queue worker, or both (embedded default). */
export interface ProcessRoles {
  api: boolean;
  worker: boolean;
}

/** Wiring only. */
@Module({})
export class AppModule {
  static register(cfg: AppConfig, roles: ProcessRoles): DynamicModule {
    const imports: ModuleMetadata['imports'] = [
      AppConfigModule.forRoot(cfg),
      ClockModule,
      LoggerModule.forRoot(loggerParams(cfg)),
      MetricsModule,
      DatabaseModule,
      RedisModule,
      QueueModule,
      ReferenceModule,
      SystemModule,
      ReportsModule,
      TrackingModule,
      ImportsModule,
      CryptoModule,
      AuditModule,
      UsersModule,
      SessionsModule,
      LinkingModule,
      NoticesModule,
      StatsModule,
      CasesModule,
      PaymentsModule,
    ];
    if (roles.api) {
      imports.push(
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [SessionsModule],
          inject: [APP_CONFIG, MetricsService, GraphQLSchemaHost, AuthenticationService],
          useFactory: (
            cfg: AppConfig,
            metrics: MetricsService,
            host: GraphQLSchemaHost,
            authn: AuthenticationService,
          ) => graphqlOptions(cfg, metrics, host, { context: buildGraphQLContext, onConnect: wsOnConnect(authn) }),
        }),
        OpsModule,
      );
    }
    if (roles.worker)
      imports.push(SystemJobsModule, ReportsJobsModule, LinkingJobsModule, StatsJobsModule, CasesJobsModule);
    if (roles.worker) imports.push(PaymentsJobsModule);
    return {
      module: AppModule,
      imports,
      providers: [{ provide: APP_PIPE, useClass: GraphQLValidationPipe }],
    };
  }
}
