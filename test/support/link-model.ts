/**
 * Test helpers shared by the specs and the bench: a model of what happened (for the reference), report
 * factories and the stored partition. Not used by production code.
 */
import type { InMemoryLinkStore } from '../../src/linking/engine/store';
import { canonicalPartition, referencePartition, type Partition } from '../../src/linking/engine/reference';
import type { DegreeCaps } from '../../src/linking/engine/rules';
import type { LinkPolicy, NewLinkReport, SummaryFacts } from '../../src/linking/engine/types';

let seq = 0;
export function facts(over: Partial<SummaryFacts> = {}): SummaryFacts {
  seq++;
  return {
    lossFen: 100,
    victimKey: `victim-${seq}`,
    fraudType: 'FAKE_LOAN',
    regionCode: 'DG01',
    channel: 'PHONE_CALL',
    paymentMethod: 'BANK_TRANSFER',
    occurredAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

export function newReport(id: string, identifierKeys: string[], over: Partial<SummaryFacts> = {}): NewLinkReport {
  return { _id: id, identifierKeys, summaryFacts: facts(over) };
}

/** Everything an investigator and the reporters did, in the reference's terms. */
export class LinkModel {
  readonly reports: { id: string; identifierKeys: string[] }[] = [];
  readonly policies = new Map<string, LinkPolicy>();
  readonly detached = new Set<string>();
  readonly links = new Set<string>();
  readonly warnOverride = new Map<string, boolean>();

  constructor(
    readonly caps: DegreeCaps,
    readonly baseWarninglist: (key: string) => boolean,
  ) {}

  isWarninglisted = (key: string): boolean => this.warnOverride.get(key) ?? this.baseWarninglist(key);

  add(id: string, keys: string[]): void {
    if (!this.reports.some((r) => r.id === id)) this.reports.push({ id, identifierKeys: [...new Set(keys)] });
  }
  detach(id: string, key: string): void {
    this.detached.add(`${id}\u0000${key}`);
  }
  reattach(id: string, key: string): void {
    this.detached.delete(`${id}\u0000${key}`);
  }
  link(a: string, b: string): void {
    this.links.add(a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  }
  unlink(a: string, b: string): void {
    this.links.delete(a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  }

  partition(): Partition {
    return referencePartition({
      reports: this.reports,
      policies: this.policies,
      detaches: [...this.detached].map((d) => {
        const [reportId, key] = d.split('\u0000');
        return { reportId, key };
      }),
      links: [...this.links].map((l) => l.split('\u0000') as [string, string]),
      caps: this.caps,
      isWarninglisted: this.isWarninglisted,
    });
  }
}

/** The stored assignment as a partition (aliases resolved without writing). */
export function storedPartition(store: InMemoryLinkStore): Partition {
  const groups = new Map<string, string[]>();
  for (const r of store.reports.values()) {
    let c = store.clusters.get(r.clusterId);
    while (c?.mergedInto !== undefined) c = store.clusters.get(c.mergedInto);
    const root = c?._id ?? `missing:${r.clusterId}`;
    const g = groups.get(root);
    if (g) g.push(r._id);
    else groups.set(root, [r._id]);
  }
  return canonicalPartition(groups.values());
}
