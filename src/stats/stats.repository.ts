import { Injectable } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import { Connection, Model } from 'mongoose';
import { bulkWriteInChunks } from '../store/bulk-write';
import { insertManyIgnoringDuplicates } from '../store/insert';
import { mapLimit } from '../store/map-limit';
import { decodeCells, encodeCells, type StoredCell } from './rollup';
import { StatsClaimDoc, StatsMetaDoc, type StatsRollupDoc } from './stats.schema';

/** `_id` reads in flight (one find per document: `$in` scans on FerretDB v1). */
const READS = 16;
const META_ID = 'generation';
/** Day documents live in one collection per month (`stats_rollups_2026_11`), month documents per year (`stats_rollups_m2026`). */
const ROLLUPS_PREFIX = 'stats_rollups_';

/** The collection of a rollup document (`<generation>|<period>|<cube>`). */
export function rollupCollectionOf(id: string): string {
  const period = id.split('|')[1];
  return period.length === 7
    ? `${ROLLUPS_PREFIX}m${period.slice(0, 4)}`
    : `${ROLLUPS_PREFIX}${period.slice(0, 7).replace('-', '_')}`;
}

function byCollection<T extends { id: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const name = rollupCollectionOf(it.id);
    out.set(name, [...(out.get(name) ?? []), it]);
  }
  return out;
}

export interface Generations {
  current: number;
  building?: number;
}

/**
 * The only code that touches `stats_rollups_*`, `stats_claims` and `stats_meta`. Small collections because
 * FerretDB v1's reads and writes by `_id` cost more as their collection grows: a write reads one month's day
 * documents, not every month's, and the month documents a year's query reads are not among the larger day ones.
 */
@Injectable()
export class StatsRepository {
  constructor(
    @InjectConnection() private readonly conn: Connection,
    @InjectModel(StatsClaimDoc.name) private readonly claims: Model<StatsClaimDoc>,
    @InjectModel(StatsMetaDoc.name) private readonly meta: Model<StatsMetaDoc>,
  ) {}

  private rollupColl(name: string): Collection<StatsRollupDoc> {
    return this.conn.collection(name) as unknown as Collection<StatsRollupDoc>;
  }

  private async rollupCollections(): Promise<string[]> {
    const all = await this.conn.db?.listCollections({}, { nameOnly: true }).toArray();
    return (all ?? []).map((c) => c.name).filter((n) => n.startsWith(ROLLUPS_PREFIX));
  }

  async generations(): Promise<Generations> {
    const doc = await this.meta.collection.findOne({ _id: META_ID as never });
    if (!doc) return { current: 1 };
    const g: Generations = { current: doc.current as number };
    if (typeof doc.building === 'number') g.building = doc.building;
    return g;
  }

  async setGenerations(g: Generations): Promise<void> {
    const doc: Record<string, unknown> = { _id: META_ID, current: g.current };
    if (g.building !== undefined) doc.building = g.building;
    await this.meta.collection.replaceOne({ _id: META_ID as never }, doc, { upsert: true });
  }

  /** Inserts the claims; returns the positions of those taken before (already counted). */
  claim(ids: readonly string[], at: Date): Promise<Set<number>> {
    return insertManyIgnoringDuplicates(
      this.claims.collection as never,
      ids.map((_id) => ({ _id, at })),
    );
  }

  /** The cells of each document (empty for a document never written), in the order of `ids`. */
  async cellsOf(ids: readonly string[]): Promise<StoredCell[][]> {
    return mapLimit(ids, READS, async (id) => {
      const doc = await this.rollupColl(rollupCollectionOf(id)).findOne({ _id: id });
      return decodeCells(doc?.cells);
    });
  }

  /** Writes documents whole (the callers hold their months' locks); a document without cells is deleted. */
  async write(docs: readonly { id: string; cells: StoredCell[] }[], now: Date): Promise<void> {
    for (const [name, list] of byCollection(docs)) {
      const ops: AnyBulkWriteOperation<StatsRollupDoc>[] = list.map((d) =>
        d.cells.length === 0
          ? { deleteOne: { filter: { _id: d.id } } }
          : {
              replaceOne: {
                filter: { _id: d.id },
                replacement: { _id: d.id, cells: encodeCells(d.cells), updatedAt: now },
                upsert: true,
              },
            },
      );
      await bulkWriteInChunks(this.rollupColl(name), ops);
    }
  }

  /** Every document of a generation: `stats rebuild --verify` only (a scan; never on a request path). */
  async *scanGeneration(generation: number): AsyncIterable<{ id: string; cells: StoredCell[] }> {
    for (const name of await this.rollupCollections()) {
      const cursor = this.rollupColl(name).find({ _id: { $regex: `^${generation}\\|` } }, { batchSize: 200 });
      for await (const d of cursor) yield { id: d._id, cells: decodeCells(d.cells) };
    }
  }

  /** Drops a generation replaced by a rebuild (its rollups and claims: a scan, rebuild only). */
  async dropGeneration(generation: number): Promise<void> {
    for (const name of await this.rollupCollections())
      await this.rollupColl(name).deleteMany({ _id: { $regex: `^${generation}\\|` } });
    await this.claims.collection.deleteMany({ _id: { $regex: `^${generation}:` } as never });
  }
}
