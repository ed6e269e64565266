import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AuditEntry } from '../audit/models/audit-entry.model';
import { RequestMeta, StaffPrincipal } from '../auth/principal';
import { Scope } from '../auth/scope';
import { ConnectionShape } from '../common/graphql/pagination';
import type { ClusterEvent } from './models/cluster-event.model';

/** objectType of every linking judgement in the audit log; `linkJudgements` lists exactly these entries. */
export const LINK_JUDGEMENT = 'LinkJudgement';

export enum LinkJudgementAction {
  LINK_POLICY_SET = 'LINK_POLICY_SET',
  REPORTS_LINKED = 'REPORTS_LINKED',
  IDENTIFIER_DETACHED = 'IDENTIFIER_DETACHED',
  REPORTS_UNLINKED = 'REPORTS_UNLINKED',
  IDENTIFIER_REATTACHED = 'IDENTIFIER_REATTACHED',
}

/**
 * Investigators' judgements on the graph (JudgementsService: an identifier's link policy, detaching one
 * identifier from one report and moving it back; ReportLinksService: explicit links between reports and their
 * removal). Each needs a reason, runs
 * under the linking lock, and is written here (objectType LinkJudgement, the reason, the units of the clusters
 * concerned) only after its commit. Together with the stored edges they are the reference that `recluster`
 * rebuilds from: policies in link_policies, links and detaches on the link documents.
 *
 * The judgement log is the audit log filtered to these entries (`linkJudgements`): one append-only log, one
 * scoping rule (entries concerning the user's units; ADMIN all).
 */
@Injectable()
export class JudgementLog {
  constructor(private readonly audit: AuditService) {}

  /** Writes a judgement's entry (after its commit). */
  record(
    me: StaffPrincipal,
    meta: RequestMeta,
    e: {
      action: LinkJudgementAction;
      objectId: string;
      unitCodes: Iterable<string>;
      reason: string;
      details: Record<string, string | number | boolean>;
    },
  ): Promise<void> {
    return this.audit.record({
      actorId: me.userId,
      action: e.action,
      objectType: LINK_JUDGEMENT,
      objectId: e.objectId,
      unitCodes: [...new Set(e.unitCodes)],
      reason: e.reason,
      ...meta,
      details: e.details,
    });
  }

  /** The judgement log: audit entries of objectType LinkJudgement concerning the user's units, newest first. */
  list(scope: Scope, first: number | undefined, after: string | undefined): Promise<ConnectionShape<AuditEntry>> {
    return this.audit.list(scope, { objectType: LINK_JUDGEMENT }, first, after);
  }
}

/** The units an audit entry concerns: the regions of the clusters the judgement changed, else the actor's. */
export function unitsOf(events: readonly ClusterEvent[], me: StaffPrincipal): string[] {
  const units = new Set(events.flatMap((e) => e.regionCodes));
  if (units.size === 0) for (const u of me.unitCodes) units.add(u);
  return [...units];
}
