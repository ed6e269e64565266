import { graphqlLoad, STATIC_QUERY } from './lib/baselines';
import { machine, printFigures, verdict } from './lib/report';
import { startServer } from './lib/server';
import { benchStores } from './lib/stores';

/**
 * `npm run bench:submit`: submitReport over HTTP at concurrency 32 (every request a different report: new
 * phone numbers, cards and narratives, so no cache or repeat short-cut is measured), next to the static-query
 * baseline measured against the same server in the same run. Goal: ratio >= 0.3. Rate limits are raised.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SUBMIT = `mutation($input: SubmitReportInput!) { submitReport(input: $input) { trackingCode status } }`;

let n = 0;
function nextReport(): object {
  n++;
  const phone = `139${String(10_000_000 + ((n * 7919) % 89_999_999)).padStart(8, '0')}`;
  const card = `6222${String(100_000_000_000 + n).padStart(15, '0')}`;
  return {
    query: SUBMIT,
    variables: {
      input: {
        fraudType: ['FAKE_LOAN', 'ORDER_BRUSHING', 'FAKE_INVESTMENT'][n % 3],
        channel: 'PHONE_CALL',
        occurredAt: new Date(Date.now() - (n % 700) * 86_400_000).toISOString(),
        regionCode: `DG${String(1 + (n % 33)).padStart(2, '0')}`,
        identifiers: [
          { kind: 'PHONE', value: phone },
          { kind: 'BANK_ACCOUNT', value: card },
        ],
        narrative: `对方自称客服，让我转账到 ${card}，联系电话 ${phone}，网址 https://loan-${n % 500}.top/app`,
        loss: `${(n * 37) % 100_000}.${String(n % 100).padStart(2, '0')}`,
        ...(n % 3 === 0 ? { reporterContact: `1380000${String(n % 10_000).padStart(4, '0')}` } : {}),
      },
    },
  };
}

async function main(): Promise<void> {
  const stores = await benchStores();
  console.log(
    `bench:submit on ${machine()}; store: ${stores.kind}; ${SECONDS} s per measurement, c=32; worker in API: ${process.env.BENCH_WORKER_IN_API ?? 'true'}`,
  );
  const server = await startServer(stores.mongoUri, stores.redisUrl, {
    SUBMIT_RATE_PER_IP: '1000000000',
    SUBMIT_RATE_PER_REPORTER: '1000000000',
    LOOKUP_RATE_PER_IP: '1000000000',
    // BENCH_WORKER_IN_API=false: the receipt path alone (index/link jobs queue up for a separate worker)
    WORKER_IN_API: process.env.BENCH_WORKER_IN_API ?? 'true',
  });
  try {
    // sanity: the generated reports are accepted (autocannon counts HTTP statuses, not GraphQL errors)
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(nextReport()),
      });
      const body = (await res.json()) as { data?: { submitReport?: { trackingCode: string } }; errors?: unknown };
      if (!body.data?.submitReport?.trackingCode)
        throw new Error(`submitReport refused the bench input: ${JSON.stringify(body)}`);
    }
    await graphqlLoad(server.url, STATIC_QUERY, 32, 2); // warm-up
    const baseline = await graphqlLoad(server.url, STATIC_QUERY, 32, SECONDS);
    await graphqlLoad(server.url, nextReport, 32, 2); // warm-up
    const submit = await graphqlLoad(server.url, nextReport, 32, SECONDS);
    const ratio = submit.requestsPerSecond / baseline.requestsPerSecond;
    printFigures('submitReport over HTTP', [
      {
        name: 'submitReport (c=32)',
        value: submit.requestsPerSecond,
        unit: 'req/s',
        note: `p50 ${submit.p50Ms} ms, p99 ${submit.p99Ms} ms, errors ${submit.errors}, non-2xx ${submit.non2xx}`,
      },
      {
        name: 'static query baseline (c=32)',
        value: baseline.requestsPerSecond,
        unit: 'req/s',
        note: `p50 ${baseline.p50Ms} ms, p99 ${baseline.p99Ms} ms`,
      },
      { name: 'ratio submit / static', value: ratio, unit: 'x', note: verdict(ratio, 0.3, '>=') },
    ]);
    if (submit.errors > 0 || submit.non2xx > 0) process.exitCode = 1;
  } finally {
    await server.stop();
    await stores.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
