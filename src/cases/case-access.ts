import type { Scope } from '../auth/scope';

/** Where a case stands (src/cases): the GraphQL enum CaseStatus has the same values. */
export type CaseStatusValue =
  'NEW' | 'TRIAGED' | 'INVESTIGATING' | 'SUSPECT_IDENTIFIED' | 'CLOSED_SOLVED' | 'CLOSED_UNSOLVED' | 'TRANSFERRED';

/** What other features may know of a case. */
export interface CaseRef {
  id: string;
  /** the human case number, e.g. AJ-2026-000123 (also the id) */
  number: string;
  title: string;
  unitCode: string;
  status: CaseStatusValue;
  assigneeId?: string;
  closed: boolean;
}

/** A task another feature puts on a case (an appeal to resolve, an expiring stop to act on). */
export interface SystemTaskInput {
  /** idempotency key, unique within the case (e.g. `appeal:<appealId>`): a second add is a no-op */
  key: string;
  title: string;
  dueAt: Date;
  mandatory: boolean;
  assigneeId?: string;
}

/**
 * The cases feature's face to the features that act on a case (payment stops, appeals): every write goes
 * through the case's own serialisation and lands on its timeline. Implemented by CasesService; exported by
 * CasesModule under this token.
 */
export abstract class CaseAccess {
  /** The case as `scope` may act on it: NOT_FOUND when there is none, FORBIDDEN when it is another unit's. */
  abstract requireCase(scope: Scope, caseId: string, field: string): Promise<CaseRef>;

  /** Any case by id (workers, public appeals); undefined when there is none. */
  abstract findCase(caseId: string): Promise<CaseRef | undefined>;

  /** Adds a task; a second add with the same key returns the first task's id. */
  abstract addSystemTask(caseId: string, task: SystemTaskInput, actorId?: string): Promise<string>;

  /** Completes the task added under `key` (no-op when it is done already or was never added). */
  abstract completeSystemTask(caseId: string, key: string, outcome: string, actorId?: string): Promise<void>;

  /**
   * Appends an entry to the case's timeline (`type` UPPER_SNAKE, e.g. PAYMENT_STOP_CONFIRMED). `firstAction`:
   * it counts as the case's first action for the SLA clock.
   */
  abstract recordEvent(
    caseId: string,
    e: { type: string; actorId?: string; data?: Record<string, unknown>; firstAction?: boolean },
  ): Promise<void>;

  /**
   * Records a notice for every reporter who left a contact and gave the identifier `key` (e.g.
   * `BANK_ACCOUNT:6222…`): CONFIRMED when an investigator confirmed it, FROZEN when a bank froze it. Queued
   * until the alerts feature delivers it; idempotent per (report, event, ref). Returns how many were recorded.
   */
  abstract noticeReporters(key: string, event: 'CONFIRMED' | 'FROZEN', ref: string): Promise<number>;

  /**
   * What the public status of a report says about its case: when the report joined a case, and when that case
   * (or the case it was merged into) closed. undefined when the report is in no case.
   */
  abstract caseOfReport(reportId: string): Promise<{ caseAt: Date; closedAt?: Date } | undefined>;
}
