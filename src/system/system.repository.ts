import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { PingDoc } from './ping.schema';

export type PingRecord = PingDoc;

@Injectable()
export class SystemRepository {
  constructor(@InjectModel(PingDoc.name) private readonly pings: Model<PingDoc>) {}

  async insertPing(ping: Omit<PingRecord, 'completedAt' | 'workerPid'>): Promise<void> {
    await this.pings.create(ping);
  }

  async findPing(id: string): Promise<PingRecord | null> {
    return this.pings.findOne({ _id: id }).lean<PingRecord>().exec();
  }

  /** Marks completion once: a later delivery of the same job leaves the first completion in place. */
  async completePing(id: string, at: Date, workerPid: number): Promise<PingRecord | null> {
    const current = await this.findPing(id);
    if (!current || current.completedAt) return current;
    await this.pings.updateOne({ _id: id }, { $set: { completedAt: at, workerPid } }).exec();
    return { ...current, completedAt: at, workerPid };
  }
}
