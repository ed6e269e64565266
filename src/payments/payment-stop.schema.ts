import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

/** The contract's PaymentStopStatus values (the GraphQL enum has the same). */
export type StopStatusValue =
  'REQUESTED' | 'SENT' | 'CONFIRMED' | 'REJECTED' | 'EXPIRED' | 'RELEASED' | 'FREEZE_REQUESTED' | 'FROZEN';

/** What a message to the bank asks for. */
export type StopMessageType = 'STOP' | 'FREEZE' | 'RELEASE';

/**
 * One message to the bank (its `id` is the Standard Webhooks webhook-id, the same across retries). PENDING
 * until the bank answers 2xx (SENT) or refuses it for good (FAILED: a 4xx, or every retry used up);
 * ANSWERED once its callback came.
 */
export interface StopMessage {
  id: string;
  type: StopMessageType;
  status: 'PENDING' | 'SENT' | 'FAILED' | 'ANSWERED';
  createdAt: Date;
  /** the hold the message asks for ends here (STOP: +48 h, FREEZE: +6 months); absent for RELEASE */
  expiresAt?: Date;
  attempts: number;
  sentAt?: Date;
  failedAt?: Date;
  lastError?: string;
  outcome?: 'CONFIRMED' | 'REJECTED';
}

/**
 * The hold the bank confirmed (a 48-hour stop, or a 6-month freeze) and its timers: WARN at `warnAt`, EXPIRE at
 * `expiresAt`. `endedAt` once it expired or was released. Timers and the sweep act only on the stored values.
 */
export interface StopHold {
  kind: 'STOP' | 'FREEZE';
  startedAt: Date;
  warnAt: Date;
  expiresAt: Date;
  warnedAt?: Date;
  endedAt?: Date;
}

/** A requested (or renewing) freeze of the stop's account: needs a second supervisor's approval. */
export interface StopFreeze {
  requestedBy: string;
  requestedAt: Date;
  reason: string;
  /** the status the stop had before the request (it returns there when the bank refuses the freeze) */
  previousStatus: StopStatusValue;
  renewal: boolean;
  approvedBy?: string;
  approvedAt?: Date;
  messageId?: string;
}

/**
 * An urgent payment stop (紧急止付) of one account in one case. `_id` is a random UUID; every read is by `_id`
 * (a case's stops through their slots, see StopSlotDoc). Every write happens under the stop's Redis lock
 * (PaymentsKeys.stopLock): the store's updates are not atomic. Optional keys are left out, never null.
 */
@Schema({ collection: 'payment_stops', versionKey: false })
export class PaymentStopDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  caseId: string;

  @Prop({ type: String, required: true })
  caseNumber: string;

  @Prop({ type: String, required: true })
  unitCode: string;

  /** 1 or 2: the stop's slot among the (case, account)'s two */
  @Prop({ type: Number, required: true })
  slot: number;

  /** digits only */
  @Prop({ type: String, required: true })
  accountNumber: string;

  /** 户名, sealed with PiiCipher (bound to `PaymentStop:<id>:accountHolderName`) */
  @Prop({ type: String, required: true })
  accountHolderSealed: string;

  @Prop({ type: Number, required: true })
  amountFen: number;

  @Prop({ type: Date, required: true })
  transactionAt: Date;

  @Prop({ type: String, required: true })
  bankCode: string;

  @Prop({ type: String, required: true })
  status: StopStatusValue;

  @Prop({ type: String, required: true })
  requestedBy: string;

  @Prop({ type: Date, required: true })
  requestedAt: Date;

  @Prop({ type: [MongooseSchema.Types.Mixed], required: true })
  messages: StopMessage[];

  @Prop({ type: Date })
  sentAt?: Date;

  @Prop({ type: Date })
  confirmedAt?: Date;

  /** what the bank stopped (may be less than asked) */
  @Prop({ type: Number })
  stoppedAmountFen?: number;

  @Prop({ type: String })
  rejectionReason?: string;

  @Prop({ type: MongooseSchema.Types.Mixed })
  hold?: StopHold;

  @Prop({ type: MongooseSchema.Types.Mixed })
  freeze?: StopFreeze;

  @Prop({ type: Date })
  frozenUntil?: Date;

  @Prop({ type: Date })
  releasedAt?: Date;

  @Prop({ type: String })
  appealId?: string;

  @Prop({ type: Date, required: true })
  updatedAt: Date;
}
export type StopRecord = PaymentStopDoc;

/**
 * Claims by insert (the store's one atomic operation), each a deterministic `_id`:
 * - `stopslot:<caseId>:<account>:<1|2>` → `ref` = the stop id: at most two stops per (case, account);
 * - `webhook:<bank>:<webhook-id>`: a bank callback is applied once (a replay is refused);
 * - `stop-warned:<stopId>:<deadline>` / `stop-expired:<stopId>:<deadline>`: a hold's WARN / EXPIRE is applied
 *   once, however many timers and sweeps reach it;
 * - `stop-appeal:<stopId>` → the appeal id: one appeal per stop;
 * - `appeal-code:<code>` → the stop id; `appeal-tracking:<code>` → the appeal id (the public codes).
 */
@Schema({ collection: 'payment_claims', versionKey: false })
export class PaymentClaimDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String })
  ref?: string;

  @Prop({ type: Date, required: true })
  at: Date;
}

/**
 * A notice to the account holder (the bank named the channel and, maybe, an address), queued until the alerts
 * feature delivers it. `_id` = `<stopId>:<kind>`: recorded once per stop and kind.
 */
@Schema({ collection: 'payment_notices', versionKey: false })
export class PaymentNoticeDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  stopId: string;

  @Prop({ type: String, required: true })
  caseId: string;

  /** STOPPED (the bank confirmed a stop; carries the appeal code), FROZEN */
  @Prop({ type: String, required: true })
  kind: string;

  /** as the bank gave it: SMS, EMAIL, LETTER, ... */
  @Prop({ type: String, required: true })
  channel: string;

  /** sealed with PiiCipher; absent when the bank gave none */
  @Prop({ type: String })
  addressEnc?: string;

  /** the associated data `addressEnc` opens with (`PaymentNotice:<id>:address`), for the deliverer */
  @Prop({ type: String })
  addressAad?: string;

  /** the code the holder appeals with (public input of fileStopAppeal) */
  @Prop({ type: String })
  appealCode?: string;

  /** QUEUED until delivered */
  @Prop({ type: String, required: true })
  status: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;
}
export type NoticeRecord = PaymentNoticeDoc;

export type AppealStatusValue = 'FILED' | 'UNDER_REVIEW' | 'RELEASE_SENT' | 'RELEASED' | 'KEPT';

/** An account holder's appeal against a stop (public filing, resolved by a supervisor). `_id` random UUID. */
@Schema({ collection: 'payment_appeals', versionKey: false })
export class StopAppealDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  stopId: string;

  @Prop({ type: String, required: true })
  caseId: string;

  @Prop({ type: String, required: true })
  unitCode: string;

  /** the public tracking code (canonical form) */
  @Prop({ type: String, required: true })
  trackingCode: string;

  @Prop({ type: String, required: true })
  status: AppealStatusValue;

  /** sealed with PiiCipher (bound to `StopAppeal:<id>:holderName` / `:contact`) */
  @Prop({ type: String, required: true })
  holderNameSealed: string;

  @Prop({ type: String, required: true })
  contactSealed: string;

  @Prop({ type: String, required: true })
  reason: string;

  @Prop({ type: Date, required: true })
  filedAt: Date;

  @Prop({ type: Date, required: true })
  dueAt: Date;

  @Prop({ type: String })
  resolvedBy?: string;

  @Prop({ type: Date })
  resolvedAt?: Date;

  @Prop({ type: Boolean })
  release?: boolean;

  @Prop({ type: String })
  resolution?: string;

  @Prop({ type: Date, required: true })
  updatedAt: Date;
}
export type AppealRecord = StopAppealDoc;

export const PaymentStopSchema = SchemaFactory.createForClass(PaymentStopDoc);
export const PaymentClaimSchema = SchemaFactory.createForClass(PaymentClaimDoc);
export const PaymentNoticeSchema = SchemaFactory.createForClass(PaymentNoticeDoc);
export const StopAppealSchema = SchemaFactory.createForClass(StopAppealDoc);

/** The stops of one case, in request order (`_id` = the case id); appended under the case's Redis lock. */
@Schema({ collection: 'payment_case_stops', versionKey: false })
export class CaseStopsDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: [String], required: true })
  stopIds: string[];
}
export const CaseStopsSchema = SchemaFactory.createForClass(CaseStopsDoc);
