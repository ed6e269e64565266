import { Injectable } from '@nestjs/common';
import { warninglistLookup, type IdentifierKind } from '../identifiers';
import { BufferedLinkStore } from './buffered-link-store';
import { LinkEngineError, LinkingEngine, type LinkIdentifier } from './engine';
import { IdentifierQueryService } from './identifier-query.service';
import { LinkLoaders } from './link-loaders';
import { clusterRegions } from './link-scope';
import { LinkStoreRepository } from './link-store.repository';
import { LinkingError, LinkingErrorCode } from './linking.errors';
import { LinkingService } from './linking.service';
import { LinkPolicyPreview, LinkPolicyValue } from './models/linking.models';

/**
 * The supervisor's look before a link policy change (setIdentifierLinkPolicy has a global effect): the engine
 * applies the policy to a scratch BufferedLinkStore that is never committed, outside the lock, so the preview
 * is exactly what the change would do at that moment (a concurrent link may change it a little by the time it
 * runs). It costs what the change costs: a NEVER on a big cluster reads that cluster.
 */
@Injectable()
export class PolicyPreviewService {
  constructor(
    private readonly repo: LinkStoreRepository,
    private readonly identifiers: IdentifierQueryService,
    private readonly linking: LinkingService,
  ) {}

  async preview(
    kind: IdentifierKind,
    value: string,
    policy: LinkPolicyValue,
    L: LinkLoaders,
  ): Promise<LinkPolicyPreview> {
    const key = this.identifiers.keyOf(kind, value);
    const doc = await L.identifier.load(key);
    const refusal = policyRefusal(key, policy, doc);
    const out: LinkPolicyPreview = {
      identifier: doc ? this.identifiers.toIdentifier(doc) : null,
      policy,
      refusal,
      mergedClusters: 0,
      splitClusters: 0,
      clustersAfterSplits: 0,
      reportsAffected: 0,
      regionCodes: [],
    };
    if (refusal !== null) return out;
    const store = new BufferedLinkStore(this.repo);
    const engine = new LinkingEngine(store, this.linking.options);
    let events;
    try {
      events = await engine.setPolicy(key, policy);
    } catch (e) {
      if (e instanceof LinkEngineError) throw new LinkingError(LinkingErrorCode.INVALID_IDENTIFIER, e.message, 'value');
      throw e;
    }
    const sizes = new Map<string, number>();
    const regions = new Set<string>();
    for (const e of events) {
      if (e.type === 'MERGED') out.mergedClusters += e.mergedFrom?.length ?? 0;
      if (e.type === 'SPLIT') {
        out.splitClusters++;
        out.clustersAfterSplits += e.splitInto?.length ?? 0;
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
}

/**
 * Why a policy change is refused, or null: ALWAYS on a warninglisted value (an official number, a platform
 * domain) would link every victim who was ever called by their bank — it never links, whatever its policy.
 */
export function policyRefusal(key: string, policy: LinkPolicyValue, doc: LinkIdentifier | undefined): string | null {
  if (policy !== LinkPolicyValue.ALWAYS) return null;
  const i = key.indexOf(':');
  const entry = warninglistLookup({ kind: key.slice(0, i) as IdentifierKind, value: key.slice(i + 1) });
  if (!(doc?.warninglisted ?? entry !== undefined)) return null;
  const what = entry ? ` (${entry.noteEn})` : '';
  return `${key.slice(i + 1)} is on the warninglist${what}: a warninglisted value never links reports, whatever its policy`;
}
