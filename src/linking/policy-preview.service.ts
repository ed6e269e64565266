import { Injectable } from '@nestjs/common';
import type { Scope } from '../auth/scope';
import type { IdentifierKind } from '../identifiers';
import { BufferedLinkStore } from './buffered-link-store';
import { LinkEngineError, LinkingEngine, type LinkCluster, type LinkEvent } from './engine';
import { IdentifierQueryService } from './identifier-query.service';
import { assertCarries, mapEngineErrors, policyRefusal } from './judgement-rules';
import { LinkLoaders } from './link-loaders';
import { LinkQueryService } from './link-query.service';
import { clusterRegions, clusterVisible, reportVisible } from './link-scope';
import { LinkStoreRepository } from './link-store.repository';
import { LinkingError, LinkingErrorCode } from './linking.errors';
import { LinkingService } from './linking.service';
import { ClusterSplit, DetachPreview, JudgementPreview, SplitPart } from './models/judgement-preview.models';
import { LinkPolicyPreview, LinkPolicyValue } from './models/linking.models';

/** Report ids shown per part that leaves, and parts shown per split: a preview stays a page, not a dump. */
const IDS_PER_PART = 20;
const PARTS_PER_SPLIT = 50;

/**
 * The look before a judgement (setIdentifierLinkPolicy has a global effect; detachIdentifier may split a case):
 * the engine runs the judgement on a scratch BufferedLinkStore that is never committed, outside the lock, so the
 * preview is exactly what the change would do at that moment (a concurrent link may change it a little by the
 * time it runs). It costs what the change costs: primary-key reads of the clusters concerned, member by member.
 * Report ids are shown as the staff API shows reports (link-scope.ts); other units' reports are only counted.
 */
@Injectable()
export class PolicyPreviewService {
  constructor(
    private readonly repo: LinkStoreRepository,
    private readonly identifiers: IdentifierQueryService,
    private readonly linking: LinkingService,
    private readonly query: LinkQueryService,
  ) {}

  async preview(
    scope: Scope,
    kind: IdentifierKind,
    value: string,
    policy: LinkPolicyValue,
    L: LinkLoaders,
  ): Promise<LinkPolicyPreview> {
    const key = this.identifiers.keyOf(kind, value);
    const doc = await L.identifier.load(key);
    const refusal = policyRefusal(key, policy, doc);
    const head = { identifier: doc ? this.identifiers.toIdentifier(doc) : null, policy, refusal };
    if (refusal !== null) return { ...head, ...NOTHING };
    return {
      ...head,
      ...(await this.dryRun(scope, async (engine) => {
        try {
          return await engine.setPolicy(key, policy);
        } catch (e) {
          if (e instanceof LinkEngineError)
            throw new LinkingError(LinkingErrorCode.INVALID_IDENTIFIER, e.message, 'value');
          throw e;
        }
      })),
    };
  }

  /** What detachIdentifier would do; refused as the mutation would be (unknown, unlinked, foreign, not carried). */
  async detach(
    scope: Scope,
    reportId: string,
    kind: IdentifierKind,
    value: string,
    L: LinkLoaders,
  ): Promise<DetachPreview> {
    await this.query.requireLinkedReport(scope, reportId, L, 'reportId');
    const key = this.identifiers.keyOf(kind, value);
    assertCarries(await L.linkReport.load(reportId), reportId, key);
    return this.dryRun(scope, (engine) => mapEngineErrors(() => engine.detach(reportId, key)));
  }

  private async dryRun(
    scope: Scope,
    change: (engine: LinkingEngine) => Promise<LinkEvent[]>,
  ): Promise<JudgementPreview> {
    const store = new BufferedLinkStore(this.repo);
    const engine = new LinkingEngine(store, this.linking.options);
    const events = await change(engine);
    const out: JudgementPreview = { ...NOTHING, regionCodes: [], splits: [] };
    const sizes = new Map<string, number>();
    const regions = new Set<string>();
    for (const e of events) {
      if (e.type === 'MERGED') out.mergedClusters += e.mergedFrom?.length ?? 0;
      if (e.type === 'SPLIT') {
        out.splitClusters++;
        out.clustersAfterSplits += e.splitInto?.length ?? 0;
        out.splits.push(await this.split(scope, e, engine, store));
      }
      sizes.set(e.clusterId, Math.max(sizes.get(e.clusterId) ?? 0, e.size));
      for (const id of e.type === 'SPLIT' ? (e.splitInto ?? []) : [e.clusterId]) {
        const c = await store.getCluster(id);
        if (c) for (const r of clusterRegions(c)) regions.add(r);
      }
    }
    // one change may report a cluster more than once (several merges into one survivor): count it once, at its largest
    for (const s of sizes.values()) out.reportsAffected += s;
    out.regionCodes = [...regions].sort();
    return out;
  }

  /** One SPLIT event as the parts the cluster splits into, read from the scratch store (already in memory). */
  private async split(
    scope: Scope,
    e: LinkEvent,
    engine: LinkingEngine,
    store: BufferedLinkStore,
  ): Promise<ClusterSplit> {
    const before = (await this.repo.get('clusters', e.clusterId)) as LinkCluster | undefined;
    const parts = await Promise.all(
      (e.splitInto ?? []).map(async (id) => {
        const cluster = (await store.getCluster(id)) as LinkCluster;
        const ids = (await engine.members(id)).sort();
        const reports = await store.getManyReports(ids);
        const visible = ids.filter((_, i) => reportVisible(scope, reports[i]?.summaryFacts.regionCode ?? '', cluster));
        return { cluster, ids, visible };
      }),
    );
    parts.sort((a, b) => b.ids.length - a.ids.length || (a.ids[0] < b.ids[0] ? -1 : 1));
    return {
      clusterId: before && clusterVisible(scope, before) ? e.clusterId : null,
      size: e.size,
      partCount: parts.length,
      parts: parts.slice(0, PARTS_PER_SPLIT).map((p, i): SplitPart => ({
        size: p.ids.length,
        leaves: i > 0,
        reportIds: i > 0 ? p.visible.slice(0, IDS_PER_PART) : [],
        hiddenReportCount: p.ids.length - p.visible.length,
        regionCodes: clusterRegions(p.cluster).sort(),
      })),
    };
  }
}

const NOTHING = {
  mergedClusters: 0,
  splitClusters: 0,
  clustersAfterSplits: 0,
  reportsAffected: 0,
  regionCodes: [] as string[],
  splits: [] as ClusterSplit[],
};
