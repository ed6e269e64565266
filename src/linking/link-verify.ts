import type { StoredDoc } from './buffered-link-store';
import type { InMemoryLinkStore } from './engine';

/**
 * Where the hub registry (link_hubs) and the judgements (link_policies) disagree with the identifiers as
 * loaded: both are derived or mirrored by the linking holds, so `verify` lists any difference.
 */
export function registryMismatches(
  mem: InMemoryLinkStore,
  hubDocs: readonly StoredDoc[],
  policyDocs: readonly StoredDoc[],
): { hubMismatches: string[]; policyMismatches: string[] } {
  const hubs = new Set(hubDocs.map((h) => h._id));
  const hubMismatches: string[] = [];
  for (const i of mem.identifiers.values()) {
    if ((i.status === 'HUB') !== hubs.has(i._id))
      hubMismatches.push(`${i._id}: status ${i.status}, ${hubs.has(i._id) ? '' : 'not '}in link_hubs`);
    hubs.delete(i._id);
  }
  for (const h of hubs) hubMismatches.push(`${h}: in link_hubs but no identifier`);
  const policies = new Map(policyDocs.map((p) => [p._id, String(p.policy)]));
  const policyMismatches: string[] = [];
  for (const i of mem.identifiers.values()) {
    const judged = policies.get(i._id) ?? 'DEFAULT';
    if (i.policy !== judged) policyMismatches.push(`${i._id}: policy ${i.policy}, judgement ${judged}`);
    policies.delete(i._id);
  }
  for (const [k, p] of policies) policyMismatches.push(`${k}: judgement ${p} but no identifier`);
  return { hubMismatches, policyMismatches };
}
