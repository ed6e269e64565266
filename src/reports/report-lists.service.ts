import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type Redis from 'ioredis';
import { Collection, Document } from 'mongodb';
import { Model } from 'mongoose';
import type { Scope } from '../auth/scope';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { fillInBatches, ListBuilds } from '../store/list-builds';
import { IndexedEntry, ListIndex, Placement } from '../store/list-index';
import { ReportDoc } from './report.schema';

export const REPORT_LIST = 'reports';

/** The fields of a report its list keys are made of (a report is never updated: report.schema.ts). */
export type ListedReport = Pick<ReportDoc, '_id' | 'regionCode' | 'source' | 'fraudType'>;

export interface ReportListQuery {
  source?: string;
  regionCode?: string;
  fraudType?: string;
}

/** Reports read per batch while a build scans the collection. */
const BUILD_BATCH = 5_000;

/**
 * The staff `reports` list on the list index (src/store/list-index.ts), in `_id` order: one key per region and
 * per region × source, region × fraud type and region × source × fraud type, so every filter combination of the
 * page is one key per region of the user's scope (regions are disjoint: counts add up). A report is added by
 * its `report.index` job (public reports; retried until done) or by the import that inserts it (and again by a
 * dead run's recovery); `siqian reindex reports` rebuilds the list from the collection.
 */
@Injectable()
export class ReportLists {
  readonly builds: ListBuilds;
  private readonly index: ListIndex;
  private readonly regionsKey: string;

  constructor(
    @InjectModel(ReportDoc.name) private readonly reports: Model<ReportDoc>,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    const ns = `${cfg.queue.prefix}:li`;
    this.index = new ListIndex(redis, ns);
    this.regionsKey = `${ns}:${REPORT_LIST}:regions`;
    this.builds = new ListBuilds(this.index, REPORT_LIST, (index, p) => this.fill(index, p));
  }

  private get coll(): Collection<Document> {
    return this.reports.collection;
  }

  /** Adds reports to the list (idempotent). */
  async add(reports: readonly ListedReport[], index = this.index): Promise<void> {
    if (reports.length === 0) return;
    const regions = [...new Set(reports.map((r) => r.regionCode))];
    await this.redis.sadd(this.regionsKey, ...regions);
    await index.add(
      REPORT_LIST,
      reports.map((r) => ({ id: r._id, placement: placementOf(r) })),
    );
  }

  /**
   * A page of report ids for `scope`'s regions (already widened to the shared ones by the caller; ALL: every
   * region the list holds) and the filter, after the id `after`, and the total.
   */
  async page(
    scope: Scope,
    q: ReportListQuery,
    limit: number,
    after: string | undefined,
  ): Promise<{ entries: IndexedEntry[]; hasMore: boolean; total: number }> {
    const regions = await this.regionsOf(scope, q.regionCode);
    const keys = regions.map((g) => keyOf(g, q));
    const [page, total] = await Promise.all([
      this.index.page(REPORT_LIST, { keys, limit, after }, false),
      this.index.count(REPORT_LIST, keys, {}, true),
    ]);
    return { ...page, total };
  }

  private async regionsOf(scope: Scope, regionCode: string | undefined): Promise<string[]> {
    if (scope.kind === 'ALL') return regionCode ? [regionCode] : (await this.redis.smembers(this.regionsKey)).sort();
    const mine = [...scope.unitCodes];
    return regionCode ? mine.filter((g) => g === regionCode) : mine;
  }

  /** The build's scan: every report's list fields, in batches. */
  private fill(index: ListIndex, onProgress?: (n: number) => void): Promise<number> {
    const cursor = this.coll.find(
      {},
      { projection: { _id: 1, regionCode: 1, source: 1, fraudType: 1 }, batchSize: BUILD_BATCH },
    ) as unknown as AsyncIterable<ListedReport>;
    return fillInBatches(cursor, BUILD_BATCH, (batch) => this.add(batch, index), onProgress);
  }
}

function placementOf(r: ListedReport): Placement {
  const g = r.regionCode;
  return {
    keys: [g, `${g}:s:${r.source}`, `${g}:f:${r.fraudType}`, `${g}:sf:${r.source}:${r.fraudType}`],
  };
}

function keyOf(region: string, q: ReportListQuery): string {
  if (q.source && q.fraudType) return `${region}:sf:${q.source}:${q.fraudType}`;
  if (q.source) return `${region}:s:${q.source}`;
  if (q.fraudType) return `${region}:f:${q.fraudType}`;
  return region;
}
