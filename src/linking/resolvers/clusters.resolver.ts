import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentUser, ReqMeta, Roles } from '../../auth/decorators';
import { RequestMeta, StaffPrincipal } from '../../auth/principal';
import { Role } from '../../auth/roles';
import { scopeFor } from '../../auth/scope';
import { ClustersArgs, ClusterUpdatedArgs, LinkReportsArgs, PageArgs } from '../dto/linking.args';
import { ReportLinksService } from '../report-links.service';
import { ClusterStreamService } from '../cluster-stream.service';
import { LinkLoaderFactory } from '../link-loaders';
import { IdentifierQueryService } from '../identifier-query.service';
import { LinkQueryService } from '../link-query.service';
import { ClusterEvent } from '../models/cluster-event.model';
import { Cluster, ClusterConnection, Identifier, ReportConnection } from '../models/linking.models';
import { IdArgs } from '../../common/graphql/id.args';
import { connectionCost } from '../../common/graphql/cost';

/** Clusters (staff): transport only. */
@Resolver(() => Cluster)
export class ClustersResolver {
  constructor(
    private readonly query: LinkQueryService,
    private readonly identifierQuery: IdentifierQueryService,
    private readonly links: ReportLinksService,
    private readonly streams: ClusterStreamService,
    private readonly loaders: LinkLoaderFactory,
  ) {}

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Query(() => Cluster, {
    nullable: true,
    description:
      'A cluster by id. An id merged into another resolves to the surviving cluster; null for an unknown or split cluster. Visible when any of its reports is of your units, or all are imported shared intelligence (FORBIDDEN otherwise).',
  })
  cluster(@Args() { id }: IdArgs, @CurrentUser() me: StaffPrincipal, @Context() ctx: object): Promise<Cluster | null> {
    return this.query.cluster(scopeFor(me), id, this.loaders.for(ctx));
  }

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Query(() => ClusterConnection, {
    description:
      'Live clusters touching your units and clusters of shared intelligence only, filtered and sorted, through the list index (docs/lists.md). A size, loss or recency bound that is not the sort is checked cluster by cluster (at most 2,000 a page; the page may be short, with hasNextPage) and totalCount then counts the candidates when there are more than 2,000. minSize below 2 scans every cluster.',
    // the list index, then clusters by primary key; minSize < 2 (single reports) reads every live cluster
    complexity: connectionCost(
      20,
      (args) => ((args.filter as { minSize?: number | null } | null | undefined)?.minSize ?? 2) < 2,
    ),
  })
  clusters(@Args() args: ClustersArgs, @CurrentUser() me: StaffPrincipal): Promise<ClusterConnection> {
    return this.query.clusters(scopeFor(me), args.filter, args.sort, args.first, args.after);
  }

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Mutation(() => Cluster, {
    description: 'Links two reports explicitly (with a reason; audited); returns their cluster.',
  })
  linkReports(
    @Args() args: LinkReportsArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
    @Context() ctx: object,
  ): Promise<Cluster> {
    return this.links.linkReports(
      me,
      meta,
      scopeFor(me),
      args.fromReportId,
      args.toReportId,
      args.reason,
      this.loaders.for(ctx),
    );
  }

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Mutation(() => Cluster, {
    description:
      "Removes an explicit link made by linkReports (with a reason; audited); returns fromReportId's cluster afterwards — split off when the link was its only bridge. CONFLICT (NOT_LINKED) when the two reports are not linked explicitly: reports that share an identifier are separated with detachIdentifier. fromReportId must be a report of your units or shared intelligence.",
  })
  unlinkReports(
    @Args() args: LinkReportsArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
    @Context() ctx: object,
  ): Promise<Cluster> {
    return this.links.unlinkReports(
      me,
      meta,
      scopeFor(me),
      args.fromReportId,
      args.toReportId,
      args.reason,
      this.loaders.for(ctx),
    );
  }

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Subscription(() => ClusterEvent, {
    description:
      'Clusters created, grown, merged and split, as they happen; only events of clusters you may see (ADMIN: all), re-checked every few seconds: the stream re-scopes when your units change and ends, with the reason as its last message, when you are disabled, log out or lose the role. clusterId also matches the clusters it merged from or split into. An empty, unknown or out-of-scope filter is refused. Single-report clusters only with singleReports: true.',
  })
  clusterUpdated(
    @Args() args: ClusterUpdatedArgs,
    @CurrentUser() me: StaffPrincipal,
    @Context() ctx: object,
  ): Promise<AsyncIterator<unknown>> {
    return this.streams.open(me, args, this.loaders.for(ctx));
  }

  @ResolveField(() => [Identifier], {
    description: 'The most-reported linkable identifiers holding it together (up to 10).',
    // the cluster's top identifiers, by primary key
    complexity: connectionCost(10, false),
  })
  identifiers(
    @Parent() cluster: Cluster,
    @Args('first', { type: () => Int, defaultValue: 10 }) first: number,
    @Context() ctx: object,
  ): Promise<Identifier[]> {
    return this.identifierQuery.clusterIdentifiers(cluster, Math.min(Math.max(first, 0), 10), this.loaders.for(ctx));
  }

  @ResolveField(() => ReportConnection, {
    description: 'Its reports, in member-page order (primary-key reads only).',
    complexity: connectionCost(20, false),
  })
  reports(
    @Parent() cluster: Cluster,
    @Args() page: PageArgs,
    @CurrentUser() me: StaffPrincipal,
    @Context() ctx: object,
  ): Promise<ReportConnection> {
    return this.query.clusterReports(scopeFor(me), cluster.id, page.first, page.after, this.loaders.for(ctx));
  }

  @ResolveField(() => Int, {
    description:
      'Its reports whose fraud happened (occurredAt) in the last 7 days — not reports linked or imported lately: a 2021 ring imported today has growth 0.',
  })
  growth(@Parent() cluster: Cluster, @Context() ctx: object): Promise<number> {
    return this.query.growth(cluster, this.loaders.for(ctx));
  }
}
