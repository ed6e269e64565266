import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { identifierKey, normalizeIdentifier, warninglistLookup } from '../identifiers';
import { FraudType } from '../reference/enums';
import { AbuseLimits } from './abuse-limits';
import { IdentifierKind, RiskLevel } from './enums';
import { IdentifierStatsRepository } from './identifier-stats.repository';
import { LookupResult } from './models/report.models';
import { ReportKeys } from './redis-keys';
import { notAnIdentifier } from './reports.errors';
import { REPORTS_REDIS } from './reports-redis';
import { countBand, riskLevel } from './risk';

/** Daily lookup counters are kept this long (investigators read the spikes later). */
const LOOKUP_COUNT_TTL_SECONDS = 40 * 86_400;

interface CachedAnswer {
  riskLevel: RiskLevel;
  reportCountBand: string;
  fraudTypes: FraudType[];
  firstReportedAt: string | null;
  lastReportedAt: string | null;
}

/**
 * `lookup`: normalise (a value that is no identifier is refused: BAD_USER_INPUT, reason NOT_AN_IDENTIFIER, with
 * `identifierReason`); a warninglisted value answers NONE with its note and reads nothing; otherwise the
 * Redis cache `lookup:<key>` (LOOKUP_CACHE_TTL_SECONDS), else one `_id` read of identifier_stats. Every lookup
 * of a recognised identifier increments `lookups:<key>:<yyyymmdd>` in Redis (never a store write).
 */
@Injectable()
export class LookupService {
  private readonly keys: ReportKeys;
  private readonly limits: AbuseLimits;

  constructor(
    private readonly stats: IdentifierStatsRepository,
    private readonly cipher: PiiCipher,
    @Inject(REPORTS_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {
    this.keys = new ReportKeys(cfg.queue.prefix);
    this.limits = new AbuseLimits(redis, this.keys, cfg.reports);
  }

  async lookup(
    value: string,
    kind: IdentifierKind | undefined | null,
    clientIp: string | undefined,
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
      return { ...EMPTY, identifier, note: `${listed.note} (${listed.noteEn})` };
    }
    const cacheKey = this.keys.lookupCache(key);
    const res = await this.redis
      .pipeline()
      .incr(countKey)
      .expire(countKey, LOOKUP_COUNT_TTL_SECONDS)
      .get(cacheKey)
      .exec();
    const cached = res?.[2]?.[1];
    let answer: CachedAnswer;
    if (typeof cached === 'string') {
      answer = JSON.parse(cached) as CachedAnswer;
    } else {
      answer = await this.compute(key);
      if (this.cfg.reports.lookupCacheTtlSeconds > 0) {
        await this.redis.set(cacheKey, JSON.stringify(answer), 'EX', this.cfg.reports.lookupCacheTtlSeconds);
      }
    }
    return {
      identifier,
      riskLevel: answer.riskLevel,
      reportCountBand: answer.reportCountBand,
      fraudTypes: answer.fraudTypes,
      firstReportedAt: answer.firstReportedAt ? new Date(answer.firstReportedAt) : null,
      lastReportedAt: answer.lastReportedAt ? new Date(answer.lastReportedAt) : null,
      note: null,
    };
  }

  private async compute(key: string): Promise<CachedAnswer> {
    const s = await this.stats.find(key);
    if (!s) return { ...EMPTY_ANSWER };
    const fraudTypes = Object.entries(s.fraudTypes)
      .filter(([t, n]) => n > 0 && (Object.values(FraudType) as string[]).includes(t))
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([t]) => t as FraudType);
    return {
      riskLevel: riskLevel(s, new Date()),
      reportCountBand: countBand(s.reporterCount, this.cfg.reports.kAnonymity),
      fraudTypes,
      firstReportedAt: s.firstReportedAt.toISOString(),
      lastReportedAt: s.lastReportedAt.toISOString(),
    };
  }
}

const EMPTY_ANSWER: CachedAnswer = {
  riskLevel: RiskLevel.NONE,
  reportCountBand: '0',
  fraudTypes: [],
  firstReportedAt: null,
  lastReportedAt: null,
};
const EMPTY = {
  riskLevel: RiskLevel.NONE,
  reportCountBand: '0',
  fraudTypes: [],
  firstReportedAt: null,
  lastReportedAt: null,
};
