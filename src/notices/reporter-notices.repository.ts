import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { insertManyIgnoringDuplicates } from '../store/insert';
import { ReporterNoticeDoc } from './reporter-notice.schema';

/** Reporter notices: written by insert only (a duplicate `_id` is a notice recorded before). */
@Injectable()
export class ReporterNoticesRepository {
  constructor(@InjectModel(ReporterNoticeDoc.name) private readonly notices: Model<ReporterNoticeDoc>) {}

  /** Inserts the notices not recorded yet; returns how many were new. */
  async insertNew(docs: readonly ReporterNoticeDoc[]): Promise<number> {
    const coll = this.notices.collection as unknown as Collection<ReporterNoticeDoc>;
    const duplicates = await insertManyIgnoringDuplicates(coll, docs);
    return docs.length - duplicates.size;
  }
}
