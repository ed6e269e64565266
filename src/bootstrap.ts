import { ConfigError, AppConfig, loadConfig } from './config/config';
import { EmbeddedStoreError, EmbeddedStores, ensureEmbeddedStores } from './embedded/embedded-stores';
import { setIdentifierMemoSize } from './identifiers/memo';

/** What every entry point (API, worker, CLI) needs before Nest boots: the config and, if embedded, the stores. */
export interface Runtime {
  cfg: AppConfig;
  stores?: EmbeddedStores;
}

/**
 * Validates the config (exiting with one line naming the variable on error), sizes the identifier memo and, in
 * embedded mode, finds or starts the embedded stores and points the config at them.
 */
export async function prepareRuntime(
  log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`),
): Promise<Runtime> {
  let cfg: AppConfig;
  try {
    cfg = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) exitWith(e.message);
    throw e;
  }
  setIdentifierMemoSize(cfg.identifiers.memoSize);
  if (!cfg.embedded) return { cfg };
  if (cfg.secrets.generated) {
    log(
      `warning: JWT_SECRET / PII_ENCRYPTION_KEY not set: using secrets generated into ${cfg.dataDir}/secrets.json (embedded development mode only)`,
    );
  }
  try {
    const stores = await ensureEmbeddedStores({
      dataDir: cfg.dataDir,
      ferretdbBin: cfg.bins.ferretdb,
      redisServerBin: cfg.bins.redisServer,
      log,
    });
    cfg.mongo.uri = stores.mongoUri;
    cfg.redis.url = stores.redisUrl;
    return { cfg, stores };
  } catch (e) {
    if (e instanceof EmbeddedStoreError) exitWith(`error: ${e.message}`);
    throw e;
  }
}

function exitWith(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

/**
 * Runs `stop` once on SIGTERM/SIGINT, then exits; a second signal or the timeout forces the exit.
 */
export function onShutdownSignal(timeoutMs: number, stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    setTimeout(() => {
      process.stderr.write(`shutdown took longer than ${timeoutMs} ms; exiting\n`);
      process.exit(1);
    }, timeoutMs).unref();
    stop(signal).then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`shutdown failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
