import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { Notice } from './notices';
import type { OriginalInput, StoredIdentifier } from './prepare-report';

/**
 * Set when the report is written and never updated (on FerretDB v1 an update by `_id` scans the collection):
 * public reports are written PENDING and their hand-off is recorded in `report_handoffs`; imported reports
 * are written AWAITING_LINKING and counted into the lookup statistics after their insert, by their import's
 * run (`importRun`, `importRound`: see ImportCounter).
 */
export type LinkState = 'PENDING' | 'AWAITING_LINKING';

/**
 * A report. `_id`: public submissions `r_<26 base32>`; imports `<source>:<externalRef>`, or
 * `<source>:<externalRef>~<contentDigest>` for another content of a source id already taken (src/imports/
 * content-key.ts), so that a re-import is an insert refused on a duplicate _id. Optional keys are left out, never null (FerretDB unique-index rule).
 * Personal data: `reporterContactEnc` (AES-256-GCM, bound to the report id) and `reporterHash` (keyed HMAC);
 * narratives and `original.narrative` have resident ID numbers redacted.
 */
@Schema({ collection: 'reports', versionKey: false })
export class ReportDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  source: string;

  @Prop({ type: String })
  externalRef?: string;

  /** imports: digest of the record's content (`original`), which tells apart two records of one externalRef */
  @Prop({ type: String })
  contentDigest?: string;

  @Prop({ type: String })
  trackingCode?: string;

  @Prop({ type: String, required: true })
  fraudType: string;

  @Prop({ type: String, required: true })
  channel: string;

  @Prop({ type: Date, required: true })
  occurredAt: Date;

  @Prop({ type: String, required: true })
  regionCode: string;

  /** integer fen */
  @Prop({ type: Number, required: true })
  lossFen: number;

  @Prop({ type: String })
  paymentMethod?: string;

  @Prop({ type: String })
  victimAgeBand?: string;

  @Prop({ type: String })
  narrative?: string;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  original: OriginalInput | Record<string, unknown>;

  @Prop({ type: [MongooseSchema.Types.Mixed], required: true })
  identifiers: StoredIdentifier[];

  /** who counts as one reporter for risk: `c:<hash>` (contact), `ip:<hmac>` (anonymous), `<source>:...` (imports) */
  @Prop({ type: String, required: true })
  reporterKey: string;

  @Prop({ type: String })
  reporterContactEnc?: string;

  @Prop({ type: String })
  reporterHash?: string;

  /** the earlier report of the same reporter with the same identifiers within 24 h */
  @Prop({ type: String })
  repeatOf?: string;

  /** weight of this reporter in the risk score (see README "Lookup risk scoring") */
  @Prop({ type: Number, required: true })
  weight: number;

  @Prop({ type: String, required: true })
  status: string;

  @Prop({ type: String, required: true })
  linkState: LinkState;

  /** warnings of the receipt, so that a replayed clientRequestId returns the same receipt */
  @Prop({ type: [String] })
  warnings?: string[];

  /** the same in both languages with their codes (public reports; `warnings` is older reports' and imports') */
  @Prop({ type: [Object] })
  notices?: Notice[];

  @Prop({ type: Date, required: true })
  createdAt: Date;

  /**
   * Imported reports only: the import run that inserted the report (`import_runs`), which counts it into the
   * lookup statistics, and the round of that run that does (ImportCounter). What a run that died before
   * counting its reports is recovered from.
   */
  @Prop({ type: String })
  importRun?: string;

  @Prop({ type: Number })
  importRound?: number;
}
export const ReportSchema = SchemaFactory.createForClass(ReportDoc);

/**
 * The associated data `reporterContactEnc` is sealed with (PiiCipher): it opens only as the contact of this
 * report, and wherever a copy of it goes (a reporter notice) it goes with this.
 */
export function reporterContactAad(reportId: string): string {
  return `Report:${reportId}:reporterContact`;
}

/** `_id` = canonical tracking code -> report id: reportStatus is two `_id` reads. */
@Schema({ collection: 'tracking_codes', versionKey: false })
export class TrackingCodeDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  reportId: string;
}
export const TrackingCodeSchema = SchemaFactory.createForClass(TrackingCodeDoc);

/** Idempotency claim: `_id` = `crid:<sha256(clientRequestId)>`, inserted before the report is written. */
@Schema({ collection: 'client_requests', versionKey: false })
export class ClientRequestDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  reportId: string;

  @Prop({ type: String, required: true })
  trackingCode: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;
}
export const ClientRequestSchema = SchemaFactory.createForClass(ClientRequestDoc);

/** `_id` = report id: the report was counted into the lookup statistics and handed to linking. */
@Schema({ collection: 'report_handoffs', versionKey: false })
export class ReportHandOffDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: Date, required: true })
  at: Date;
}
export const ReportHandOffSchema = SchemaFactory.createForClass(ReportHandOffDoc);
