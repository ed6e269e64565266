/**
 * The engine's LinkStore for ONE hold of the linking lock: a read-through cache with write-behind. Plain
 * TypeScript (no Nest, no mongoose) so that it is unit-tested with the engine's own reference.
 *
 * - Reads go to the cache first; misses are fetched from the `DocSource` by primary key (parallel single-_id
 *   reads, never `$in`). `prefetch` warms the cache with many ids in parallel before the engine runs, which is
 *   what turns the engine's sequential awaits into a few parallel rounds on the real store.
 * - Writes (put/delete) only update the cache and a dirty set. `writes()` returns the final image of every
 *   dirty document once (a document written ten times during a batch of reports is stored once), in an order
 *   that keeps concurrent readers' view sane: pages, victims and clusters before the identifiers and reports
 *   that point at them, page deletions last.
 * - Every document handed out is a copy (the engine mutates what it reads), as InMemoryLinkStore does.
 *
 * It also maintains two derived collections the engine does not know about:
 * - `hubs`: one document per identifier whose status is HUB (the `hubIdentifiers` review queue reads this small
 *   collection instead of scanning every identifier); written when an identifier is stored as HUB, deleted
 *   when an identifier that was loaded as HUB is stored with another status.
 * - `policies`: investigators' NEVER/ALWAYS judgements with who/why (the source of truth `recluster` reads),
 *   written by the linking service through `putExtra` in the same commit as the engine's own writes.
 *
 * Only valid while the caller holds the lock. A cache outlives its hold only through `afterCommit`, and only when
 * nobody else held the lock in between (the caller compares the lock's generations).
 */
import type { StoredDoc, VersionedRead, VersionedWrite } from '../store/versioned-store';
import type { LinkCollection, LinkStore } from './engine';

export type { StoredDoc, VersionedRead } from '../store/versioned-store';
import type { LinkCluster, LinkIdentifier, LinkPage, LinkReport, LinkVictim } from './engine';

export type DocCollection = LinkCollection | 'hubs' | 'policies';

/** Collections stored as immutable versions (insert-only; see LinkStoreRepository). */
export const VERSIONED: ReadonlySet<DocCollection> = new Set<DocCollection>([
  'reports',
  'identifiers',
  'clusters',
  'pages',
  'victims',
]);

/** One write of a commit (see VersionedWrite). */
export type LinkWrite = VersionedWrite<DocCollection>;

/** What the buffered store reads from: the real store (mongoose repository) or a map in tests. */
export interface DocSource {
  /** current documents in the order of `ids` with their versions; by primary key only */
  getManyVersioned(col: DocCollection, ids: readonly string[]): Promise<VersionedRead[]>;
  scanReports(): AsyncIterable<LinkReport>;
  newId(prefix: string): string;
}

/** `hubs` document: an identifier over its cap with policy DEFAULT (the review queue). */
export interface HubDoc {
  _id: string;
  kind: string;
  degree: number;
}

/** `policies` document: an investigator's NEVER/ALWAYS judgement on an identifier (DEFAULT deletes it). */
export interface PolicyDoc {
  _id: string;
  policy: 'NEVER' | 'ALWAYS';
  reason: string;
  actorId: string;
  at: string;
}

const WRITE_ORDER: DocCollection[] = ['pages', 'victims', 'clusters', 'identifiers', 'reports', 'hubs', 'policies'];

const keyOf = (col: DocCollection, id: string) => `${col}\u0000${id}`;

function copy<T>(doc: T): T {
  return structuredClone(doc);
}

export class BufferedLinkStore implements LinkStore {
  /** null = known to be absent */
  private readonly cache = new Map<string, StoredDoc | null>();
  private readonly dirty = new Map<string, LinkWrite>();
  /** identifiers whose stored status (when first read) was HUB */
  private readonly loadedAsHub = new Set<string>();
  /** documents read from the source: present or absent when first read, and the version read */
  private readonly known = new Map<string, { present: boolean; version: number }>();
  /** documents first written without ever being read (fresh ids): created within this hold */
  private readonly fresh = new Set<string>();
  /** documents fetched from the source (for the bench and logs) */
  fetched = 0;

  constructor(private readonly source: DocSource) {}

  // ---------------------------------------------------------------- cache

  /** Fetches the ids not cached yet, in parallel, by primary key. */
  async prefetch(col: DocCollection, ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.cache.has(keyOf(col, id)));
    if (missing.length === 0) return;
    const reads = await this.source.getManyVersioned(col, missing);
    this.fetched += missing.length;
    missing.forEach((id, i) => {
      const { doc, version } = reads[i];
      // a concurrent prefetch of the same id may have landed first; never overwrite a local write
      if (this.cache.has(keyOf(col, id))) return;
      this.cache.set(keyOf(col, id), doc ?? null);
      this.known.set(keyOf(col, id), { present: !!doc, version });
      if (col === 'identifiers' && doc && (doc as unknown as LinkIdentifier).status === 'HUB') this.loadedAsHub.add(id);
    });
  }

  /**
   * Records documents the caller KNOWS were never stored (e.g. link documents of reports inserted moments ago
   * by this very import): later reads of them cost nothing. Wrong use would overwrite a stored document.
   */
  assumeAbsent(col: DocCollection, ids: Iterable<string>): void {
    for (const id of ids) {
      const k = keyOf(col, id);
      if (this.cache.has(k)) continue;
      this.cache.set(k, null);
      this.known.set(k, { present: false, version: 0 });
    }
  }

  /** The cached document (no fetch); undefined when absent or not cached. */
  peek<T>(col: DocCollection, id: string): T | undefined {
    const doc = this.cache.get(keyOf(col, id));
    return doc ? (copy(doc) as unknown as T) : undefined;
  }

  /** The cached document itself, without a copy (read-only use, e.g. planning a prefetch); never mutate it. */
  inspect<T>(col: DocCollection, id: string): Readonly<T> | undefined {
    return (this.cache.get(keyOf(col, id)) ?? undefined) as unknown as Readonly<T> | undefined;
  }

  private async getManyOf<T>(col: DocCollection, ids: readonly string[]): Promise<(T | undefined)[]> {
    await this.prefetch(col, ids);
    return ids.map((id) => {
      const doc = this.cache.get(keyOf(col, id));
      return doc ? (copy(doc) as unknown as T) : undefined;
    });
  }

  private async getOne<T>(col: DocCollection, id: string): Promise<T | undefined> {
    return (await this.getManyOf<T>(col, [id]))[0];
  }

  private putDoc(col: DocCollection, doc: StoredDoc): void {
    if (!this.known.has(keyOf(col, doc._id))) this.fresh.add(keyOf(col, doc._id));
    const stored = copy(doc);
    this.cache.set(keyOf(col, doc._id), stored);
    this.dirty.set(keyOf(col, doc._id), { col, id: doc._id, doc: stored });
  }

  private deleteDoc(col: DocCollection, id: string): void {
    this.cache.set(keyOf(col, id), null);
    this.dirty.set(keyOf(col, id), { col, id });
  }

  /** Writes a document of a collection the engine does not know (policies). */
  putExtra(col: 'policies', doc: StoredDoc): void {
    this.putDoc(col, doc);
  }

  deleteExtra(col: 'policies', id: string): void {
    this.deleteDoc(col, id);
  }

  get dirtyCount(): number {
    return this.dirty.size;
  }

  /** Documents cached (read or written). */
  get cachedCount(): number {
    return this.cache.size;
  }

  /**
   * The store for the NEXT hold, once this hold's `writes()` were committed: the same cache, with every written
   * document now known as stored at the version just written. Only valid when nobody else held the lock in
   * between (the caller checks the lock's generation); the engine's reads of everything this hold read or
   * wrote then cost nothing (an import's linking, LinkingService.linkHolds).
   */
  afterCommit(): BufferedLinkStore {
    const next = new BufferedLinkStore(this.source);
    for (const [k, v] of this.cache) next.cache.set(k, v);
    for (const [k, v] of this.known) next.known.set(k, v);
    const written = new Set<string>();
    for (const w of this.writes()) {
      if (w.col === 'hubs') continue; // derived from the identifiers: see loadedAsHub below
      const k = keyOf(w.col, w.id);
      written.add(k);
      next.known.set(k, { present: !!w.doc, version: VERSIONED.has(w.col) ? (w.version ?? 1) : w.doc ? 1 : 0 });
    }
    for (const k of this.dirty.keys()) {
      // created and deleted within the hold: never stored
      if (!written.has(k)) next.known.set(k, { present: false, version: this.known.get(k)?.version ?? 0 });
    }
    for (const [k, doc] of next.cache) {
      if (!k.startsWith(`identifiers\u0000`) || !doc) continue;
      if ((doc as unknown as LinkIdentifier).status === 'HUB') next.loadedAsHub.add(doc._id);
    }
    return next;
  }

  /**
   * The commit: the final image of every dirty document, once, in write order (see the file comment), plus
   * the hub registry writes derived from the identifiers written.
   */
  writes(): LinkWrite[] {
    const all: LinkWrite[] = [];
    for (const [k, w] of this.dirty) {
      const state = this.known.get(k);
      const neverStored = state?.present === false || (state === undefined && this.fresh.has(k));
      if (!w.doc && neverStored) continue; // created and deleted within the hold: nothing to delete
      if (VERSIONED.has(w.col)) all.push({ ...w, version: (state?.version ?? 0) + 1 });
      else if (!w.doc || state?.present) all.push(w);
      else all.push({ ...w, isNew: true });
    }
    for (const w of [...all]) {
      if (w.col !== 'identifiers' || !w.doc) continue;
      const ident = w.doc as unknown as LinkIdentifier;
      if (ident.status === 'HUB') {
        const hub: HubDoc = { _id: ident._id, kind: ident.kind, degree: ident.degree };
        all.push({
          col: 'hubs',
          id: ident._id,
          doc: hub as unknown as StoredDoc,
          ...(this.loadedAsHub.has(ident._id) ? {} : { isNew: true as const }),
        });
      } else if (this.loadedAsHub.has(ident._id)) {
        all.push({ col: 'hubs', id: ident._id });
      }
    }
    const rank = (w: LinkWrite) => (w.col === 'pages' && !w.doc ? WRITE_ORDER.length : WRITE_ORDER.indexOf(w.col));
    return all
      .map((w, i) => ({ w, i }))
      .sort((a, b) => rank(a.w) - rank(b.w) || a.i - b.i)
      .map(({ w }) => w);
  }

  // ---------------------------------------------------------------- LinkStore

  getReport(id: string) {
    return this.getOne<LinkReport>('reports', id);
  }
  getManyReports(ids: readonly string[]) {
    return this.getManyOf<LinkReport>('reports', ids);
  }
  async putReport(doc: LinkReport) {
    this.putDoc('reports', doc as unknown as StoredDoc);
  }

  getIdentifier(key: string) {
    return this.getOne<LinkIdentifier>('identifiers', key);
  }
  getManyIdentifiers(keys: readonly string[]) {
    return this.getManyOf<LinkIdentifier>('identifiers', keys);
  }
  async putIdentifier(doc: LinkIdentifier) {
    this.putDoc('identifiers', doc as unknown as StoredDoc);
  }

  getCluster(id: string) {
    return this.getOne<LinkCluster>('clusters', id);
  }
  getManyClusters(ids: readonly string[]) {
    return this.getManyOf<LinkCluster>('clusters', ids);
  }
  async putCluster(doc: LinkCluster) {
    this.putDoc('clusters', doc as unknown as StoredDoc);
  }

  getPage(id: string) {
    return this.getOne<LinkPage>('pages', id);
  }
  getManyPages(ids: readonly string[]) {
    return this.getManyOf<LinkPage>('pages', ids);
  }
  async putPage(doc: LinkPage) {
    this.putDoc('pages', doc as unknown as StoredDoc);
  }
  async deletePage(id: string) {
    this.deleteDoc('pages', id);
  }

  getVictim(key: string) {
    return this.getOne<LinkVictim>('victims', key);
  }
  getManyVictims(keys: readonly string[]) {
    return this.getManyOf<LinkVictim>('victims', keys);
  }
  async putVictim(doc: LinkVictim) {
    this.putDoc('victims', doc as unknown as StoredDoc);
  }

  newId(prefix: string): string {
    return this.source.newId(prefix);
  }

  scanReports(): AsyncIterable<LinkReport> {
    return this.source.scanReports();
  }
}

/**
 * A read-only LinkStore for the API's graph walks and reads (caseGraph, explainLink, cluster pages): reads by
 * primary key through a per-operation cache, writes are dropped. The engine's only write on a read path is
 * the path compression of `find`; readers never write (compression happens under the lock), so a reader can
 * never overwrite a document a concurrent linking operation just wrote.
 */
export class ReadOnlyLinkStore extends BufferedLinkStore {
  override async putReport() {}
  override async putIdentifier() {}
  override async putCluster() {}
  override async putPage() {}
  override async deletePage() {}
  override async putVictim() {}
}
