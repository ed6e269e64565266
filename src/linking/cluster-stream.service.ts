import { Injectable } from '@nestjs/common';
import { AuthError, AuthErrorCode } from '../auth/auth.errors';
import { LivePrincipals } from '../auth/live-principals';
import { StaffPrincipal } from '../auth/principal';
import { hasAnyRole, Role } from '../auth/roles';
import { scopeFor } from '../auth/scope';
import { liveStream } from '../common/graphql/live-stream';
import type { ClusterUpdatedArgs } from './dto/linking.args';
import { LinkEventsService } from './link-events.service';
import { LinkLoaders } from './link-loaders';
import { LinkQueryService } from './link-query.service';
import { regionsVisible } from './link-scope';
import { LinkingError, LinkingErrorCode } from './linking.errors';
import { ClusterEvent, ClusterEventType } from './models/cluster-event.model';

/** Roles that may hold a clusterUpdated stream (as the resolver's @Roles). */
export const CLUSTER_STREAM_ROLES: readonly Role[] = [Role.INVESTIGATOR, Role.SUPERVISOR];

/**
 * The `clusterUpdated` stream of one subscriber. Its filters are checked when it starts (an empty filter, a
 * region outside the user's units or an invisible cluster is refused: it could never deliver anything), and
 * every event is checked against the subscriber's CURRENT scope: LivePrincipals re-reads the user and session
 * every few seconds, so a stream re-scopes itself when units change and ends (with the reason as its last
 * message) when the user is disabled, logs out, loses the roles or the unit its region filter needs.
 * CREATED events of single-report clusters (every new report that shares nothing yet) are sent only on request.
 */
@Injectable()
export class ClusterStreamService {
  constructor(
    private readonly events: LinkEventsService,
    private readonly query: LinkQueryService,
    private readonly principals: LivePrincipals,
  ) {}

  async open(me: StaffPrincipal, args: ClusterUpdatedArgs, L: LinkLoaders): Promise<AsyncIterableIterator<unknown>> {
    if (args.clusterId === '' || args.regionCode === '')
      throw new LinkingError(
        LinkingErrorCode.EMPTY_FILTER,
        `${args.clusterId === '' ? 'clusterId' : 'regionCode'}: give a value, or leave the filter out for all events`,
        args.clusterId === '' ? 'clusterId' : 'regionCode',
      );
    stillAllowed(me, args);
    const filter = { ...args };
    if (args.clusterId) {
      // a merged id follows its surviving cluster
      const c = await this.query.cluster(scopeFor(me), args.clusterId, L);
      if (!c) throw new LinkingError(LinkingErrorCode.CLUSTER_NOT_FOUND, `No cluster ${args.clusterId}`, 'clusterId');
      filter.clusterId = c.id;
    }
    const live = this.principals.watch(me, (p) => stillAllowed(p, filter));
    return liveStream(
      this.events.iterator(),
      ({ clusterUpdated: e }) => wanted(e, filter, live.current),
      live.ended,
      'clusterUpdated',
      () => live.stop(),
    );
  }
}

/** Throws (FORBIDDEN) when `p` may not hold this stream: no role for it, or the region filter is not theirs. */
function stillAllowed(p: StaffPrincipal, args: ClusterUpdatedArgs): void {
  if (!hasAnyRole(p.roles, CLUSTER_STREAM_ROLES))
    throw new AuthError(
      AuthErrorCode.MISSING_ROLE,
      `clusterUpdated needs one of the roles ${CLUSTER_STREAM_ROLES.join(', ')}`,
    );
  if (args.regionCode && !regionsVisible(scopeFor(p), [args.regionCode]))
    throw new AuthError(AuthErrorCode.OUT_OF_UNIT, `regionCode: ${args.regionCode} is outside your units`);
}

function wanted(e: ClusterEvent, args: ClusterUpdatedArgs, p: StaffPrincipal): boolean {
  if (!regionsVisible(scopeFor(p), e.regionCodes)) return false;
  if (!args.singleReports && e.type === ClusterEventType.CREATED && e.size <= 1) return false;
  if (args.regionCode && !e.regionCodes.includes(args.regionCode)) return false;
  return (
    !args.clusterId ||
    e.clusterId === args.clusterId ||
    e.mergedFrom.includes(args.clusterId) ||
    e.splitInto.includes(args.clusterId)
  );
}
