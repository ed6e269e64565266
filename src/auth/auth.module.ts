import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import type Redis from 'ioredis';
import { AuditModule } from '../audit/audit.module';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { UsersModule } from '../users/users.module';
import { AccessTokens } from './access-token';
import { AuthGuard } from './auth.guard';
import { AuthRepository } from './auth.repository';
import { AuthResolver } from './auth.resolver';
import { AuthService, LOGIN_THROTTLE } from './auth.service';
import { AuthenticationService } from './authentication.service';
import { LivePrincipals } from './live-principals';
import { LoginThrottle } from './login-throttle';
import {
  RefreshTokenDoc,
  RefreshTokenSchema,
  RefreshTokenUseDoc,
  RefreshTokenUseSchema,
  RevokedSessionDoc,
  RevokedSessionSchema,
} from './refresh-token.schema';
import { SessionRevocations } from './session-revocations';

/**
 * Staff authentication: login, token rotation, logout, the global default-deny guard, and the WebSocket
 * connection check (AuthenticationService, injected into the GraphQL options).
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: RefreshTokenDoc.name, schema: RefreshTokenSchema },
      { name: RefreshTokenUseDoc.name, schema: RefreshTokenUseSchema },
      { name: RevokedSessionDoc.name, schema: RevokedSessionSchema },
    ]),
    UsersModule,
    AuditModule,
  ],
  providers: [
    AuthRepository,
    SessionRevocations,
    AuthenticationService,
    LivePrincipals,
    AuthService,
    AuthResolver,
    {
      provide: AccessTokens,
      inject: [APP_CONFIG],
      useFactory: (cfg: AppConfig) => new AccessTokens(cfg.secrets.jwtSecret, cfg.auth.accessTokenTtlSeconds),
    },
    {
      provide: LOGIN_THROTTLE,
      inject: [APP_CONFIG, REDIS],
      useFactory: (cfg: AppConfig, redis: Redis) =>
        new LoginThrottle(redis, {
          prefix: cfg.queue.prefix,
          maxFailures: cfg.auth.loginMaxFailures,
          lockSeconds: cfg.auth.loginLockSeconds,
          ipMaxFailures: cfg.auth.loginIpMaxFailures,
          delaySeconds: cfg.auth.loginDelaySeconds,
          maxDelaySeconds: cfg.auth.loginMaxDelaySeconds,
          knownAddressDays: cfg.auth.loginKnownAddressDays,
        }),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthenticationService, LivePrincipals],
})
export class AuthModule {}
