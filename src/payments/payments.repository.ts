import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { claimByInsert } from '../store/insert';
import { mapLimit } from '../store/map-limit';
import {
  AppealRecord,
  CaseStopsDoc,
  NoticeRecord,
  PaymentClaimDoc,
  PaymentNoticeDoc,
  PaymentStopDoc,
  StopAppealDoc,
  StopRecord,
} from './payment-stop.schema';

type Patch<T> = { set?: Partial<T>; unset?: (keyof T & string)[] };

function update<T>(p: Patch<T>): Record<string, unknown> {
  const u: Record<string, unknown> = {};
  if (p.set && Object.keys(p.set).length) u.$set = p.set;
  if (p.unset?.length) u.$unset = Object.fromEntries(p.unset.map((k) => [k, '']));
  return u;
}

/**
 * The payment stops' store access: every read by `_id`. Writes of a stop or an appeal happen under the stop's
 * Redis lock (the callers hold it); claims are inserts with deterministic `_id`s (STYLE.md "The store").
 */
@Injectable()
export class PaymentsRepository {
  constructor(
    @InjectModel(PaymentStopDoc.name) private readonly stops: Model<PaymentStopDoc>,
    @InjectModel(PaymentClaimDoc.name) private readonly claims: Model<PaymentClaimDoc>,
    @InjectModel(PaymentNoticeDoc.name) private readonly notices: Model<PaymentNoticeDoc>,
    @InjectModel(StopAppealDoc.name) private readonly appeals: Model<StopAppealDoc>,
    @InjectModel(CaseStopsDoc.name) private readonly caseStops: Model<CaseStopsDoc>,
  ) {}

  /** True when this call took the claim `id`; false when it was taken before (atomic: an insert). */
  claim(id: string, at: Date, ref?: string): Promise<boolean> {
    return claimByInsert(() => this.claims.collection.insertOne({ _id: id, at, ...(ref ? { ref } : {}) } as never));
  }

  async claimRef(id: string): Promise<string | undefined> {
    const c = await this.claims.findOne({ _id: id }).lean<PaymentClaimDoc>().exec();
    return c?.ref;
  }

  /** Only to undo a claim whose follow-up write failed (the claimer still holds the lock it was taken under). */
  async dropClaim(id: string): Promise<void> {
    await this.claims.deleteOne({ _id: id }).exec();
  }

  async insertStop(stop: StopRecord): Promise<void> {
    await this.stops.collection.insertOne(stop as never);
  }

  async findStop(id: string): Promise<StopRecord | null> {
    return this.stops.findOne({ _id: id }).lean<StopRecord>().exec();
  }

  async findStops(ids: readonly string[]): Promise<(StopRecord | undefined)[]> {
    return mapLimit(ids, 16, async (id) => (await this.findStop(id)) ?? undefined);
  }

  /** Applies a patch to a stop (under its lock) and returns the stored result. */
  async patchStop(id: string, patch: Patch<StopRecord>): Promise<StopRecord> {
    await this.stops.collection.updateOne({ _id: id } as never, update(patch));
    const after = await this.findStop(id);
    if (!after) throw new Error(`payment stop ${id} vanished`);
    return after;
  }

  /**
   * The holds of every stop that ever had one (rebuilding the sweep's set when Redis lost it: a scan, then only).
   */
  async storedHolds(): Promise<Pick<StopRecord, '_id' | 'hold'>[]> {
    return this.stops
      .find({ hold: { $exists: true } }, { _id: 1, hold: 1 })
      .lean<Pick<StopRecord, '_id' | 'hold'>[]>()
      .exec();
  }

  /** Appends a stop to its case's list (under the case's lock). */
  async addCaseStop(caseId: string, stopId: string): Promise<void> {
    await this.caseStops.collection.updateOne(
      { _id: caseId } as never,
      { $addToSet: { stopIds: stopId } },
      {
        upsert: true,
      },
    );
  }

  async caseStopIds(caseIds: readonly string[]): Promise<string[][]> {
    return mapLimit(caseIds, 16, async (id) => {
      const d = await this.caseStops.findOne({ _id: id }).lean<CaseStopsDoc>().exec();
      return d?.stopIds ?? [];
    });
  }

  /** Records a notice once (`_id` deterministic): false when it was recorded before. */
  insertNotice(n: NoticeRecord): Promise<boolean> {
    return claimByInsert(() => this.notices.collection.insertOne(n as never));
  }

  async findNotice(id: string): Promise<NoticeRecord | null> {
    return this.notices.findOne({ _id: id }).lean<NoticeRecord>().exec();
  }

  async insertAppeal(a: AppealRecord): Promise<void> {
    await this.appeals.collection.insertOne(a as never);
  }

  async findAppeal(id: string): Promise<AppealRecord | null> {
    return this.appeals.findOne({ _id: id }).lean<AppealRecord>().exec();
  }

  async patchAppeal(id: string, patch: Patch<AppealRecord>): Promise<AppealRecord> {
    await this.appeals.collection.updateOne({ _id: id } as never, update(patch));
    const after = await this.findAppeal(id);
    if (!after) throw new Error(`stop appeal ${id} vanished`);
    return after;
  }
}
