import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentUser, ReqMeta, Roles } from '../../auth/decorators';
import { RequestMeta, StaffPrincipal } from '../../auth/principal';
import { Role } from '../../auth/roles';
import { scopeFor } from '../../auth/scope';
import { DetachIdentifierArgs, DetachPreviewArgs, ReportsArgs } from '../dto/linking.args';
import { DetachPreview } from '../models/judgement-preview.models';
import { PolicyPreviewService } from '../policy-preview.service';
import { JudgementsService } from '../judgements.service';
import { LinkLoaderFactory } from '../link-loaders';
import { LinkQueryService } from '../link-query.service';
import { Report, ReportConnection, ReportIdentifier } from '../models/linking.models';
import { IdArgs } from '../../common/graphql/id.args';
import { connectionCost, PREVIEW_COST } from '../../common/graphql/cost';

/** Investigators' reports (staff): transport only. */
@Resolver(() => Report)
export class StaffReportsResolver {
  constructor(
    private readonly query: LinkQueryService,
    private readonly judgements: JudgementsService,
    private readonly preview: PolicyPreviewService,
    private readonly loaders: LinkLoaderFactory,
  ) {}

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Query(() => Report, {
    nullable: true,
    description:
      'A report by id (null when unknown; FORBIDDEN outside your units, unless it is imported shared intelligence (EXTERNAL) or in a cluster of yours).',
  })
  report(@Args() { id }: IdArgs, @CurrentUser() me: StaffPrincipal, @Context() ctx: object): Promise<Report | null> {
    return this.query.report(scopeFor(me), id, this.loaders.for(ctx));
  }

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Query(() => ReportConnection, {
    description:
      'Reports, by id. With filter.clusterId: the members of that cluster (member pages, by primary key). Otherwise reports filed in your units and the imported shared intelligence (region EXTERNAL; ADMIN: all), filtered, in id order — read through the list index (docs/lists.md), at the same speed at any size.',
    // the list index (a page of ids and an O(log n) count) or member pages, then reports by primary key
    complexity: connectionCost(20, false),
  })
  reports(
    @Args() args: ReportsArgs,
    @CurrentUser() me: StaffPrincipal,
    @Context() ctx: object,
  ): Promise<ReportConnection> {
    return this.query.reports(scopeFor(me), args.filter, args.first, args.after, this.loaders.for(ctx));
  }

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Query(() => DetachPreview, {
    description:
      'What detachIdentifier would do now: whether the cluster would split and into what (the reports that would leave it), computed on a scratch copy; changes nothing. Refused as the mutation would be.',
    // runs the detach on a scratch copy: reads the cluster concerned member by member, by primary key
    complexity: PREVIEW_COST,
  })
  detachPreview(
    @Args() args: DetachPreviewArgs,
    @CurrentUser() me: StaffPrincipal,
    @Context() ctx: object,
  ): Promise<DetachPreview> {
    return this.preview.detach(scopeFor(me), args.reportId, args.kind, args.value, this.loaders.for(ctx));
  }

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Mutation(() => Report, {
    description:
      'Removes one identifier from one report (e.g. the victim typed their own number): it no longer links that report. With a reason; audited; a bridge removal splits the cluster.',
  })
  detachIdentifier(
    @Args() args: DetachIdentifierArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
    @Context() ctx: object,
  ): Promise<Report> {
    return this.judgements.detach(
      me,
      meta,
      scopeFor(me),
      args.reportId,
      args.kind,
      args.value,
      args.reason,
      this.loaders.for(ctx),
    );
  }

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Mutation(() => Report, {
    description:
      "Moves an identifier detached by detachIdentifier back onto its report: it links the report again (which may merge clusters). With a reason; audited. CONFLICT (IDENTIFIER_NOT_DETACHED) when the report's identifier is not detached.",
  })
  reattachIdentifier(
    @Args() args: DetachIdentifierArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
    @Context() ctx: object,
  ): Promise<Report> {
    return this.judgements.reattach(
      me,
      meta,
      scopeFor(me),
      args.reportId,
      args.kind,
      args.value,
      args.reason,
      this.loaders.for(ctx),
    );
  }

  @ResolveField(() => ID, {
    nullable: true,
    description:
      "Its cluster; null until the report is linked (seconds after it arrives), and for an imported report whose cluster holds another unit's reports.",
  })
  clusterId(
    @Parent() report: Report,
    @CurrentUser() me: StaffPrincipal,
    @Context() ctx: object,
  ): Promise<string | null> {
    return this.query.reportClusterId(scopeFor(me), report, this.loaders.for(ctx));
  }

  @ResolveField(() => [ReportIdentifier])
  identifiers(@Parent() report: Report, @Context() ctx: object): Promise<ReportIdentifier[]> {
    return this.query.reportIdentifiers(report, this.loaders.for(ctx));
  }
}
