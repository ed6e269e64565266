import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { CaseStatusValue } from './case-access';
import type { CasePriorityValue } from './case-rules';

/*
 * Collections of the cases feature. Every read is an exact `_id` lookup (STYLE.md "The store"); lists go through
 * the list index (case-lists.ts). Documents are written through the repository's native collections (plain
 * objects), so the mongoose classes below only name the collections and their `_id`s.
 */

export interface CaseTaskDoc {
  /** `<caseId>~T<n>` */
  id: string;
  title: string;
  mandatory: boolean;
  status: 'OPEN' | 'DONE';
  dueAt?: Date;
  assigneeId?: string;
  /** TEMPLATE, MANUAL, or the feature that added it (e.g. PAYMENTS) */
  origin: string;
  /** idempotency key of a system task */
  key?: string;
  createdAt: Date;
  createdBy?: string;
  doneAt?: Date;
  doneBy?: string;
  outcome?: string;
}

export interface CaseNoteDoc {
  id: string;
  text: string;
  authorId: string;
  at: Date;
}

export interface CaseEvidenceDoc {
  id: string;
  /** lower-case hex SHA-256 of the item */
  sha256: string;
  type: string;
  /** where the item is kept (an evidence-room reference, a storage URI) — never the item itself */
  location: string;
  description?: string;
  addedBy: string;
  at: Date;
}

export interface PriorityOverrideDoc {
  priority: CasePriorityValue;
  reason: string;
  by: string;
  at: Date;
}

/**
 * A case. `_id` is its number (`AJ-<year>-<6 digits>`). Written only under the case's Redis lock (the embedded
 * store has no atomic read-modify-write), version by version; each write appends its events to case_events.
 */
export interface CaseDoc {
  _id: string;
  title: string;
  status: CaseStatusValue;
  unitCode: string;
  /** regions of its reports */
  regionCodes: string[];
  fraudTypes: string[];
  assigneeId?: string;
  /** report ids, in the order they joined (each also claimed in case_reports) */
  reportIds: string[];
  lossFen: number;
  recoveredFen: number;
  elderlyVictim: boolean;
  /** computed (case-rules.ts priorityOf) at every write */
  computedPriority: CasePriorityValue;
  priorityOverride?: PriorityOverrideDoc;
  /** clusters of its reports when last written, with their sizes then (growth is measured against these) */
  clusterSizes: Record<string, number>;
  tasks: CaseTaskDoc[];
  notes: CaseNoteDoc[];
  evidence: CaseEvidenceDoc[];
  /** the fraud type whose template gave its first tasks */
  templateOf?: string;
  openedAt: Date;
  triagedAt?: Date;
  firstActionAt?: Date;
  closedAt?: Date;
  /** merged into another case: read-only, listed nowhere */
  mergedInto?: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  /** +1 per write (the list index ignores older placements) */
  version: number;
  /** events appended so far (case_events `<id>|<seq>` for seq 1..eventCount) */
  eventCount: number;
  /** task ids handed out so far */
  taskSeq: number;
}

@Schema({ collection: 'cases', versionKey: false, strict: false })
export class CaseRecord {
  @Prop({ type: String, required: true })
  _id: string;
}
export const CaseRecordSchema = SchemaFactory.createForClass(CaseRecord);

/** One entry of a case's insert-only timeline: `_id` is `<caseId>|<seq, 6 digits>`. */
export interface CaseEventDoc {
  _id: string;
  caseId: string;
  seq: number;
  type: string;
  at: Date;
  actorId?: string;
  data?: Record<string, unknown>;
}

@Schema({ collection: 'case_events', versionKey: false, strict: false })
export class CaseEventRecord {
  @Prop({ type: String, required: true })
  _id: string;
}
export const CaseEventRecordSchema = SchemaFactory.createForClass(CaseEventRecord);

/** The claim that a report belongs to a case: `_id` is the report id (one case per report, atomic by insert). */
export interface CaseReportDoc {
  _id: string;
  caseId: string;
  at: Date;
}

@Schema({ collection: 'case_reports', versionKey: false, strict: false })
export class CaseReportRecord {
  @Prop({ type: String, required: true })
  _id: string;
}
export const CaseReportRecordSchema = SchemaFactory.createForClass(CaseReportRecord);

/** A supervisor's template for a fraud type: `_id` is the fraud type. Absent: the built-in default. */
export interface CaseTemplateDoc {
  _id: string;
  tasks: { title: string; mandatory: boolean; dueInHours: number }[];
  updatedBy?: string;
  updatedAt?: Date;
}

@Schema({ collection: 'case_templates', versionKey: false, strict: false })
export class CaseTemplateRecord {
  @Prop({ type: String, required: true })
  _id: string;
}
export const CaseTemplateRecordSchema = SchemaFactory.createForClass(CaseTemplateRecord);
