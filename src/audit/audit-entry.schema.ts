import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One audit entry. Append-only: written once by AuditRepository.insert and never updated or deleted by any
 * code path (there is no such repository method and no GraphQL mutation touches the collection).
 *
 * `_id` is `<ISO-8601 UTC timestamp>-<12 random hex>`: unique and time-sortable as a string, so paging by
 * `_id` is stable (newest first) and needs no secondary index. Optional keys are left out rather than null.
 */
@Schema({ collection: 'audit_log', versionKey: false })
export class AuditEntryDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: Date, required: true })
  at: Date;

  /** User id of the actor; absent for anonymous actions (a failed login for an unknown e-mail). */
  @Prop({ type: String })
  actorId?: string;

  @Prop({ type: String, required: true })
  action: string;

  @Prop({ type: String, required: true })
  objectType: string;

  @Prop({ type: String })
  objectId?: string;

  /** Units the entry concerns (the actor's and the object's): supervisors see entries of their units. */
  @Prop({ type: [String], required: true })
  unitCodes: string[];

  @Prop({ type: String })
  reason?: string;

  @Prop({ type: String })
  ip?: string;

  @Prop({ type: String })
  userAgent?: string;

  /** Small, non-personal facts (e.g. `{ roles: 'ADMIN,SUPERVISOR' }`); never decrypted personal data. */
  @Prop({ type: Object })
  details?: Record<string, string | number | boolean>;
}

export const AuditEntrySchema = SchemaFactory.createForClass(AuditEntryDoc);
