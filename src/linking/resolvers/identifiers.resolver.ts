import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentUser, ReqMeta, Roles } from '../../auth/decorators';
import { RequestMeta, StaffPrincipal } from '../../auth/principal';
import { Role } from '../../auth/roles';
import { scopeFor } from '../../auth/scope';
import { IdentifierKind } from '../../reports/enums';
import { LinkPolicyPreviewArgs, PageArgs, SetIdentifierLinkPolicyArgs } from '../dto/linking.args';
import { PolicyPreviewService } from '../policy-preview.service';
import { JudgementsService } from '../judgements.service';
import { LinkLoaderFactory } from '../link-loaders';
import { IdentifierQueryService } from '../identifier-query.service';
import {
  HubIdentifier,
  HubIdentifierConnection,
  HubPreview,
  Identifier,
  LinkPolicyPreview,
} from '../models/linking.models';
import { CARRIERS_COST, connectionCost, PREVIEW_COST } from '../../common/graphql/cost';

/** Identifiers and the hub review queue (staff): transport only. */
@Resolver(() => Identifier)
export class IdentifiersResolver {
  constructor(
    private readonly identifiers: IdentifierQueryService,
    private readonly judgements: JudgementsService,
    private readonly preview: PolicyPreviewService,
    private readonly loaders: LinkLoaderFactory,
  ) {}

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Query(() => Identifier, {
    nullable: true,
    description:
      'An identifier (the value is normalised); null when no report carries it; FORBIDDEN when only reports outside your units do (a cluster of yours or shared intelligence makes it visible).',
    // whether a hub is yours to see: the clusters of up to 1,000 of its carriers
    complexity: CARRIERS_COST,
  })
  identifier(
    @Args('kind', { type: () => IdentifierKind }) kind: IdentifierKind,
    @Args('value') value: string,
    @CurrentUser() me: StaffPrincipal,
    @Context() ctx: object,
  ): Promise<Identifier | null> {
    return this.identifiers.identifier(scopeFor(me), kind, value, this.loaders.for(ctx));
  }

  @Roles(Role.SUPERVISOR)
  @Query(() => HubIdentifierConnection, {
    description:
      'The review queue of link policies: identifiers over their degree cap not yet judged, highest degree first, in every unit (a policy applies to every unit, so this is a SUPERVISOR view).',
    // reads the whole hub registry to sort it by degree
    complexity: connectionCost(20, false),
  })
  hubIdentifiers(@Args() args: PageArgs, @Context() ctx: object): Promise<HubIdentifierConnection> {
    return this.identifiers.hubs(args.first, args.after, this.loaders.for(ctx));
  }

  @Roles(Role.SUPERVISOR)
  @Query(() => LinkPolicyPreview, {
    description:
      'What setIdentifierLinkPolicy with this policy would merge or split now, in every unit, and whether it would be refused; changes nothing. `splits` shows into what each cluster would split: report ids as `report` would show them to you, the others only counted. SUPERVISOR.',
    // runs the change on a scratch copy: reads the clusters concerned member by member, by primary key
    complexity: PREVIEW_COST,
  })
  linkPolicyPreview(
    @Args() args: LinkPolicyPreviewArgs,
    @CurrentUser() me: StaffPrincipal,
    @Context() ctx: object,
  ): Promise<LinkPolicyPreview> {
    return this.preview.preview(scopeFor(me), args.kind, args.value, args.policy, this.loaders.for(ctx));
  }

  @Roles(Role.SUPERVISOR)
  @Mutation(() => Identifier, {
    description:
      "Sets an identifier's link policy: NEVER stops it linking (its cluster is split), ALWAYS links whatever its degree (refused on a warninglisted value), DEFAULT follows the cap. It applies to every unit, so it is a SUPERVISOR's decision: look first with linkPolicyPreview. With a reason; audited.",
  })
  setIdentifierLinkPolicy(
    @Args() args: SetIdentifierLinkPolicyArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
    @Context() ctx: object,
  ): Promise<Identifier> {
    return this.judgements.setPolicy(me, meta, args.kind, args.value, args.policy, args.reason, this.loaders.for(ctx));
  }

  @ResolveField(() => [ID], {
    description:
      'Clusters of the reports carrying it that you may see (one for a linkable identifier; for a hub, from its first 1,000 reports).',
    // for a hub: the clusters of up to 1,000 of its carriers
    complexity: CARRIERS_COST,
  })
  clusterIds(
    @Parent() identifier: Identifier,
    @CurrentUser() me: StaffPrincipal,
    @Context() ctx: object,
  ): Promise<string[]> {
    return this.identifiers.identifierClusterIds(scopeFor(me), identifier.key, this.loaders.for(ctx));
  }
}

@Resolver(() => HubIdentifier)
export class HubIdentifiersResolver {
  constructor(
    private readonly identifiers: IdentifierQueryService,
    private readonly loaders: LinkLoaderFactory,
  ) {}

  @ResolveField(() => HubPreview, {
    description: 'What setting it to ALWAYS would merge (reads up to 1,000 of its reports).',
    complexity: CARRIERS_COST,
  })
  preview(@Parent() hub: HubIdentifier, @Context() ctx: object): Promise<HubPreview> {
    return this.identifiers.hubPreview(hub.key, this.loaders.for(ctx));
  }
}
