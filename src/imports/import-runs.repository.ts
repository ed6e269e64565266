import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { ImportRunDoc, ImportRunState } from './import-run.schema';

export type ImportRunRecord = ImportRunDoc;

/** import_runs: one small document per import, written by `_id`; listed whole (a handful of documents). */
@Injectable()
export class ImportRunsRepository {
  constructor(@InjectModel(ImportRunDoc.name) private readonly runs: Model<ImportRunDoc>) {}

  private get coll(): Collection<ImportRunDoc> {
    return this.runs.collection as unknown as Collection<ImportRunDoc>;
  }

  async create(run: ImportRunRecord): Promise<void> {
    await this.coll.insertOne(run);
  }

  async find(id: string): Promise<ImportRunRecord | null> {
    return this.coll.findOne({ _id: id });
  }

  /** Runs not DONE: running, or dead and owed a recovery. */
  async unfinished(): Promise<ImportRunRecord[]> {
    return this.coll.find({ state: { $ne: 'DONE' } }).toArray();
  }

  /** Round `round` of the run is in the statistics, with `counted` reports in all. */
  async roundApplied(id: string, round: number, counted: number): Promise<void> {
    await this.coll.updateOne({ _id: id }, { $set: { rounds: round, counted, updatedAt: new Date() } });
  }

  async setState(id: string, state: ImportRunState): Promise<void> {
    await this.coll.updateOne({ _id: id }, { $set: { state, updatedAt: new Date() } });
  }
}
