/**
 * What every linking component derives from the config: the engine options (degree caps, warninglist) and the
 * Redis key names (namespaced by QUEUE_PREFIX, one namespace per deployment and per e2e test app).
 */
import type { AppConfig } from '../config/config';
import { warninglistLookup, type IdentifierKind } from '../identifiers';
import type { LinkingEngineOptions, NewLinkReport } from './engine';
import type { LinkableReportRecord } from '../reports/linked-reports.repository';

/** The identifier library's warninglist for an identifier key `${kind}:${value}`. */
export function isWarninglistedKey(key: string): boolean {
  const i = key.indexOf(':');
  if (i <= 0) return false;
  return warninglistLookup({ kind: key.slice(0, i) as IdentifierKind, value: key.slice(i + 1) }) !== undefined;
}

export function engineOptions(cfg: AppConfig): LinkingEngineOptions {
  return { caps: cfg.linking.degreeCaps, isWarninglisted: isWarninglistedKey };
}

export class LinkKeys {
  constructor(private readonly prefix: string) {}
  /** the one linking partition's lock */
  get lock(): string {
    return `${this.prefix}:link:lock`;
  }
  /** report ids waiting for a lock holder to link them (sorted set by arrival time: group commit, FIFO) */
  get pending(): string {
    return `${this.prefix}:link:pending`;
  }
  /** pub/sub channel: a holder released the lock (waiting jobs check their reports and try the lock) */
  get released(): string {
    return `${this.prefix}:link:released`;
  }
  /** report id -> why it cannot be linked (a report the engine refuses) */
  get failed(): string {
    return `${this.prefix}:link:failed`;
  }
  /** a paged caseGraph walk waiting for its next page (see GraphCursors) */
  graphWalk(token: string): string {
    return `${this.prefix}:graph:walk:${token}`;
  }
  /** reports linked per cluster on one UTC day (sorted set, 8-day expiry): the `growth` of a cluster */
  growth(day: string): string {
    return `${this.prefix}:link:growth:${day}`;
  }
}

/** yyyymmdd (UTC) of a date, `daysAgo` days back. */
export function utcDay(now: Date, daysAgo = 0): string {
  return new Date(now.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * A stored report as the engine's input. Edges: every stored identifier (warninglisted ones included — the
 * engine marks them WARNINGLISTED so they never link, and the graph shows them). Victim: the hashed reporter
 * contact (`c:<hash>`) when the reporter left one, so that one person's several reports count once; anonymous
 * submissions (keyed by client address) and imported records have none: each is its own victim (an address is
 * not a person), counted once with no victim document.
 */
export function toNewLinkReport(r: LinkableReportRecord): NewLinkReport {
  return {
    _id: r._id,
    identifierKeys: [...new Set(r.identifiers.map((i) => i.key))],
    summaryFacts: {
      lossFen: r.lossFen,
      ...(r.reporterKey.startsWith('c:') ? { victimKey: r.reporterKey } : {}),
      fraudType: r.fraudType,
      regionCode: r.regionCode,
      channel: r.channel,
      paymentMethod: r.paymentMethod ?? 'NONE',
      occurredAt: new Date(r.occurredAt).toISOString(),
    },
  };
}
