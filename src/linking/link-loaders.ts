import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { LinkCluster, LinkIdentifier, LinkReport } from './engine';
import { LinkEventsService } from './link-events.service';
import { LinkStoreRepository } from './link-store.repository';
import { LinkableReportRecord, LinkedReportsRepository } from '../reports/linked-reports.repository';

/**
 * The DataLoaders of ONE GraphQL operation: every field resolver that would read per parent (a report's
 * cluster, a cluster's identifiers, an identifier's clusters, growth…) goes through these, so a list of N
 * parents costs one batch of parallel primary-key reads per level, never N sequential round trips.
 * Request-scoped without making the resolvers request-scoped: `LinkLoaderFactory.for(context)` keeps one
 * instance per operation context object (a WeakMap; garbage-collected with the context).
 */
export class LinkLoaders {
  readonly linkReport: DataLoader<string, LinkReport | undefined>;
  readonly report: DataLoader<string, LinkableReportRecord | undefined>;
  readonly cluster: DataLoader<string, LinkCluster | undefined>;
  readonly identifier: DataLoader<string, LinkIdentifier | undefined>;
  readonly growth: DataLoader<string, number>;

  constructor(repo: LinkStoreRepository, reports: LinkedReportsRepository, events: LinkEventsService) {
    this.linkReport = new DataLoader(async (ids) => (await repo.getMany('reports', ids)) as (LinkReport | undefined)[]);
    this.report = new DataLoader((ids) => reports.findMany(ids));
    this.cluster = new DataLoader(async (ids) => (await repo.getMany('clusters', ids)) as (LinkCluster | undefined)[]);
    this.identifier = new DataLoader(
      async (keys) => (await repo.getMany('identifiers', keys)) as (LinkIdentifier | undefined)[],
    );
    this.growth = new DataLoader(async (ids) => {
      const g = await events.growthOf(ids);
      return ids.map((id) => g.get(id) ?? 0);
    });
  }

  /** Forget everything read so far (after a judgement changed the store within this operation). */
  clearAll(): void {
    this.linkReport.clearAll();
    this.cluster.clearAll();
    this.identifier.clearAll();
    this.growth.clearAll();
  }

  /** The live root of a cluster id (aliases followed, read-only); undefined for an unknown id. */
  async root(clusterId: string): Promise<LinkCluster | undefined> {
    let c = await this.cluster.load(clusterId);
    for (let hops = 0; c?.mergedInto !== undefined && hops < 10_000; hops++) c = await this.cluster.load(c.mergedInto);
    return c;
  }

  /** The live cluster of a report, or undefined when the report is not linked yet. */
  async clusterOfReport(reportId: string): Promise<LinkCluster | undefined> {
    const r = await this.linkReport.load(reportId);
    return r ? this.root(r.clusterId) : undefined;
  }
}

@Injectable()
export class LinkLoaderFactory {
  private readonly byContext = new WeakMap<object, LinkLoaders>();

  constructor(
    private readonly repo: LinkStoreRepository,
    private readonly reports: LinkedReportsRepository,
    private readonly events: LinkEventsService,
  ) {}

  /** The loaders of the operation whose GraphQL context is `ctx` (a fresh set when ctx is undefined). */
  for(ctx: object | undefined): LinkLoaders {
    if (!ctx) return new LinkLoaders(this.repo, this.reports, this.events);
    let l = this.byContext.get(ctx);
    if (!l) {
      l = new LinkLoaders(this.repo, this.reports, this.events);
      this.byContext.set(ctx, l);
    }
    return l;
  }
}
