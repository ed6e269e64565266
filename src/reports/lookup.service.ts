import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { identifierKey, normalizeIdentifier, warninglistLookup } from '../identifiers';
import { FraudType } from '../reference/enums';
import { AbuseLimits } from './abuse-limits';
import { DatePrecision, IdentifierKind, RiskLevel } from './enums';
import { IdentifierStatsRepository } from './identifier-stats.repository';
import { LookupCache } from './lookup-cache';
import { LookupResult } from './models/report.models';
import { Language, Notice, notices, textOf } from './notices';
import { monthInShanghai, startInShanghai } from './public-dates';
import { ReportKeys } from './redis-keys';
import { notAnIdentifier } from './reports.errors';
import { REPORTS_REDIS } from './reports-redis';
import { countBand, RISK_HALF_LIFE_DAYS, riskLevel } from './risk';

/** Daily lookup counters are kept this long (investigators read the spikes later). */
const LOOKUP_COUNT_TTL_SECONDS = 40 * 86_400;

interface CachedAnswer {
  riskLevel: RiskLevel;
  reportCountBand: string;
  fraudTypes: FraudType[];
  /** already coarse (see coarseDates) */
  firstReportedAt: string | null;
  lastReportedAt: string | null;
  reportedAtPrecision: DatePrecision | null;
  /** the risk when the latest report came in, when decay has lowered it since (the RISK_DECAYED note) */
  riskThen?: RiskLevel;
  /** month of the latest report (Asia/Shanghai), for that note */
  lastMonth?: string;
}

const RANK: Record<RiskLevel, number> = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CONFIRMED: 4 };

/**
 * `lookup`: normalise (a value that is no identifier is refused: BAD_USER_INPUT, reason NOT_AN_IDENTIFIER, with
 * `identifierReason`); a warninglisted value answers NONE with its note and reads nothing; otherwise the
 * Redis cache `lookup:<key>` (LOOKUP_CACHE_TTL_SECONDS; forgotten when a report or an import changes the
 * identifier, LookupCache), else one `_id` read of identifier_stats. Every lookup of a recognised identifier
 * increments `lookups:<key>:<yyyymmdd>` in Redis (never a store write).
 *
 * Privacy: dates are the start of their month below k reporters, of their day from k on (public-dates.ts);
 * with an exact time and a band of "<5", first = last would tell a scammer which call was reported.
 */
@Injectable()
export class LookupService {
  private readonly keys: ReportKeys;
  private readonly limits: AbuseLimits;
  private readonly cache: LookupCache<CachedAnswer>;

  constructor(
    private readonly stats: IdentifierStatsRepository,
    private readonly cipher: PiiCipher,
    @Inject(REPORTS_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {
    this.keys = new ReportKeys(cfg.queue.prefix);
    this.limits = new AbuseLimits(redis, this.keys, cfg.reports);
    this.cache = new LookupCache(redis, this.keys, cfg.reports.lookupCacheTtlSeconds);
  }

  async lookup(
    value: string,
    kind: IdentifierKind | undefined | null,
    clientIp: string | undefined,
    lang: Language,
  ): Promise<LookupResult> {
    await this.limits.lookupByIp(`ip:${this.cipher.keyedHash(clientIp ?? 'unknown', 'client-ip').slice(0, 32)}`);
    const n = normalizeIdentifier({ kind: kind ?? undefined, value });
    // a value it cannot read gets no risk at all ("NONE" would read as "checked, not reported")
    if (!n.ok) throw notAnIdentifier(n.reason);
    const id = n.identifier;
    const identifier = { kind: id.kind as IdentifierKind, value: id.value, display: id.display };
    const key = identifierKey(id.kind, id.value);
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const countKey = this.keys.lookupCount(key, day);
    const listed = warninglistLookup(id);
    if (listed) {
      await this.redis.pipeline().incr(countKey).expire(countKey, LOOKUP_COUNT_TTL_SECONDS).exec();
      return { ...EMPTY, identifier, ...noteOf(notices.officialIdentifier(listed.note, listed.noteEn), lang) };
    }
    const [cached] = await Promise.all([
      this.cache.get(key),
      this.redis.pipeline().incr(countKey).expire(countKey, LOOKUP_COUNT_TTL_SECONDS).exec(),
    ]);
    let answer = cached.answer;
    if (!answer) {
      answer = await this.compute(key);
      await this.cache.put(key, cached.gen, answer);
    }
    return {
      identifier,
      riskLevel: answer.riskLevel,
      reportCountBand: answer.reportCountBand,
      fraudTypes: answer.fraudTypes,
      firstReportedAt: answer.firstReportedAt ? new Date(answer.firstReportedAt) : null,
      lastReportedAt: answer.lastReportedAt ? new Date(answer.lastReportedAt) : null,
      reportedAtPrecision: answer.reportedAtPrecision,
      ...noteOf(
        answer.riskThen && answer.lastMonth
          ? notices.riskDecayed(
              answer.reportCountBand,
              answer.lastMonth,
              answer.riskThen,
              answer.riskLevel,
              RISK_HALF_LIFE_DAYS,
            )
          : null,
        lang,
      ),
    };
  }

  private async compute(key: string): Promise<CachedAnswer> {
    const s = await this.stats.find(key);
    if (!s) return { ...EMPTY_ANSWER };
    const fraudTypes = Object.entries(s.fraudTypes)
      .filter(([t, n]) => n > 0 && (Object.values(FraudType) as string[]).includes(t))
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([t]) => t as FraudType);
    const now = riskLevel(s, new Date());
    const then = riskLevel(s, s.lastReportedAt);
    const precision = s.reporterCount < this.cfg.reports.kAnonymity ? DatePrecision.MONTH : DatePrecision.DAY;
    const answer: CachedAnswer = {
      riskLevel: now,
      reportCountBand: countBand(s.reporterCount, this.cfg.reports.kAnonymity),
      fraudTypes,
      firstReportedAt: startInShanghai(s.firstReportedAt, precision).toISOString(),
      lastReportedAt: startInShanghai(s.lastReportedAt, precision).toISOString(),
      reportedAtPrecision: precision,
    };
    if (RANK[then] > RANK[now]) {
      answer.riskThen = then;
      answer.lastMonth = monthInShanghai(s.lastReportedAt);
    }
    return answer;
  }
}

const noteOf = (n: Notice | null, lang: Language): Pick<LookupResult, 'note' | 'notice'> =>
  n ? { note: textOf(n, lang), notice: n } : { note: null, notice: null };

const EMPTY_ANSWER: CachedAnswer = {
  riskLevel: RiskLevel.NONE,
  reportCountBand: '0',
  fraudTypes: [],
  firstReportedAt: null,
  lastReportedAt: null,
  reportedAtPrecision: null,
};
const EMPTY: Omit<LookupResult, 'identifier'> = {
  riskLevel: RiskLevel.NONE,
  reportCountBand: '0',
  fraudTypes: [],
  firstReportedAt: null,
  lastReportedAt: null,
  reportedAtPrecision: null,
  note: null,
  notice: null,
};
