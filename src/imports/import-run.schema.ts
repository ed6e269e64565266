import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** COUNTING while reports are inserted and counted; LINKING once all are counted; DONE at the end. */
export type ImportRunState = 'COUNTING' | 'LINKING' | 'DONE';

/**
 * One run of `siqian import` (ImportCounter): the reports it inserts carry its `_id` (`importRun`) and the round
 * that counts them (`importRound`). A run that is not DONE and whose Redis lease has lapsed died: the next
 * import recovers it (counts the round it did not finish, links its reports) before its own work.
 */
@Schema({ collection: 'import_runs', versionKey: false })
export class ImportRunDoc {
  /** `<source>-<yyyymmddhhmmss>-<random>` */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  source: string;

  /** the file's name as given to the command */
  @Prop({ type: String, required: true })
  file: string;

  @Prop({ type: String, required: true })
  state: ImportRunState;

  /** rounds whose counts are in the statistics (1, 2, … : the round in progress is `rounds + 1`) */
  @Prop({ type: Number, required: true })
  rounds: number;

  /** reports this run inserted and counted so far */
  @Prop({ type: Number, required: true })
  counted: number;

  @Prop({ type: Date, required: true })
  startedAt: Date;

  @Prop({ type: Date, required: true })
  updatedAt: Date;
}
export const ImportRunSchema = SchemaFactory.createForClass(ImportRunDoc);
