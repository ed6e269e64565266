/**
 * The store port of the linking engine: primary-key operations only (STYLE.md "The store": on FerretDB v1 only
 * an exact `{_id}` filter is indexed, and there is no atomic read-modify-write). The engine assumes it is the
 * only writer while it runs one operation — the caller holds the Redis lock of the linking partition — so the
 * port needs no transactions. `getMany*` may be implemented as parallel single-_id reads (never `$in`); results
 * are in the order of the ids, `undefined` for a missing document.
 *
 * `scanReports` is the one non-key operation: a full scan for batch commands (`recluster --verify`), never used
 * by an engine operation.
 */
import type { LinkCluster, LinkIdentifier, LinkPage, LinkReport, LinkVictim } from './types';

export interface LinkStore {
  getReport(id: string): Promise<LinkReport | undefined>;
  getManyReports(ids: readonly string[]): Promise<(LinkReport | undefined)[]>;
  putReport(doc: LinkReport): Promise<void>;

  getIdentifier(key: string): Promise<LinkIdentifier | undefined>;
  getManyIdentifiers(keys: readonly string[]): Promise<(LinkIdentifier | undefined)[]>;
  putIdentifier(doc: LinkIdentifier): Promise<void>;

  getCluster(id: string): Promise<LinkCluster | undefined>;
  getManyClusters(ids: readonly string[]): Promise<(LinkCluster | undefined)[]>;
  putCluster(doc: LinkCluster): Promise<void>;

  getPage(id: string): Promise<LinkPage | undefined>;
  getManyPages(ids: readonly string[]): Promise<(LinkPage | undefined)[]>;
  putPage(doc: LinkPage): Promise<void>;
  deletePage(id: string): Promise<void>;

  getVictim(key: string): Promise<LinkVictim | undefined>;
  getManyVictims(keys: readonly string[]): Promise<(LinkVictim | undefined)[]>;
  putVictim(doc: LinkVictim): Promise<void>;

  /** a fresh unique id such as `cl_…` / `pg_…` (an ObjectId hex or UUID in the mongoose adapter) */
  newId(prefix: string): string;

  /** full scan, batch commands only */
  scanReports(): AsyncIterable<LinkReport>;
}

export type LinkCollection = 'reports' | 'identifiers' | 'clusters' | 'pages' | 'victims';
export type OpCounts = Record<LinkCollection, { get: number; put: number; delete: number }>;

function zeroCounts(): OpCounts {
  return {
    reports: { get: 0, put: 0, delete: 0 },
    identifiers: { get: 0, put: 0, delete: 0 },
    clusters: { get: 0, put: 0, delete: 0 },
    pages: { get: 0, put: 0, delete: 0 },
    victims: { get: 0, put: 0, delete: 0 },
  };
}

export interface InMemoryLinkStoreOptions {
  /**
   * Copy documents on every get and put (default true), so that an engine mutating a document it did not put
   * back is caught by the tests exactly as it would be against a real store.
   */
  copy?: boolean;
}

/**
 * Map-backed LinkStore that counts every get/put/delete per collection (a `getMany` of n ids counts n gets,
 * as the adapter does n single-_id reads). Tests and the bench assert costs with it.
 */
export class InMemoryLinkStore implements LinkStore {
  readonly reports = new Map<string, LinkReport>();
  readonly identifiers = new Map<string, LinkIdentifier>();
  readonly clusters = new Map<string, LinkCluster>();
  readonly pages = new Map<string, LinkPage>();
  readonly victims = new Map<string, LinkVictim>();
  counts: OpCounts = zeroCounts();
  /** ids of every document touched (read or written) since the last resetCounts(), by collection */
  touched: Record<LinkCollection, Set<string>> | undefined;
  private seq = 0;
  private readonly copy: boolean;

  constructor(options: InMemoryLinkStoreOptions = {}) {
    this.copy = options.copy ?? true;
  }

  /** Zero the counters; with `trackTouched`, also record which ids are touched from now on. */
  resetCounts(trackTouched = false): void {
    this.counts = zeroCounts();
    this.touched = trackTouched
      ? { reports: new Set(), identifiers: new Set(), clusters: new Set(), pages: new Set(), victims: new Set() }
      : undefined;
  }

  totalOps(): number {
    let n = 0;
    for (const c of Object.values(this.counts)) n += c.get + c.put + c.delete;
    return n;
  }

  private clone<T>(doc: T): T {
    // a JSON round trip: what a real store does to a document, and it proves the document is JSON-serialisable
    return this.copy ? (JSON.parse(JSON.stringify(doc)) as T) : doc;
  }

  private get<T>(col: LinkCollection, map: Map<string, T>, id: string): T | undefined {
    this.counts[col].get++;
    this.touched?.[col].add(id);
    const doc = map.get(id);
    return doc === undefined ? undefined : this.clone(doc);
  }

  private put<T extends { _id: string }>(col: LinkCollection, map: Map<string, T>, doc: T): void {
    this.counts[col].put++;
    this.touched?.[col].add(doc._id);
    map.set(doc._id, this.clone(doc));
  }

  async getReport(id: string) {
    return this.get('reports', this.reports, id);
  }
  async getManyReports(ids: readonly string[]) {
    return ids.map((id) => this.get('reports', this.reports, id));
  }
  async putReport(doc: LinkReport) {
    this.put('reports', this.reports, doc);
  }

  async getIdentifier(key: string) {
    return this.get('identifiers', this.identifiers, key);
  }
  async getManyIdentifiers(keys: readonly string[]) {
    return keys.map((k) => this.get('identifiers', this.identifiers, k));
  }
  async putIdentifier(doc: LinkIdentifier) {
    this.put('identifiers', this.identifiers, doc);
  }

  async getCluster(id: string) {
    return this.get('clusters', this.clusters, id);
  }
  async getManyClusters(ids: readonly string[]) {
    return ids.map((id) => this.get('clusters', this.clusters, id));
  }
  async putCluster(doc: LinkCluster) {
    this.put('clusters', this.clusters, doc);
  }

  async getPage(id: string) {
    return this.get('pages', this.pages, id);
  }
  async getManyPages(ids: readonly string[]) {
    return ids.map((id) => this.get('pages', this.pages, id));
  }
  async putPage(doc: LinkPage) {
    this.put('pages', this.pages, doc);
  }
  async deletePage(id: string) {
    this.counts.pages.delete++;
    this.touched?.pages.add(id);
    this.pages.delete(id);
  }

  async getVictim(key: string) {
    return this.get('victims', this.victims, key);
  }
  async getManyVictims(keys: readonly string[]) {
    return keys.map((k) => this.get('victims', this.victims, k));
  }
  async putVictim(doc: LinkVictim) {
    this.put('victims', this.victims, doc);
  }

  newId(prefix: string): string {
    this.seq++;
    return `${prefix}_${this.seq.toString(36)}`;
  }

  async *scanReports(): AsyncIterable<LinkReport> {
    for (const r of this.reports.values()) yield this.clone(r);
  }

  /** A deterministic JSON snapshot of every document (tests: "re-running an operation changes nothing"). */
  snapshot(): string {
    const dump = (m: Map<string, unknown>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return JSON.stringify({
      r: dump(this.reports),
      i: dump(this.identifiers),
      c: dump(this.clusters),
      p: dump(this.pages),
      v: dump(this.victims),
    });
  }
}
