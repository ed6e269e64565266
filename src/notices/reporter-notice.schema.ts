import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** What happened to an identifier a reporter gave. */
export type ReporterNoticeEvent = 'CONFIRMED' | 'FROZEN';

/** QUEUED until the alerts feature delivers it (it owns the later states). */
export type ReporterNoticeStatus = 'QUEUED';

/**
 * A notice to one reporter: an identifier their report carried was confirmed by an investigator or frozen by a
 * bank. `_id` = `rn:<reportId>:<event>:<ref>`, so that recording it twice is an insert refused on a duplicate
 * `_id` (the store's one atomic operation). Written once; optional keys are left out, never null.
 *
 * `contactEnc` is the report's `reporterContactEnc` copied still sealed: nothing here opens it. It opens with
 * `contactAad` (the report's, see reporterContactAad); the deliverer may open and re-seal it.
 */
@Schema({ collection: 'reporter_notices', versionKey: false })
export class ReporterNoticeDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  status: ReporterNoticeStatus;

  @Prop({ type: String, required: true })
  reportId: string;

  /** absent for an imported report (imports have none) */
  @Prop({ type: String })
  trackingCode?: string;

  @Prop({ type: String, required: true })
  event: ReporterNoticeEvent;

  /** what the event refers to, chosen by the caller (a case number, a payment stop id) */
  @Prop({ type: String, required: true })
  ref: string;

  /** the identifier concerned, as a linking key (e.g. `PHONE:+8613800138000`) */
  @Prop({ type: String, required: true })
  identifierKey: string;

  @Prop({ type: String, required: true })
  contactEnc: string;

  @Prop({ type: String, required: true })
  contactAad: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;
}
export const ReporterNoticeSchema = SchemaFactory.createForClass(ReporterNoticeDoc);
