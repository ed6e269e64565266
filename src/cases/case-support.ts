/** Small rules shared by the cases services: scope, writability, events. */
import { assertInScope, Scope } from '../auth/scope';
import type { CaseDoc, CaseEventDoc } from './case.schema';
import { isClosed } from './case-rules';
import { CasesError, CasesErrorCode } from './cases.errors';

/** A case holds at most this many reports (its page of reports and its priority stay cheap). */
export const MAX_CASE_REPORTS = 5_000;
/** …and this many tasks, notes and evidence items each. */
export const MAX_CASE_ITEMS = 500;

export const CASE_OBJECT = 'Case';

export function assertCaseInScope(scope: Scope, doc: Pick<CaseDoc, '_id' | 'unitCode'>): void {
  assertInScope(scope, [doc.unitCode], `Case ${doc._id}`);
}

/** A merged case is read-only; a closed one takes no new work until reopened (`allowClosed`: notes, evidence). */
export function assertWritable(doc: CaseDoc, opts: { allowClosed?: boolean } = {}): void {
  if (doc.mergedInto)
    throw new CasesError(
      CasesErrorCode.CASE_MERGED,
      `Case ${doc._id} was merged into ${doc.mergedInto}: work on that case`,
    );
  if (!opts.allowClosed && isClosed(doc.status))
    throw new CasesError(CasesErrorCode.CASE_CLOSED, `Case ${doc._id} is ${doc.status}: reopen it first`);
}

export type NewEvent = Omit<CaseEventDoc, '_id' | 'caseId' | 'seq'>;

export function caseEvent(
  type: string,
  at: Date,
  actorId: string | undefined,
  data?: Record<string, unknown>,
): NewEvent {
  const e: NewEvent = { type, at };
  if (actorId) e.actorId = actorId;
  if (data) e.data = data;
  return e;
}

/** The first action on a case stops its FIRST_ACTION clock. */
export function withFirstAction(doc: CaseDoc, at: Date): CaseDoc {
  return doc.firstActionAt ? doc : { ...doc, firstActionAt: at };
}

export function assertCapacity(n: number, max: number, what: string, field: string): void {
  if (n > max) throw new CasesError(CasesErrorCode.TOO_MANY, `a case holds at most ${max} ${what}`, field);
}

/** The case id of a task id (`<caseId>~T<n>`). */
export function caseIdOfTask(taskId: string): string | undefined {
  const i = taskId.lastIndexOf('~T');
  return i > 0 ? taskId.slice(0, i) : undefined;
}
