/**
 * `npm run test:concurrency`: two API and two worker processes ingest 20,000 synthetic reports at once
 * (LINK_CONCURRENCY_REPORTS to change), then `siqian recluster --verify` must find no difference. Uses
 * MONGODB_URI / REDIS_URL when both are set, otherwise fresh embedded stores in a temp dir. Exits 1 on a
 * difference.
 */
import { benchStores } from '../bench/lib/stores';
import { runLinkingLoad } from './support/linking-load';

async function main(): Promise<void> {
  const reports = Number(process.env.LINK_CONCURRENCY_REPORTS ?? 20_000);
  const stores = await benchStores();
  const started = Date.now();
  try {
    const log = (l: string) => process.stdout.write(`${l}\n`);
    log(`test:concurrency — ${reports} reports through 2 API + 2 worker processes (${stores.kind} store)`);
    const r = await runLinkingLoad({
      mongoUri: stores.mongoUri,
      redisUrl: stores.redisUrl,
      reports,
      concurrency: 32,
      log,
    });
    log(`total ${((Date.now() - started) / 1000).toFixed(1)} s; verify exit code ${r.verifyExitCode}`);
    log(r.verifyExitCode === 0 && r.linked === reports ? 'PASS: no difference' : 'FAIL');
    process.exitCode = r.verifyExitCode === 0 && r.linked === reports ? 0 : 1;
  } finally {
    await stores.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
