import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

/**
 * Public-lookup statistics of one identifier. `_id` = identifierKey(kind, value), e.g. `PHONE:+8613800138000`.
 * Written by the `report.index` job (ReportIndexer) and by imports (ImportCounter), always under the Redis lock
 * `lock:ident:<key>` of the identifier: read, compute, write is safe because it is serialised.
 */
@Schema({ collection: 'identifier_stats', versionKey: false })
export class IdentifierStatsDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  kind: string;

  @Prop({ type: String, required: true })
  value: string;

  @Prop({ type: String, required: true })
  display: string;

  /** reports counted (repeats of the same reporter within 24 h are not) */
  @Prop({ type: Number, required: true })
  reportCount: number;

  /** distinct reporterKeys */
  @Prop({ type: Number, required: true })
  reporterCount: number;

  /** Σ weight of the distinct reporters (undecayed, for staff) */
  @Prop({ type: Number, required: true })
  weightedReporters: number;

  /** Σ weight·2^((occurredAt − 2020-01-01)/180 d) of the distinct reporters (src/reports/risk.ts) */
  @Prop({ type: Number, required: true })
  weightTerms: number;

  @Prop({ type: Number, required: true })
  lossFen: number;

  /** counted reports per FraudType */
  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  fraudTypes: Record<string, number>;

  @Prop({ type: Date, required: true })
  firstReportedAt: Date;

  @Prop({ type: Date, required: true })
  lastReportedAt: Date;

  /** set by investigators (a later issue) */
  @Prop({ type: Boolean, required: true })
  confirmed: boolean;

  /** the last report applied: lets a retried job tell whether its claimed report was already applied */
  @Prop({ type: String, required: true })
  lastReportId: string;

  @Prop({ type: Date, required: true })
  updatedAt: Date;

  /**
   * The last import rounds (`<run>#<round>`, at most COUNTED_BY_KEPT) whose counts were added here: a round
   * applied again after its run died skips the documents it already reached (ImportCounter). Absent until an
   * import counts into the document.
   */
  @Prop({ type: [String] })
  countedBy?: string[];
}
export const IdentifierStatsSchema = SchemaFactory.createForClass(IdentifierStatsDoc);

/** `_id` = `<identifierKey>|<reportId>`: the report was counted for the identifier (insert = atomic claim). */
@Schema({ collection: 'identifier_report_claims', versionKey: false })
export class IdentifierReportClaimDoc {
  @Prop({ type: String, required: true })
  _id: string;
}
export const IdentifierReportClaimSchema = SchemaFactory.createForClass(IdentifierReportClaimDoc);

/** `_id` = `<identifierKey>|<reporterKey>`: the reporter was counted for the identifier. */
@Schema({ collection: 'identifier_reporter_claims', versionKey: false })
export class IdentifierReporterClaimDoc {
  @Prop({ type: String, required: true })
  _id: string;

  /** the import round (`<run>#<round>`) that claimed it; absent for the `report.index` job's claims */
  @Prop({ type: String })
  by?: string;
}
export const IdentifierReporterClaimSchema = SchemaFactory.createForClass(IdentifierReporterClaimDoc);
