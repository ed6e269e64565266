import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import { Model } from 'mongoose';
import { bulkWriteInChunks } from '../store/bulk-write';
import { insertManyIgnoringDuplicates } from '../store/insert';
import { mapLimit } from '../store/map-limit';
import type { StoredCell } from './rollup';
import { StatsClaimDoc, StatsMetaDoc, StatsRollupDoc } from './stats.schema';

/** `_id` reads in flight (one find per document: `$in` scans on FerretDB v1). */
const READS = 16;
const META_ID = 'generation';

export interface Generations {
  current: number;
  building?: number;
}

/** The only code that touches `stats_rollups`, `stats_claims` and `stats_meta`. */
@Injectable()
export class StatsRepository {
  constructor(
    @InjectModel(StatsRollupDoc.name) private readonly rollups: Model<StatsRollupDoc>,
    @InjectModel(StatsClaimDoc.name) private readonly claims: Model<StatsClaimDoc>,
    @InjectModel(StatsMetaDoc.name) private readonly meta: Model<StatsMetaDoc>,
  ) {}

  private get rollupColl(): Collection<StatsRollupDoc> {
    return this.rollups.collection as unknown as Collection<StatsRollupDoc>;
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
      const doc = await this.rollupColl.findOne({ _id: id }, { projection: { cells: 1 } });
      return doc?.cells ?? [];
    });
  }

  /** Writes documents whole (the callers hold their months' locks); a document without cells is deleted. */
  async write(docs: readonly { id: string; cells: StoredCell[] }[], now: Date): Promise<void> {
    const ops: AnyBulkWriteOperation<StatsRollupDoc>[] = docs.map((d) =>
      d.cells.length === 0
        ? { deleteOne: { filter: { _id: d.id } } }
        : {
            replaceOne: {
              filter: { _id: d.id },
              replacement: { _id: d.id, cells: d.cells, updatedAt: now },
              upsert: true,
            },
          },
    );
    await bulkWriteInChunks(this.rollupColl, ops);
  }

  /** Every document of a generation: `stats rebuild --verify` only (a scan; never on a request path). */
  async *scanGeneration(generation: number): AsyncIterable<{ id: string; cells: StoredCell[] }> {
    const cursor = this.rollupColl.find({ _id: { $regex: `^${generation}\\|` } }, { batchSize: 200 });
    for await (const d of cursor) yield { id: d._id, cells: d.cells };
  }

  /** Drops a generation replaced by a rebuild (its rollups and claims: a scan, rebuild only). */
  async dropGeneration(generation: number): Promise<void> {
    await this.rollupColl.deleteMany({ _id: { $regex: `^${generation}\\|` } });
    await this.claims.collection.deleteMany({ _id: { $regex: `^${generation}:` } as never });
  }
}
