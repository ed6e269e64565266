import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const stores = globalThis.__SIQIAN_E2E_STORES__;
  if (!stores) return;
  await stores.stop();
  rmSync(stores.dataDir, { recursive: true, force: true });
}
