import 'reflect-metadata';
import { onShutdownSignal, prepareRuntime } from './bootstrap';

/** API process: HTTP + WebSocket. In embedded mode (or WORKER_IN_API=true) it also runs the queue workers. */
async function bootstrap(): Promise<void> {
  const { cfg, stores } = await prepareRuntime();
  // Loaded after the config is known good: a bad variable exits at once, without loading Nest.
  const { createApiApp } = await import('./app.factory');
  const { Logger } = await import('nestjs-pino');
  const app = await createApiApp(cfg);
  const logger = app.get(Logger);
  onShutdownSignal(cfg.http.shutdownTimeoutMs + 5_000, async (signal) => {
    logger.log(`${signal}: stopping (finishing active jobs, closing connections)`);
    await app.close();
    await stores?.stop();
  });
  await app.listen(cfg.http.port, cfg.http.host);
  const host = cfg.http.host === '0.0.0.0' ? 'localhost' : cfg.http.host;
  const where = cfg.embedded ? `embedded mode, data in ${cfg.dataDir}` : 'external MongoDB and Redis';
  const worker = cfg.worker.inApi ? 'in this process' : 'separate';
  logger.log(`siqian ${cfg.version} serving http://${host}:${cfg.http.port}/graphql (${where}; worker ${worker})`);
}

void bootstrap();
