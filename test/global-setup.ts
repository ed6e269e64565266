import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/config/config';
import { EmbeddedStores, ensureEmbeddedStores, redisPing } from '../src/embedded/embedded-stores';

declare global {
  var __SIQIAN_E2E_STORES__: EmbeddedStores | undefined;
}

/**
 * Starts the real stores for the e2e suite: a FerretDB launcher and a redis-server on free ports with a temp
 * data dir — or, when MONGODB_URI and REDIS_URL are set, uses those (and fails fast if Redis does not answer,
 * rather than letting ioredis retry forever).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI && process.env.REDIS_URL) {
    if (!(await redisPing(process.env.REDIS_URL, 3000))) {
      throw new Error(`REDIS_URL=${process.env.REDIS_URL} does not answer PING; start Redis or unset REDIS_URL`);
    }
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'siqian-e2e-'));
  const stores = await ensureEmbeddedStores({
    dataDir,
    ferretdbBin: process.env.FERRETDB_BIN ?? join(PROJECT_ROOT, '.bin', 'siqian-ferretdb'),
    redisServerBin: process.env.REDIS_SERVER_BIN ?? 'redis-server',
  });
  process.env.MONGODB_URI = stores.mongoUri;
  process.env.REDIS_URL = stores.redisUrl;
  process.env.SIQIAN_E2E_DATA_DIR = dataDir;
  globalThis.__SIQIAN_E2E_STORES__ = stores;
}
