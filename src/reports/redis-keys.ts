/**
 * Every Redis key of the reports feature, namespaced by QUEUE_PREFIX (one namespace per deployment, and per
 * e2e test file).
 */
export class ReportKeys {
  constructor(private readonly prefix: string) {}

  lock(identifierKey: string): string {
    return `${this.prefix}:lock:ident:${identifierKey}`;
  }

  repeat(reporterKey: string, identifiersHash: string): string {
    return `${this.prefix}:repeat:${reporterKey}:${identifiersHash}`;
  }

  lookupCache(identifierKey: string): string {
    return `${this.prefix}:lookup:${identifierKey}`;
  }

  /** Bumped whenever the identifier's counts change (LookupCache). */
  lookupGeneration(identifierKey: string): string {
    return `${this.prefix}:lookup-gen:${identifierKey}`;
  }

  /** Lookups of one identifier on one UTC day (yyyymmdd). */
  lookupCount(identifierKey: string, day: string): string {
    return `${this.prefix}:lookups:${identifierKey}:${day}`;
  }

  rateLimitPrefix(name: string): string {
    return `${this.prefix}:rl:${name}`;
  }
}
