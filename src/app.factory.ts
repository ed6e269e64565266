import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule, ProcessRoles } from './app.module';
import { installBodyParsers } from './common/graphql/body-parsers';
import { AppConfig } from './config/config';

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
  installBodyParsers(app, cfg.http.bodyLimit);
  return app;
}
