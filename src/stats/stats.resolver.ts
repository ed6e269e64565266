import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentUser, Public, Roles } from '../auth/decorators';
import { StaffPrincipal } from '../auth/principal';
import { Role } from '../auth/roles';
import { scopeFor } from '../auth/scope';
import { PublicStats, StatsResult } from './models/stats.model';
import { StatsInput } from './stats.input';
import { StatsQueryService } from './stats-query.service';

@Resolver(() => StatsResult)
export class StatsResolver {
  constructor(private readonly query: StatsQueryService) {}

  @Roles(Role.SUPERVISOR, Role.OUTREACH)
  @Query(() => StatsResult, {
    description:
      'Report statistics of a period (Asia/Shanghai days), from daily rollups. SUPERVISOR and OUTREACH: the regions ' +
      'of their units (another region is FORBIDDEN); ADMIN: all. Cases opened/solved and recovered amounts are null ' +
      'until cases exist.',
  })
  stats(@Args('input') input: StatsInput, @CurrentUser() me: StaffPrincipal): Promise<StatsResult> {
    return this.query.stats(input, scopeFor(me));
  }

  @Public()
  @Query(() => PublicStats, {
    description:
      'Public: reports per region of a period (Asia/Shanghai days, from/to inclusive), k-anonymous — counts below k ' +
      'are shown as "<k". Region totals only.',
  })
  publicStats(@Args('from') from: string, @Args('to') to: string): Promise<PublicStats> {
    return this.query.publicStats(from, to);
  }
}
