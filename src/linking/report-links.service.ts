import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RequestMeta, StaffPrincipal } from '../auth/principal';
import { assertInScope, Scope } from '../auth/scope';
import { LinkLoaders } from './link-loaders';
import { LinkQueryService } from './link-query.service';
import { reportVisible } from './link-scope';
import { LinkingError, LinkingErrorCode } from './linking.errors';
import { LinkingService } from './linking.service';
import { Cluster } from './models/linking.models';
import { JudgementLog, LinkJudgementAction, unitsOf } from './judgement-log';
import { mapEngineErrors, reasonOf } from './judgement-rules';

/**
 * Investigators' explicit links between two reports (stored on both link documents; a judgement, see
 * judgement-log.ts) and their removal: the reports need not share an identifier.
 */
@Injectable()
export class ReportLinksService {
  constructor(
    private readonly linking: LinkingService,
    private readonly query: LinkQueryService,
    private readonly log: JudgementLog,
  ) {}

  async linkReports(
    me: StaffPrincipal,
    meta: RequestMeta,
    scope: Scope,
    fromId: string,
    toId: string,
    reasonIn: string,
    L: LinkLoaders,
  ): Promise<Cluster> {
    const reason = reasonOf(reasonIn);
    if (fromId === toId)
      throw new LinkingError(
        LinkingErrorCode.SELF_LINK,
        'toReportId: a report cannot be linked to itself',
        'toReportId',
      );
    const a = await this.query.requireLinkedReport(scope, fromId, L, 'fromReportId');
    const b = await this.query.requireLinkedReport(scope, toId, L, 'toReportId');
    const events = await this.linking.judge(randomUUID(), (engine) =>
      mapEngineErrors(() => engine.linkReports(fromId, toId)),
    );
    L.clearAll();
    const cluster = await this.query.cluster(scope, (await L.clusterOfReport(fromId))?._id ?? a.cluster._id, L);
    await this.log.record(me, meta, {
      action: LinkJudgementAction.REPORTS_LINKED,
      objectId: `${fromId}~${toId}`,
      unitCodes: [
        ...Object.keys(a.cluster.summary.byRegion),
        ...Object.keys(b.cluster.summary.byRegion),
        ...unitsOf(events, me),
      ],
      reason,
      details: { fromReportId: fromId, toReportId: toId, clusterEvents: events.length },
    });
    if (!cluster)
      throw new LinkingError(
        LinkingErrorCode.CLUSTER_NOT_FOUND,
        'the linked cluster vanished (a concurrent split); retry',
      );
    return cluster;
  }

  /**
   * Removes an explicit link (it splits the cluster when it was the only bridge). NOT_LINKED when the stored
   * link documents, read under the lock, hold no such link (the engine would make it a silent no-op; a pair that
   * shares an identifier is separated with detachIdentifier). Returns fromReportId's cluster afterwards, which
   * must still be the user's: fromReportId has to be a report of their units or shared intelligence, checked
   * before the change so that the answer is not FORBIDDEN after it (left: a shared report whose cluster keeps
   * only other units' reports).
   */
  async unlinkReports(
    me: StaffPrincipal,
    meta: RequestMeta,
    scope: Scope,
    fromId: string,
    toId: string,
    reasonIn: string,
    L: LinkLoaders,
  ): Promise<Cluster> {
    const reason = reasonOf(reasonIn);
    if (fromId === toId)
      throw new LinkingError(
        LinkingErrorCode.SELF_LINK,
        'toReportId: a report is never linked to itself',
        'toReportId',
      );
    const a = await this.query.requireLinkedReport(scope, fromId, L, 'fromReportId');
    await this.query.requireLinkedReport(scope, toId, L, 'toReportId');
    const from = await L.report.load(fromId);
    if (from && !reportVisible(scope, from.regionCode, undefined))
      assertInScope(scope, [from.regionCode], `fromReportId: report ${fromId} (name your unit's report first)`);
    const events = await this.linking.judge(randomUUID(), async (engine, store) => {
      const [ra, rb] = await store.getManyReports([fromId, toId]);
      if (!ra?.explicitLinks.includes(toId) && !rb?.explicitLinks.includes(fromId))
        throw new LinkingError(
          LinkingErrorCode.NOT_LINKED,
          `toReportId: reports ${fromId} and ${toId} are not linked explicitly (a shared identifier is undone with detachIdentifier)`,
          'toReportId',
        );
      return mapEngineErrors(() => engine.unlinkReports(fromId, toId));
    });
    L.clearAll();
    // logged before the answer is read: the change is committed whatever the read says
    await this.log.record(me, meta, {
      action: LinkJudgementAction.REPORTS_UNLINKED,
      objectId: `${fromId}~${toId}`,
      unitCodes: [...Object.keys(a.cluster.summary.byRegion), ...unitsOf(events, me)],
      reason,
      details: { fromReportId: fromId, toReportId: toId, clusterEvents: events.length },
    });
    const cluster = await this.query.cluster(scope, (await L.clusterOfReport(fromId))?._id ?? a.cluster._id, L);
    if (!cluster)
      throw new LinkingError(LinkingErrorCode.CLUSTER_NOT_FOUND, 'the cluster vanished (a concurrent change); retry');
    return cluster;
  }
}
