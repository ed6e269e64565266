import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RequestMeta, StaffPrincipal } from '../auth/principal';
import { Scope } from '../auth/scope';
import { LinkLoaders } from './link-loaders';
import { LinkQueryService } from './link-query.service';
import { LinkingError, LinkingErrorCode } from './linking.errors';
import { LinkingService } from './linking.service';
import { Cluster } from './models/linking.models';
import { JudgementLog, LinkJudgementAction, unitsOf } from './judgement-log';
import { mapEngineErrors, reasonOf } from './judgement-rules';

/**
 * Investigators' explicit links between two reports (stored on both link documents; a judgement, see
 * judgement-log.ts): the reports need not share an identifier.
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
}
