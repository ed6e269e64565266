import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule, ProcessRoles } from './app.module';
import { installBodyParsers } from './common/graphql/body-parsers';
import { AppConfig } from './config/config';
import { withQueryTimeLimit } from './database/query-time-limit';

/** Builds the API application exactly as `main.ts` serves it (tests boot this same function). */
export async function createApiApp(
  cfg: AppConfig,
  roles: ProcessRoles = { api: true, worker: cfg.worker.inApi },
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(cfg, roles), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // TRUST_PROXY (default off: req.ip is the socket's peer). Behind a reverse proxy set the proxy's hop count or
  // addresses, or every client shares the proxy's address — and its rate limits and login lockout. Never
  // `true` on a directly reachable server: X-Forwarded-For would be the client's to forge.
  app.set('trust proxy', cfg.trustProxy);
  installBodyParsers(app, cfg.http.bodyLimit);
  // after the body parsers, whose stream callbacks would run outside the request's context
  app.use((_req: unknown, _res: unknown, next: () => void) => withQueryTimeLimit(cfg.mongo.queryTimeoutMs, next));
  return app;
}
