import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RequestMeta, StaffPrincipal } from '../auth/principal';
import { Scope } from '../auth/scope';
import type { IdentifierKind } from '../identifiers';
import type { PolicyDoc, StoredDoc } from './buffered-link-store';
import type { LinkIdentifier, LinkPolicy } from './engine';
import { LinkLoaders } from './link-loaders';
import { IdentifierQueryService } from './identifier-query.service';
import { LinkQueryService } from './link-query.service';
import { LinkStoreRepository } from './link-store.repository';
import { LinkingError, LinkingErrorCode } from './linking.errors';
import { LinkingService } from './linking.service';
import { Identifier, IdentifierStatusValue, LinkPolicyValue, Report } from './models/linking.models';
import { isWarninglistedKey } from './linking.options';
import { JudgementLog, LinkJudgementAction, unitsOf } from './judgement-log';
import { assertCarries, mapEngineErrors, policyRefusal, reasonOf } from './judgement-rules';

/**
 * Investigators' judgements on what an identifier links: its link policy (NEVER / ALWAYS / back to DEFAULT),
 * detaching it from one report and moving it back. Explicit links between reports are ReportLinksService's; both write to the
 * judgement log (judgement-log.ts, which says what a judgement is).
 */
@Injectable()
export class JudgementsService {
  constructor(
    private readonly linking: LinkingService,
    private readonly query: LinkQueryService,
    private readonly identifiers: IdentifierQueryService,
    private readonly repo: LinkStoreRepository,
    private readonly log: JudgementLog,
  ) {}

  async setPolicy(
    me: StaffPrincipal,
    meta: RequestMeta,
    kind: IdentifierKind,
    value: string,
    policy: LinkPolicyValue,
    reasonIn: string,
    L: LinkLoaders,
  ): Promise<Identifier> {
    const reason = reasonOf(reasonIn);
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
    await this.log.record(me, meta, {
      action: LinkJudgementAction.LINK_POLICY_SET,
      objectId: key,
      unitCodes: unitsOf(events, me),
      reason,
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
    const reason = reasonOf(reasonIn);
    const { cluster } = await this.query.requireLinkedReport(scope, reportId, L, 'reportId');
    const key = this.identifiers.keyOf(kind, value);
    assertCarries(await L.linkReport.load(reportId), reportId, key);
    const events = await this.linking.judge(randomUUID(), (engine) =>
      mapEngineErrors(() => engine.detach(reportId, key)),
    );
    L.clearAll();
    await this.log.record(me, meta, {
      action: LinkJudgementAction.IDENTIFIER_DETACHED,
      objectId: `${reportId}~${key}`,
      unitCodes: [...Object.keys(cluster.summary.byRegion), ...unitsOf(events, me)],
      reason,
      details: { reportId, key, clusterEvents: events.length },
    });
    return (await this.query.report(scope, reportId, L)) as Report;
  }

  /**
   * Moves a detached identifier back onto its report: it links the report again. The report must carry it
   * (IDENTIFIER_NOT_CARRIED, as for detach) and have it detached — checked under the lock, on the stored link
   * document (IDENTIFIER_NOT_DETACHED: the engine would make it a silent no-op).
   */
  async reattach(
    me: StaffPrincipal,
    meta: RequestMeta,
    scope: Scope,
    reportId: string,
    kind: IdentifierKind,
    value: string,
    reasonIn: string,
    L: LinkLoaders,
  ): Promise<Report> {
    const reason = reasonOf(reasonIn);
    const { cluster } = await this.query.requireLinkedReport(scope, reportId, L, 'reportId');
    const key = this.identifiers.keyOf(kind, value);
    assertCarries(await L.linkReport.load(reportId), reportId, key);
    const events = await this.linking.judge(randomUUID(), async (engine, store) => {
      if (!(await store.getReport(reportId))?.detachedKeys.includes(key))
        throw new LinkingError(
          LinkingErrorCode.IDENTIFIER_NOT_DETACHED,
          `value: ${key} is not detached from report ${reportId}`,
          'value',
        );
      return mapEngineErrors(() => engine.reattach(reportId, key));
    });
    L.clearAll();
    await this.log.record(me, meta, {
      action: LinkJudgementAction.IDENTIFIER_REATTACHED,
      objectId: `${reportId}~${key}`,
      unitCodes: [...Object.keys(cluster.summary.byRegion), ...unitsOf(events, me)],
      reason,
      details: { reportId, key, clusterEvents: events.length },
    });
    return (await this.query.report(scope, reportId, L)) as Report;
  }
}
