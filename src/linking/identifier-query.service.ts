import { Inject, Injectable } from '@nestjs/common';
import { AuthError, AuthErrorCode } from '../auth/auth.errors';
import { Scope } from '../auth/scope';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { ConnectionShape, decodeAfter, indexedConnection, pageSize, toConnection } from '../common/graphql/pagination';
import { identifierKey, normalizeIdentifier, type IdentifierKind } from '../identifiers';
import { IdentifierKind as IdentifierKindEnum } from '../reports/enums';
import { capFor, kindOfKey, type LinkCluster, type LinkIdentifier } from './engine';
import { LinkLoaders } from './link-loaders';
import { clusterVisible } from './link-scope';
import { LinkStoreRepository } from './link-store.repository';
import { LinkingError, LinkingErrorCode } from './linking.errors';
import {
  Cluster,
  HubIdentifier,
  HubPreview,
  Identifier,
  IdentifierStatusValue,
  LinkPolicyValue,
} from './models/linking.models';

/** Carrying reports read for a hub's preview / a non-linkable identifier's clusters. */
export const PREVIEW_MAX_REPORTS = 1_000;

/**
 * The investigators' reads of identifiers (identifier, its clusters, a cluster's top identifiers, the hub review
 * queue and a hub's preview) and the one place a kind + value typed by staff becomes a linking key. Reads never
 * write; everything per parent goes through the operation's LinkLoaders.
 */
@Injectable()
export class IdentifierQueryService {
  constructor(
    private readonly repo: LinkStoreRepository,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  /** Canonical identifier key of a kind + value, or BAD_USER_INPUT (INVALID_IDENTIFIER) on `field`. */
  keyOf(kind: IdentifierKind | null | undefined, value: string, field = 'value'): string {
    const n = normalizeIdentifier({ kind: kind ?? undefined, value });
    if (!n.ok)
      throw new LinkingError(
        LinkingErrorCode.INVALID_IDENTIFIER,
        `${field}: not a recognisable identifier (${n.reason})`,
        field,
      );
    return identifierKey(n.identifier.kind, n.identifier.value);
  }

  /** null when no report ever carried it; FORBIDDEN when only reports outside the user's units do. */
  async identifier(scope: Scope, kind: IdentifierKind, value: string, L: LinkLoaders): Promise<Identifier | null> {
    const doc = await this.visibleIdentifier(scope, this.keyOf(kind, value), L);
    return doc ? this.toIdentifier(doc) : null;
  }

  /**
   * An identifier the user may see: one carried by a report of a visible cluster (for a non-linkable one, among
   * its first PREVIEW_MAX_REPORTS carriers), as the cluster queries decide. undefined when no report carries
   * it; FORBIDDEN (OUT_OF_UNIT) otherwise — its degree and status are other units' data.
   */
  async visibleIdentifier(scope: Scope, key: string, L: LinkLoaders): Promise<LinkIdentifier | undefined> {
    const doc = await L.identifier.load(key);
    if (!doc || scope.kind === 'ALL') return doc;
    if (!(await this.anyVisibleCarrier(scope, doc, L)))
      throw new AuthError(AuthErrorCode.OUT_OF_UNIT, 'This identifier is carried only by reports outside your units');
    return doc;
  }

  /** Page by page, stopping at the first carrier in a visible cluster (a hub's first page usually settles it). */
  private async anyVisibleCarrier(scope: Scope, doc: LinkIdentifier, L: LinkLoaders): Promise<boolean> {
    const visible = (c: LinkCluster | undefined) => !!c && !c.dead && clusterVisible(scope, c);
    if (doc.clusterId) return visible(await L.root(doc.clusterId));
    for await (const ids of this.carrierPages(doc, PREVIEW_MAX_REPORTS))
      if ((await Promise.all(ids.map((id) => L.clusterOfReport(id)))).some(visible)) return true;
    return false;
  }

  toIdentifier(doc: LinkIdentifier): Identifier {
    const cap = capFor(this.cfg.linking.degreeCaps, doc._id);
    const i = doc._id.indexOf(':');
    return {
      key: doc._id,
      kind: kindOfKey(doc._id) as IdentifierKindEnum,
      value: doc._id.slice(i + 1),
      degree: doc.degree,
      status: doc.warninglisted
        ? IdentifierStatusValue.WARNINGLISTED
        : doc.degree > cap
          ? IdentifierStatusValue.HUB
          : IdentifierStatusValue.ACTIVE,
      policy: doc.policy as LinkPolicyValue,
      linkable: doc.status === 'ACTIVE',
    };
  }

  /**
   * Visible clusters of the reports carrying an identifier: a linkable one has exactly one (its clusterId);
   * for a non-linkable one the first PREVIEW_MAX_REPORTS carriers are read (by member page and _id).
   */
  async identifierClusterIds(scope: Scope, key: string, L: LinkLoaders): Promise<string[]> {
    const doc = await L.identifier.load(key);
    if (!doc) return [];
    let roots: (LinkCluster | undefined)[];
    if (doc.clusterId) roots = [await L.root(doc.clusterId)];
    else {
      const ids = await this.carriers(doc, PREVIEW_MAX_REPORTS);
      roots = await Promise.all(ids.map((id) => L.clusterOfReport(id)));
    }
    const out = new Map<string, LinkCluster>();
    for (const c of roots) if (c && !c.dead && clusterVisible(scope, c)) out.set(c._id, c);
    return [...out.keys()].sort();
  }

  /**
   * The first `max` reports carrying the identifier `key` (a linking key, e.g. `PHONE:+8613800138000`), in the
   * order they were linked: its member pages, one primary-key read each. Reports it was detached from are not
   * among them; [] when no linked report carries it.
   */
  async carrierIds(key: string, max: number): Promise<string[]> {
    const doc = (await this.repo.get('identifiers', key)) as LinkIdentifier | undefined;
    return doc ? this.carriers(doc, max) : [];
  }

  private async carriers(doc: LinkIdentifier, max: number): Promise<string[]> {
    const ids: string[] = [];
    for await (const page of this.carrierPages(doc, max)) ids.push(...page);
    return ids;
  }

  /** The first `max` reports carrying an identifier, one member page (one primary-key read) at a time. */
  private async *carrierPages(doc: LinkIdentifier, max: number): AsyncGenerator<string[]> {
    let left = max;
    for (const pid of doc.memberPages) {
      if (left <= 0) return;
      const [page] = await this.repo.getMany('pages', [pid]);
      const items = ((page?.items as string[] | undefined) ?? []).slice(0, left);
      left -= items.length;
      yield items;
    }
  }

  async clusterIdentifiers(cluster: Cluster, first: number, L: LinkLoaders): Promise<Identifier[]> {
    const top = cluster.top.slice(0, Math.max(0, first));
    const docs = await L.identifier.loadMany(top.map((t) => t.key));
    return docs.filter((d): d is LinkIdentifier => !!d && !(d instanceof Error)).map((d) => this.toIdentifier(d));
  }

  // ---------------------------------------------------------------- hubs

  /**
   * The review queue: identifiers over their cap with policy DEFAULT, highest degree first (ties by key).
   * Reads the small hub registry (link_hubs); the cursor is the last key.
   */
  async hubs(
    first: number | undefined,
    after: string | undefined,
    L: LinkLoaders,
  ): Promise<ConnectionShape<HubIdentifier>> {
    const limit = pageSize(first, 20, 100);
    if (await this.repo.clusterLists.hubBuilds.ready()) {
      const page = await this.repo.clusterLists.hubPage(
        limit,
        decodeAfter(after, (k) => (/^\d+\|./.test(k) ? k : undefined)),
      );
      const docs = await L.identifier.loadMany(page.entries.map((e) => e.id));
      return indexedConnection(
        page.entries.map((e, i) => {
          const d = docs[i];
          return { member: e.member, doc: d && !(d instanceof Error) ? d : undefined };
        }),
        page.hasMore,
        page.total,
        (d) => ({ key: d._id, degree: d.degree, identifier: this.toIdentifier(d) }),
      );
    }
    // the hub list is being built: read the registry meanwhile
    const afterKey = decodeAfter(after);
    const hubs = (await this.repo.scanHubs()) as unknown as { _id: string; degree: number }[];
    hubs.sort((a, b) => b.degree - a.degree || (a._id < b._id ? -1 : 1));
    let start = 0;
    if (afterKey !== undefined) {
      const at = hubs.findIndex((h) => h._id === afterKey);
      start = at < 0 ? hubs.length : at + 1;
    }
    const page = hubs.slice(start, start + limit + 1);
    const docs = await L.identifier.loadMany(page.map((h) => h._id));
    const rows = page
      .map((h, i) => ({ h, d: docs[i] }))
      .filter((x): x is { h: { _id: string; degree: number }; d: LinkIdentifier } => !!x.d && !(x.d instanceof Error));
    return toConnection(
      rows,
      limit,
      hubs.length,
      (x) => x.h._id,
      (x) => ({ key: x.d._id, degree: x.d.degree, identifier: this.toIdentifier(x.d) }),
    );
  }

  /** What ALWAYS would merge: distinct clusters of the carriers and their total size. */
  async hubPreview(key: string, L: LinkLoaders): Promise<HubPreview> {
    const doc = await L.identifier.load(key);
    if (!doc) return { clusters: 0, reports: 0, truncated: false };
    const ids = await this.carriers(doc, PREVIEW_MAX_REPORTS);
    const roots = await Promise.all(ids.map((id) => L.clusterOfReport(id)));
    const distinct = new Map<string, number>();
    for (const c of roots) if (c && !c.dead) distinct.set(c._id, c.size);
    let reports = 0;
    for (const s of distinct.values()) reports += s;
    return { clusters: distinct.size, reports, truncated: doc.degree > ids.length };
  }
}
