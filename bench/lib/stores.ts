import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config/config';
import { ensureEmbeddedStores } from '../../src/embedded/embedded-stores';

export interface BenchStores {
  mongoUri: string;
  redisUrl: string;
  /** 'ferretdb' for the embedded store, 'external' when MONGODB_URI/REDIS_URL were given. */
  kind: 'ferretdb' | 'external';
  /** The embedded store processes (FerretDB, redis-server); none for external stores. */
  pids: number[];
  stop(): Promise<void>;
}

/** Fresh embedded stores in a temp dir (or MONGODB_URI/REDIS_URL when both are set), like the e2e suite. */
export async function benchStores(): Promise<BenchStores> {
  if (process.env.MONGODB_URI && process.env.REDIS_URL) {
    return {
      mongoUri: process.env.MONGODB_URI,
      redisUrl: process.env.REDIS_URL,
      kind: 'external',
      pids: [],
      stop: async () => undefined,
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'siqian-bench-'));
  const stores = await ensureEmbeddedStores({
    dataDir,
    ferretdbBin: process.env.FERRETDB_BIN ?? join(PROJECT_ROOT, '.bin', 'siqian-ferretdb'),
    redisServerBin: process.env.REDIS_SERVER_BIN ?? 'redis-server',
  });
  return {
    mongoUri: stores.mongoUri,
    redisUrl: stores.redisUrl,
    kind: 'ferretdb',
    pids: [stores.pids.ferretdb, stores.pids.redis],
    stop: async () => {
      await stores.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
