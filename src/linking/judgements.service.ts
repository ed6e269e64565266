import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { AuditEntry } from '../audit/models/audit-entry.model';
import { RequestMeta, StaffPrincipal } from '../auth/principal';
import { Scope } from '../auth/scope';
import { ConnectionShape } from '../common/graphql/pagination';
import type { IdentifierKind } from '../identifiers';
import type { PolicyDoc, StoredDoc } from './buffered-link-store';
import type { LinkIdentifier, LinkPolicy } from './engine';
import { LinkLoaders } from './link-loaders';
import { IdentifierQueryService } from './identifier-query.service';
import { LinkQueryService } from './link-query.service';
import { LinkStoreRepository } from './link-store.repository';
import { LinkingError, LinkingErrorCode } from './linking.errors';
import { LinkingService } from './linking.service';
import { Cluster, Identifier, IdentifierStatusValue, LinkPolicyValue, Report } from './models/linking.models';
import { isWarninglistedKey } from './linking.options';
import { assertCarries, mapEngineErrors, policyRefusal } from './judgement-rules';
import type { ClusterEvent } from './models/cluster-event.model';

/** objectType of every linking judgement in the audit log; `linkJudgements` lists exactly these entries. */
export const LINK_JUDGEMENT = 'LinkJudgement';

export enum LinkJudgementAction {
  LINK_POLICY_SET = 'LINK_POLICY_SET',
  REPORTS_LINKED = 'REPORTS_LINKED',
  IDENTIFIER_DETACHED = 'IDENTIFIER_DETACHED',
}

/**
 * Investigators' judgements on the graph: an identifier's link policy (NEVER / ALWAYS / back to DEFAULT), an
 * explicit link between two reports, and detaching one identifier from one report. Each needs a reason, runs
 * under the linking lock, and is written to the audit log (objectType LinkJudgement, the reason, the units of
 * the clusters concerned) only after its commit. Together with the stored edges they are the reference that
 * `recluster` rebuilds from: policies in link_policies, links and detaches on the link documents.
 *
 * The judgement log is the audit log filtered to these entries (`linkJudgements`): one append-only log, one
 * scoping rule (entries concerning the user's units; ADMIN all).
 */
@Injectable()
export class JudgementsService {
  constructor(
    private readonly linking: LinkingService,
    private readonly query: LinkQueryService,
    private readonly identifiers: IdentifierQueryService,
    private readonly repo: LinkStoreRepository,
    private readonly audit: AuditService,
  ) {}

  private reasonOf(reason: string): string {
    const r = reason.trim();
    if (!r)
      throw new LinkingError(
        LinkingErrorCode.REASON_REQUIRED,
        'reason: say why (it goes into the judgement log)',
        'reason',
      );
    return r;
  }

  async setPolicy(
    me: StaffPrincipal,
    meta: RequestMeta,
    kind: IdentifierKind,
    value: string,
    policy: LinkPolicyValue,
    reasonIn: string,
    L: LinkLoaders,
  ): Promise<Identifier> {
    const reason = this.reasonOf(reasonIn);
    const key = this.identifiers.keyOf(kind, value);
    const refusal = policyRefusal(key, policy, await L.identifier.load(key));
    if (refusal !== null) throw new LinkingError(LinkingErrorCode.IDENTIFIER_WARNINGLISTED, refusal, 'policy');
    const events = await this.linking.judge(randomUUID(), async (engine, store) => {
      await store.prefetch('policies', [key]);
      if (policy === LinkPolicyValue.DEFAULT) store.deleteExtra('policies', key);
      else {
        const doc: PolicyDoc = { _id: key, policy, reason, actorId: me.userId, at: new Date().toISOString() };
        store.putExtra('policies', doc as unknown as StoredDoc);
      }
      return mapEngineErrors(() => engine.setPolicy(key, policy as LinkPolicy));
    });
    L.clearAll();
    const doc = (await this.repo.get('identifiers', key)) as LinkIdentifier | undefined;
    await this.audit.record({
      actorId: me.userId,
      action: LinkJudgementAction.LINK_POLICY_SET,
      objectType: LINK_JUDGEMENT,
      objectId: key,
      unitCodes: unitsOf(events, me),
      reason,
      ...meta,
      details: { policy, key, clusterEvents: events.length },
    });
    if (doc) return this.identifiers.toIdentifier(doc);
    // never carried by a report: the policy is stored and applies when one does
    const warninglisted = isWarninglistedKey(key);
    return {
      key,
      kind: kind as Identifier['kind'],
      value: key.slice(key.indexOf(':') + 1),
      degree: 0,
      status: warninglisted ? IdentifierStatusValue.WARNINGLISTED : IdentifierStatusValue.ACTIVE,
      policy,
      linkable: !warninglisted && policy !== LinkPolicyValue.NEVER,
    };
  }

  async linkReports(
    me: StaffPrincipal,
    meta: RequestMeta,
    scope: Scope,
    fromId: string,
    toId: string,
    reasonIn: string,
    L: LinkLoaders,
  ): Promise<Cluster> {
    const reason = this.reasonOf(reasonIn);
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
    await this.audit.record({
      actorId: me.userId,
      action: LinkJudgementAction.REPORTS_LINKED,
      objectType: LINK_JUDGEMENT,
      objectId: `${fromId}~${toId}`,
      unitCodes: [
        ...new Set([
          ...Object.keys(a.cluster.summary.byRegion),
          ...Object.keys(b.cluster.summary.byRegion),
          ...unitsOf(events, me),
        ]),
      ],
      reason,
      ...meta,
      details: { fromReportId: fromId, toReportId: toId, clusterEvents: events.length },
    });
    if (!cluster)
      throw new LinkingError(
        LinkingErrorCode.CLUSTER_NOT_FOUND,
        'the linked cluster vanished (a concurrent split); retry',
      );
    return cluster;
  }

  async detach(
    me: StaffPrincipal,
    meta: RequestMeta,
    scope: Scope,
    reportId: string,
    kind: IdentifierKind,
    value: string,
    reasonIn: string,
    L: LinkLoaders,
  ): Promise<Report> {
    const reason = this.reasonOf(reasonIn);
    const { cluster } = await this.query.requireLinkedReport(scope, reportId, L, 'reportId');
    const key = this.identifiers.keyOf(kind, value);
    assertCarries(await L.linkReport.load(reportId), reportId, key);
    const events = await this.linking.judge(randomUUID(), (engine) =>
      mapEngineErrors(() => engine.detach(reportId, key)),
    );
    L.clearAll();
    await this.audit.record({
      actorId: me.userId,
      action: LinkJudgementAction.IDENTIFIER_DETACHED,
      objectType: LINK_JUDGEMENT,
      objectId: `${reportId}~${key}`,
      unitCodes: [...new Set([...Object.keys(cluster.summary.byRegion), ...unitsOf(events, me)])],
      reason,
      ...meta,
      details: { reportId, key, clusterEvents: events.length },
    });
    return (await this.query.report(scope, reportId, L)) as Report;
  }

  /** The judgement log: audit entries of objectType LinkJudgement concerning the user's units, newest first. */
  judgements(scope: Scope, first: number | undefined, after: string | undefined): Promise<ConnectionShape<AuditEntry>> {
    return this.audit.list(scope, { objectType: LINK_JUDGEMENT }, first, after);
  }
}

/** The units an audit entry concerns: the regions of the clusters the judgement changed, else the actor's. */
function unitsOf(events: readonly ClusterEvent[], me: StaffPrincipal): string[] {
  const units = new Set(events.flatMap((e) => e.regionCodes));
  if (units.size === 0) for (const u of me.unitCodes) units.add(u);
  return [...units];
}
