import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { CurrentUser, Roles } from '../../auth/decorators';
import { StaffPrincipal } from '../../auth/principal';
import { Role } from '../../auth/roles';
import { scopeFor } from '../../auth/scope';
import { AuditEntryConnection } from '../../audit/models/audit-entry.model';
import { CaseGraphArgs, ExplainLinkArgs, PageArgs } from '../dto/linking.args';
import { CaseGraphService } from '../case-graph.service';
import { JudgementLog } from '../judgement-log';
import { LinkLoaderFactory } from '../link-loaders';
import { CaseGraph, LinkExplanation } from '../models/linking.models';
import { connectionCost, WALK_COST } from '../../common/graphql/cost';

/** The case graph, link explanations and the judgement log (staff): transport only. */
@Resolver(() => CaseGraph)
export class CaseGraphResolver {
  constructor(
    private readonly graph: CaseGraphService,
    private readonly judgements: JudgementLog,
    private readonly loaders: LinkLoaderFactory,
  ) {}

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Query(() => CaseGraph, {
    description:
      'The report ↔ identifier neighbourhood of a report, a cluster or an identifier: a breadth-first walk from one start node (`startId`; for a cluster its most carried linkable identifier, so `depth` counts edges from there), at most `depth` edges away. Hubs come back as one node with hiddenNeighbourCount, never expanded. At most `limit` nodes a page, in the order found, so a page is connected: every node but the start has an edge to a node returned before it. `pageInfo.endCursor` as `after` continues the same walk (every node and edge exactly once over the pages; the walk waits server-side for 15 minutes), and `rest` says what is not returned yet.',
    complexity: ({ args, childComplexity }) => 1 + Math.ceil((args.limit ?? 200) / 10) * childComplexity,
  })
  caseGraph(
    @Args() args: CaseGraphArgs,
    @CurrentUser() me: StaffPrincipal,
    @Context() ctx: object,
  ): Promise<CaseGraph> {
    return this.graph.caseGraph({ scope: scopeFor(me), userId: me.userId }, args, this.loaders.for(ctx));
  }

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Query(() => LinkExplanation, {
    nullable: true,
    description:
      'The shortest chain report → identifier → report … between two reports; null when they are not linked.',
    // a breadth-first walk by primary key, up to 10,000 nodes
    complexity: WALK_COST,
  })
  explainLink(
    @Args() args: ExplainLinkArgs,
    @CurrentUser() me: StaffPrincipal,
    @Context() ctx: object,
  ): Promise<LinkExplanation | null> {
    return this.graph.explainLink(scopeFor(me), args.fromReportId, args.toReportId, this.loaders.for(ctx));
  }

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Query(() => AuditEntryConnection, {
    description:
      'The judgement log: link policies, explicit links and detaches (and their undoing) with their reasons (audit entries of objectType LinkJudgement concerning your units), newest first.',
    // the audit log's list index (objectType key per unit), then entries by primary key
    complexity: connectionCost(20, false),
  })
  linkJudgements(@Args() args: PageArgs, @CurrentUser() me: StaffPrincipal): Promise<AuditEntryConnection> {
    return this.judgements.list(scopeFor(me), args.first, args.after);
  }
}
