import type Redis from 'ioredis';
import { ReportKeys } from './redis-keys';

/** Identifiers forgotten per pipeline (an import round can touch thousands). */
const FORGET_CHUNK = 500;

/**
 * The `lookup` answer cache (`lookup:<identifier key>`, LOOKUP_CACHE_TTL_SECONDS). Whatever changes what a
 * lookup would answer forgets the identifiers it touched: the indexer and the import counter the identifiers whose
 * counts they wrote (a submitted report changes no answer until it is indexed) — so a person who has just reported
 * a number and looks it up sees it once it is indexed.
 *
 * A lookup that read the store just before a count was written would put the old answer back after the
 * forget; so forgetting also bumps the identifier's generation (`lookup-gen:<key>`), an answer is cached with
 * the generation read before its store read, and a cached answer of another generation is not used.
 */
export class LookupCache<T extends object> {
  /** outlives every answer cached under it (a generation that expired reads as null: a mismatch, never a hit) */
  private readonly genTtlSeconds: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: ReportKeys,
    private readonly ttlSeconds: number,
  ) {
    this.genTtlSeconds = 2 * ttlSeconds + 60;
  }

  /** The cached answer of the identifier's current generation, and that generation (for `put`). */
  async get(identifierKey: string): Promise<{ answer?: T; gen: string | null }> {
    const [cached, gen] = await this.redis.mget(
      this.keys.lookupCache(identifierKey),
      this.keys.lookupGeneration(identifierKey),
    );
    if (cached === null) return { gen };
    const entry = JSON.parse(cached) as { gen?: string | null; answer?: T };
    return entry.answer && (entry.gen ?? null) === gen ? { answer: entry.answer, gen } : { gen };
  }

  async put(identifierKey: string, gen: string | null, answer: T): Promise<void> {
    if (this.ttlSeconds <= 0) return;
    await this.redis.set(this.keys.lookupCache(identifierKey), JSON.stringify({ gen, answer }), 'EX', this.ttlSeconds);
  }

  async forget(identifierKeys: readonly string[]): Promise<void> {
    for (let i = 0; i < identifierKeys.length; i += FORGET_CHUNK) {
      const pipe = this.redis.pipeline();
      for (const k of identifierKeys.slice(i, i + FORGET_CHUNK)) {
        const gen = this.keys.lookupGeneration(k);
        pipe.incr(gen).expire(gen, this.genTtlSeconds).del(this.keys.lookupCache(k));
      }
      await pipe.exec();
    }
  }
}
