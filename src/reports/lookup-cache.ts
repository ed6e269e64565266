import type Redis from 'ioredis';
import { ReportKeys } from './redis-keys';

/** Keys deleted per DEL command (an import round can touch thousands of identifiers). */
const DEL_CHUNK = 500;

/**
 * The `lookup` answer cache (`lookup:<identifier key>`, LOOKUP_CACHE_TTL_SECONDS). Whatever changes what a
 * lookup would answer forgets the identifiers it touched: a submitted report its identifiers (a lookup in the
 * moment between the submit and its counting then reads the store again), the indexer and the import counter
 * the identifiers whose counts they wrote. A person who has just reported a number and looks it up sees it.
 */
export class LookupCache {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ReportKeys,
  ) {}

  async forget(identifierKeys: readonly string[]): Promise<void> {
    for (let i = 0; i < identifierKeys.length; i += DEL_CHUNK)
      await this.redis.del(...identifierKeys.slice(i, i + DEL_CHUNK).map((k) => this.keys.lookupCache(k)));
  }
}
