import autocannon from 'autocannon';
import Bull from 'bull';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';

/** Raw driver insertMany into the store: `docs` 1 KB documents in batches of `batch`. Returns docs/s. */
export async function insertManyRate(
  mongoUri: string,
  docs = 50_000,
  batch = 1_000,
  collection = `bench_raw_${randomBytes(3).toString('hex')}`,
): Promise<number> {
  const conn = await mongoose.createConnection(mongoUri).asPromise();
  try {
    const coll = conn.collection(collection);
    const pad = 'x'.repeat(1024 - 80);
    const started = process.hrtime.bigint();
    for (let i = 0; i < docs; i += batch) {
      const chunk = [];
      for (let j = i; j < Math.min(docs, i + batch); j++)
        chunk.push({ _id: `doc:${j}` as never, n: j, at: new Date(), pad });
      await coll.insertMany(chunk, { ordered: false });
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await coll.drop().catch(() => undefined);
    return docs / seconds;
  } finally {
    await conn.close();
  }
}

/** Bull no-op jobs on the same Redis: add `jobs` in bulk and process them with `concurrency`. Returns jobs/s. */
export async function bullNoopRate(redisUrl: string, jobs = 20_000, concurrency = 50): Promise<number> {
  const queue = new Bull(`bench-noop-${randomBytes(3).toString('hex')}`, redisUrl, {
    prefix: 'bench',
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
  });
  try {
    let done = 0;
    const finished = new Promise<void>((resolve) => {
      void queue.process(concurrency, async () => {
        if (++done === jobs) setImmediate(resolve);
      });
    });
    const started = process.hrtime.bigint();
    for (let i = 0; i < jobs; i += 1000) {
      await queue.addBulk(Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({ data: { i: i + k } })));
    }
    await finished;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return jobs / seconds;
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}

export interface HttpFigures {
  requestsPerSecond: number;
  /** requests completed */
  requests: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** autocannon against POST /graphql with one fixed body. */
export async function graphqlLoad(
  url: string,
  body: object | (() => object),
  connections = 32,
  seconds = 10,
  headers: Record<string, string> = {},
): Promise<HttpFigures> {
  const make = typeof body === 'function' ? (body as () => object) : () => body;
  const result = await autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...headers },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(make()) }) }],
  });
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** The baseline query: static, public, no store access. */
export const STATIC_QUERY = { query: '{ fraudTypes { code labelZh } }' };
