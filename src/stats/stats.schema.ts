import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A rollup document (src/stats/rollup.ts): `_id` = `<generation>|<period>|<cube>`, every cell of the period.
 * Stored in the collection of its month, `stats_rollups_<YYYY_MM>` (StatsRepository), written whole.
 */
export interface StatsRollupDoc {
  _id: string;
  /** encodeCells (src/stats/rollup.ts) */
  cells: string;
  updatedAt: Date;
}

/**
 * A report (or a correction of it) counted into one rollup generation: `_id` = `<generation>:<reportId>` or
 * `<generation>:<reportId>@<correctionId>`. Inserted before the figures are added, under the month's lock.
 */
@Schema({ collection: 'stats_claims', versionKey: false })
export class StatsClaimDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: Date, required: true })
  at: Date;
}
export const StatsClaimSchema = SchemaFactory.createForClass(StatsClaimDoc);

/**
 * `_id` = `generation`: the generation queries read (`current`) and, during `stats rebuild`, the one being
 * built (`building`), which the incremental path feeds as well. Written by the rebuild only, under its lease.
 */
@Schema({ collection: 'stats_meta', versionKey: false })
export class StatsMetaDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: Number, required: true })
  current: number;

  @Prop({ type: Number })
  building?: number;
}
export const StatsMetaSchema = SchemaFactory.createForClass(StatsMetaDoc);
