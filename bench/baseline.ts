import { bullNoopRate, graphqlLoad, insertManyRate, STATIC_QUERY } from './lib/baselines';
import { machine, printFigures } from './lib/report';
import { startServer } from './lib/server';
import { benchStores } from './lib/stores';

/**
 * `npm run bench:baseline`: the reference figures later benchmarks divide by, all measured in this one run
 * on this machine: raw insertMany into the store, Bull no-op jobs on the same Redis, and a static GraphQL
 * query through the API's own HTTP stack.
 */
async function main(): Promise<void> {
  const stores = await benchStores();
  console.log(`baseline on ${machine()}; store: ${stores.kind}`);
  try {
    const insert = await insertManyRate(stores.mongoUri, 50_000, 1_000);
    const bull = await bullNoopRate(stores.redisUrl, 20_000, 50);
    const server = await startServer(stores.mongoUri, stores.redisUrl);
    let http;
    try {
      await graphqlLoad(server.url, STATIC_QUERY, 32, 2); // warm-up
      http = await graphqlLoad(server.url, STATIC_QUERY, 32, 10);
    } finally {
      await server.stop();
    }
    printFigures('baseline', [
      {
        name: 'insertMany (1 KB docs, batches of 1,000)',
        value: insert,
        unit: 'docs/s',
        note: '50,000 docs, raw driver',
      },
      { name: 'Bull no-op jobs (concurrency 50)', value: bull, unit: 'jobs/s', note: '20,000 jobs, add + process' },
      {
        name: 'static GraphQL query (c=32)',
        value: http.requestsPerSecond,
        unit: 'req/s',
        note: `p50 ${http.p50Ms} ms, p99 ${http.p99Ms} ms, errors ${http.errors}, non-2xx ${http.non2xx}`,
      },
    ]);
    if (http.errors > 0 || http.non2xx > 0) process.exitCode = 1;
  } finally {
    await stores.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
