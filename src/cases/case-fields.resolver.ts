import { Args, Context, ID, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { ALL_UNITS } from '../auth/scope';
import { ConnectionShape, decodeAfter, encodeCursor, pageSize } from '../common/graphql/pagination';
import { PageArgs } from '../linking/dto/linking.args';
import { toReport } from '../linking/link-query.service';
import { LinkLoaderFactory } from '../linking/link-loaders';
import { Report, ReportConnection } from '../linking/models/linking.models';
import { User } from '../users/models/user.model';
import { UsersService } from '../users/users.service';
import { CaseQueriesService } from './case-queries.service';
import { CasesRepository } from './cases.repository';
import { TimelineArgs } from './dto/case.inputs';
import { Case, CaseCluster, CaseEventConnection } from './models/case.models';

/** Fields of a case that read more than the case document: its reports, clusters, timeline and assignee. */
@Resolver(() => Case)
export class CaseFieldsResolver {
  constructor(
    private readonly queries: CaseQueriesService,
    private readonly links: LinkLoaderFactory,
    private readonly users: UsersService,
  ) {}

  @ResolveField(() => ReportConnection, { description: 'Its reports, in the order they joined the case.' })
  async reports(@Parent() c: Case, @Args() args: PageArgs, @Context() ctx: object): Promise<ConnectionShape<Report>> {
    const from = decodeAfter(args.after, (k) => (/^\d{1,5}$/.test(k) ? Number(k) : undefined)) ?? 0;
    const limit = pageSize(args.first, 20, 100);
    const ids = c.reportIds.slice(from, from + limit);
    const docs = await this.links.for(ctx).report.loadMany(ids);
    const edges = docs.flatMap((d, i) =>
      d && !(d instanceof Error) ? [{ node: toReport(d), cursor: encodeCursor(String(from + i + 1)) }] : [],
    );
    const end = from + ids.length;
    return {
      edges,
      pageInfo: {
        hasNextPage: end < c.reportIds.length,
        endCursor: ids.length ? encodeCursor(String(end)) : undefined,
      },
      totalCount: c.reportIds.length,
    };
  }

  @ResolveField(() => [CaseCluster], {
    description: 'The clusters of its reports now, and how each grew since the case last changed.',
  })
  clusters(@Parent() c: Case, @Context() ctx: object): Promise<CaseCluster[]> {
    return this.queries.clusters(c, ctx);
  }

  @ResolveField(() => [ID], { description: 'Ids of the clusters of its reports now.' })
  async clusterIds(@Parent() c: Case, @Context() ctx: object): Promise<string[]> {
    return (await this.queries.clusters(c, ctx)).map((x) => x.clusterId);
  }

  @ResolveField(() => CaseEventConnection, { description: 'The timeline, oldest first (an insert-only event log).' })
  timeline(
    @Parent() c: Case,
    @Args() args: TimelineArgs,
  ): Promise<ConnectionShape<CaseEventConnection['edges'][number]['node']>> {
    return this.queries.timeline(c, args.first, args.after);
  }

  @ResolveField(() => User, { nullable: true })
  async assignee(@Parent() c: Case): Promise<User | null> {
    return c.assigneeId ? this.users.get(c.assigneeId, ALL_UNITS).catch(() => null) : null;
  }
}

/** `Report.caseId`: the case that holds the report (one `_id` read per report, batched per operation). */
@Resolver(() => Report)
export class ReportCaseResolver {
  private readonly loaders = new WeakMap<object, DataLoader<string, string | null>>();

  constructor(private readonly repo: CasesRepository) {}

  @ResolveField(() => ID, { nullable: true, description: 'The case that holds it (a report is in one case at most).' })
  caseId(@Parent() r: Report, @Context() ctx: object): Promise<string | null> {
    let l = this.loaders.get(ctx);
    if (!l) {
      l = new DataLoader(async (ids: readonly string[]) => (await this.repo.casesOfReports(ids)).map((x) => x ?? null));
      this.loaders.set(ctx, l);
    }
    return l.load(r.id);
  }
}
