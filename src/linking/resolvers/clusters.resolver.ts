import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentUser, ReqMeta, Roles } from '../../auth/decorators';
import { RequestMeta, StaffPrincipal } from '../../auth/principal';
import { Role } from '../../auth/roles';
import { scopeAllows, scopeFor } from '../../auth/scope';
import { ClustersArgs, ClusterUpdatedArgs, LinkReportsArgs, PageArgs } from '../dto/linking.args';
import { JudgementsService } from '../judgements.service';
import { LinkEventsService } from '../link-events.service';
import { LinkLoaderFactory } from '../link-loaders';
import { IdentifierQueryService } from '../identifier-query.service';
import { LinkQueryService } from '../link-query.service';
import { ClusterEvent } from '../models/cluster-event.model';
import { Cluster, ClusterConnection, Identifier, ReportConnection } from '../models/linking.models';
import { IdArgs } from '../../common/graphql/id.args';

/** Clusters (staff): transport only. */
@Resolver(() => Cluster)
export class ClustersResolver {
  constructor(
    private readonly query: LinkQueryService,
    private readonly identifierQuery: IdentifierQueryService,
    private readonly judgements: JudgementsService,
    private readonly events: LinkEventsService,
    private readonly loaders: LinkLoaderFactory,
  ) {}

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Query(() => Cluster, {
    nullable: true,
    description:
      'A cluster by id. An id merged into another resolves to the surviving cluster; null for an unknown or split cluster. Visible when any of its reports is of your units (FORBIDDEN otherwise).',
  })
  cluster(@Args() { id }: IdArgs, @CurrentUser() me: StaffPrincipal, @Context() ctx: object): Promise<Cluster | null> {
    return this.query.cluster(scopeFor(me), id, this.loaders.for(ctx));
  }

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Query(() => ClusterConnection, {
    description:
      'Live clusters touching your units, filtered and sorted (a staff page that scans on the embedded store).',
    complexity: ({ args, childComplexity }) => 1 + (args.first ?? 20) * childComplexity,
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
    return this.judgements.linkReports(
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
      'Clusters created, grown, merged and split, as they happen; only events touching your units (ADMIN: all). clusterId also matches the clusters it merged from or split into.',
  })
  clusterUpdated(@Args() args: ClusterUpdatedArgs, @CurrentUser() me: StaffPrincipal): AsyncIterator<unknown> {
    const scope = scopeFor(me);
    return filterIterator(this.events.iterator(), ({ clusterUpdated: e }) => {
      if (!scopeAllows(scope, e.regionCodes)) return false;
      if (args.regionCode && !e.regionCodes.includes(args.regionCode)) return false;
      if (
        args.clusterId &&
        e.clusterId !== args.clusterId &&
        !e.mergedFrom.includes(args.clusterId) &&
        !e.splitInto.includes(args.clusterId)
      ) {
        return false;
      }
      return true;
    });
  }

  @ResolveField(() => [Identifier], {
    description: 'The most-reported linkable identifiers holding it together (up to 10).',
    complexity: ({ args, childComplexity }) => 1 + (args.first ?? 10) * childComplexity,
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
    complexity: ({ args, childComplexity }) => 1 + (args.first ?? 20) * childComplexity,
  })
  reports(
    @Parent() cluster: Cluster,
    @Args() page: PageArgs,
    @CurrentUser() me: StaffPrincipal,
    @Context() ctx: object,
  ): Promise<ReportConnection> {
    return this.query.clusterReports(scopeFor(me), cluster.id, page.first, page.after, this.loaders.for(ctx));
  }

  @ResolveField(() => Int, { description: 'Reports linked into it in the last 7 days.' })
  growth(@Parent() cluster: Cluster, @Context() ctx: object): Promise<number> {
    return this.query.growth(cluster, this.loaders.for(ctx));
  }
}

/** An AsyncIterator that passes only the values `keep` accepts (the per-subscriber filter). */
function filterIterator<T>(it: AsyncIterator<T>, keep: (v: T) => boolean): AsyncIterableIterator<T> {
  const out: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        const r = await it.next();
        if (r.done || keep(r.value)) return r;
      }
    },
    return: (v?: unknown) => (it.return ? it.return(v) : Promise.resolve({ done: true as const, value: undefined })),
    throw: (e?: unknown) => (it.throw ? it.throw(e) : Promise.reject(e instanceof Error ? e : new Error(String(e)))),
    [Symbol.asyncIterator]() {
      return out;
    },
  };
  return out;
}
