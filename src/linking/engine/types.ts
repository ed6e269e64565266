/**
 * Documents and shared types of the linking engine. Plain JSON-serialisable objects: no `.` or leading `$` in
 * keys, no nested arrays, optional fields absent rather than null (FerretDB v1 rules, see STYLE.md "The store").
 */

/** An investigator's override on one identifier. DEFAULT follows the degree cap; ALWAYS ignores the cap. */
export type LinkPolicy = 'DEFAULT' | 'NEVER' | 'ALWAYS';
export const LINK_POLICIES: readonly LinkPolicy[] = ['DEFAULT', 'NEVER', 'ALWAYS'];

/**
 * Derived status, stored for cheap reads and recomputed on every write from degree, policy, cap and the
 * warninglist flag (see `identifierStatus`). Only ACTIVE links reports. The public API shows ACTIVE, HUB and
 * WARNINGLISTED; NEVER is the investigator's override (the API layer decides how to present it).
 */
export type IdentifierStatus = 'ACTIVE' | 'HUB' | 'WARNINGLISTED' | 'NEVER';

/** The facts of one report that the cluster summary aggregates. */
export interface SummaryFacts {
  /** exact loss in integer fen (分); 0 for a contact without loss */
  lossFen: number;
  /**
   * A stable key of the person who was targeted (e.g. a hash of the reporter's contact). Absent: the report is
   * its own victim — counted once, shared with no other report, and no link_victims document is written for it
   * (100,000 imported rows without a contact wrote 99,998 such documents, a tenth of an import's time). Stores
   * linked before keep their `report:<id>` keys, which still count one victim each.
   */
  victimKey?: string;
  fraudType: string;
  regionCode: string;
  channel: string;
  paymentMethod: string;
  /** ISO-8601 UTC, e.g. 2026-01-02T03:04:05.000Z */
  occurredAt: string;
}

/** What the caller hands to `addReport`. Explicit links are added later with `linkReports`. */
export interface NewLinkReport {
  _id: string;
  /** identifier keys `${kind}:${value}` (see identifierKey); duplicates are ignored */
  identifierKeys: string[];
  summaryFacts: SummaryFacts;
}

/** collection `link_reports`, _id = the report id */
export interface LinkReport {
  _id: string;
  /** edges in force: the report's identifiers minus the detached ones (distinct) */
  identifierKeys: string[];
  /** identifiers an investigator detached from this report (reattach moves them back) */
  detachedKeys: string[];
  /** explicit investigator links to other report ids (stored on both reports) */
  explicitLinks: string[];
  /** a cluster id, possibly an alias of the real one (resolve with LinkingEngine.find) */
  clusterId: string;
  summaryFacts: SummaryFacts;
}

/** collection `link_identifiers`, _id = identifierKey(kind, value) */
export interface LinkIdentifier {
  _id: string;
  kind: string;
  /** distinct reports carrying it, after detaches */
  degree: number;
  policy: LinkPolicy;
  /** copied from the warninglist when the identifier is created (or changed with setWarninglisted) */
  warninglisted: boolean;
  status: IdentifierStatus;
  /**
   * Present iff the identifier is linkable (status ACTIVE) and degree > 0; then every report carrying it is in
   * this cluster (after resolving aliases).
   */
  clusterId?: string;
  /** ids of the pages listing the reports that carry it (in insertion order) */
  memberPages: string[];
}

export interface TopIdentifier {
  key: string;
  degree: number;
}

/**
 * Aggregates over the members of a cluster, kept exact under growth, merges and splits (the invariant checker
 * recomputes them from scratch and compares).
 */
export interface ClusterSummary {
  reportCount: number;
  /** distinct SummaryFacts.victimKey among members (exact, see LinkCluster.crossVictims) */
  victimCount: number;
  /** Σ lossFen, an exact integer (must stay a safe integer) */
  lossFen: number;
  byFraudType: Record<string, number>;
  byRegion: Record<string, number>;
  byChannel: Record<string, number>;
  byPaymentMethod: Record<string, number>;
  /** min / max of the members' occurredAt (absent for an empty summary) */
  firstReportAt?: string;
  lastReportAt?: string;
  /**
   * The N (engine option topIdentifiers, default 10) LINKABLE identifiers of the cluster with the highest
   * degree, ordered by degree descending then key ascending. A linkable identifier lives in exactly one cluster,
   * so its degree is its degree within the cluster. Hubs, NEVER and warninglisted values are not listed (they
   * are not what holds the cluster together).
   */
  topIdentifiers: TopIdentifier[];
}

/** collection `link_clusters` */
export interface LinkCluster {
  _id: string;
  /** member count of a live root; 0 for an alias or a dead cluster */
  size: number;
  /** ids of the pages listing the members; every two adjacent pages hold more than pageSize items together */
  memberPages: string[];
  /**
   * victimKeys of members whose victim also has reports in another cluster. Usually empty or tiny: it is what
   * makes victimCount exact under a merge in O(|smaller.crossVictims|) instead of O(members).
   */
  crossVictims: string[];
  summary: ClusterSummary;
  /** alias: this cluster was merged into that one (union-find forwarding, compressed on read) */
  mergedInto?: string;
  /** set when a recompute split the cluster; its members now live in splitInto */
  dead?: true;
  splitInto?: string[];
}

/** collection `link_pages`: a page of a member list, owned by exactly one cluster or identifier */
export interface LinkPage {
  _id: string;
  items: string[];
}

/** collection `link_victims`, _id = victimKey: the reports of one victim (usually one to a few) */
export interface LinkVictim {
  _id: string;
  reportIds: string[];
}

export type LinkEventType = 'CREATED' | 'GREW' | 'MERGED' | 'SPLIT';

/** What the wiring layer publishes as `clusterUpdated` and as the Bull event. */
export interface LinkEvent {
  type: LinkEventType;
  /** the surviving / new cluster; for SPLIT the dead cluster */
  clusterId: string;
  /** MERGED: the clusters that became aliases of clusterId */
  mergedFrom?: string[];
  /** SPLIT: the new clusters */
  splitInto?: string[];
  /** the size of clusterId after the operation (for SPLIT: the size before the split) */
  size: number;
}

/** A domain error of the engine; the service maps codes to GraphQL errors. */
export type LinkEngineErrorCode = 'NOT_FOUND' | 'BAD_INPUT';
export class LinkEngineError extends Error {
  constructor(
    readonly code: LinkEngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LinkEngineError';
  }
}
