import 'reflect-metadata';
import { onShutdownSignal, prepareRuntime } from './bootstrap';

/** Queue-worker process: the same modules with the worker role and no HTTP listener. */
async function bootstrap(): Promise<void> {
  const { cfg, stores } = await prepareRuntime();
  const { NestFactory } = await import('@nestjs/core');
  const { Logger } = await import('nestjs-pino');
  const { AppModule } = await import('./app.module');
  const app = await NestFactory.createApplicationContext(AppModule.register(cfg, { api: false, worker: true }), {
    bufferLogs: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  onShutdownSignal(cfg.http.shutdownTimeoutMs + 5_000, async (signal) => {
    logger.log(`${signal}: worker stopping (finishing active jobs)`);
    await app.close();
    await stores?.stop();
  });
  await app.init();
  logger.log(
    `siqian worker ${cfg.version} running (${cfg.embedded ? `embedded mode, data in ${cfg.dataDir}` : 'external MongoDB and Redis'})`,
  );
}

void bootstrap();
