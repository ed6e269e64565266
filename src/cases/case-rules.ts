/**
 * The rules of a case that need no store: the lifecycle's legal moves, the computed priority and the SLA clocks.
 * Pure functions, unit-tested in case-rules.spec.ts; docs/cases.md states the same rules for readers.
 */
import type { CaseStatusValue } from './case-access';

export const CLOSED_STATES: readonly CaseStatusValue[] = ['CLOSED_SOLVED', 'CLOSED_UNSOLVED', 'TRANSFERRED'];

export function isClosed(s: CaseStatusValue): boolean {
  return CLOSED_STATES.includes(s);
}

/**
 * Forward moves only, one step at a time; a case may be closed from any open state (an unsolved case is closed
 * when leads run out, a transfer can happen at any point); a closed case only reopens, with a reason, to
 * INVESTIGATING (its triage happened already).
 */
const MOVES: Record<CaseStatusValue, readonly CaseStatusValue[]> = {
  NEW: ['TRIAGED', 'CLOSED_UNSOLVED', 'TRANSFERRED'],
  TRIAGED: ['INVESTIGATING', 'CLOSED_UNSOLVED', 'TRANSFERRED'],
  INVESTIGATING: ['SUSPECT_IDENTIFIED', 'CLOSED_UNSOLVED', 'TRANSFERRED'],
  SUSPECT_IDENTIFIED: ['CLOSED_SOLVED', 'CLOSED_UNSOLVED', 'TRANSFERRED', 'INVESTIGATING'],
  CLOSED_SOLVED: ['INVESTIGATING'],
  CLOSED_UNSOLVED: ['INVESTIGATING'],
  TRANSFERRED: ['INVESTIGATING'],
};

export function allowedMoves(from: CaseStatusValue): readonly CaseStatusValue[] {
  return MOVES[from];
}

export function isLegalMove(from: CaseStatusValue, to: CaseStatusValue): boolean {
  return MOVES[from].includes(to);
}

/** A move out of a closed state: it needs a reason. */
export function isReopen(from: CaseStatusValue, to: CaseStatusValue): boolean {
  return isClosed(from) && !isClosed(to);
}

export type CasePriorityValue = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
export const PRIORITIES: readonly CasePriorityValue[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

export interface PriorityInput {
  /** total stated loss of the case's reports, fen */
  lossFen: number;
  /** a victim in the AGE_60_PLUS band */
  elderlyVictim: boolean;
  /** reports of the largest cluster the case touches */
  largestCluster: number;
  /** reports that joined its clusters in the last 7 days */
  recentGrowth: number;
}

/**
 * Points: loss (≥ 1,000 yuan 1, ≥ 10,000 2, ≥ 100,000 3, ≥ 1,000,000 4), an elderly victim 2, the largest
 * cluster (≥ 3 reports 1, ≥ 10 2, ≥ 50 3), growth in the last week (any 1, ≥ 5 2).
 * CRITICAL from 7 points, HIGH from 5, MEDIUM from 3, else LOW.
 */
export function priorityScore(p: PriorityInput): number {
  const yuan = Math.max(0, p.lossFen) / 100;
  const loss = yuan >= 1_000_000 ? 4 : yuan >= 100_000 ? 3 : yuan >= 10_000 ? 2 : yuan >= 1_000 ? 1 : 0;
  const cluster = p.largestCluster >= 50 ? 3 : p.largestCluster >= 10 ? 2 : p.largestCluster >= 3 ? 1 : 0;
  const growth = p.recentGrowth >= 5 ? 2 : p.recentGrowth > 0 ? 1 : 0;
  return loss + (p.elderlyVictim ? 2 : 0) + cluster + growth;
}

export function priorityOf(p: PriorityInput): CasePriorityValue {
  const s = priorityScore(p);
  return s >= 7 ? 'CRITICAL' : s >= 5 ? 'HIGH' : s >= 3 ? 'MEDIUM' : 'LOW';
}

/** The three SLA clocks, all counted from the case's opening. */
export interface SlaPolicy {
  triageMs: number;
  firstActionMs: number;
  closeMs: number;
}

export interface SlaState {
  openedAt: Date;
  triagedAt?: Date;
  firstActionAt?: Date;
  closedAt?: Date;
}

export interface SlaClock {
  name: 'TRIAGE' | 'FIRST_ACTION' | 'CLOSE';
  dueAt: Date;
  /** when it was met (undefined while running) */
  metAt?: Date;
  /** past due and not met, or met late */
  overdue: boolean;
  breached: boolean;
}

export function slaClocks(s: SlaState, p: SlaPolicy, now: Date): SlaClock[] {
  const open = s.openedAt.getTime();
  const clock = (name: SlaClock['name'], ms: number, metAt: Date | undefined): SlaClock => {
    const dueAt = new Date(open + ms);
    const late = (metAt ?? now).getTime() > dueAt.getTime();
    return { name, dueAt, metAt, overdue: !metAt && late, breached: late };
  };
  return [
    clock('TRIAGE', p.triageMs, s.triagedAt),
    clock('FIRST_ACTION', p.firstActionMs, s.firstActionAt),
    clock('CLOSE', p.closeMs, s.closedAt),
  ];
}

/**
 * The next instant the case becomes (more) overdue: the earliest unmet SLA deadline or open task due date;
 * undefined for a closed case or one with nothing pending. The `overdue` list is ordered by it.
 */
export function nextDue(s: SlaState, p: SlaPolicy, openTaskDues: readonly Date[], closed: boolean): Date | undefined {
  if (closed) return undefined;
  const open = s.openedAt.getTime();
  const dues: number[] = openTaskDues.map((d) => d.getTime());
  if (!s.triagedAt) dues.push(open + p.triageMs);
  if (!s.firstActionAt) dues.push(open + p.firstActionMs);
  dues.push(open + p.closeMs);
  return new Date(Math.min(...dues));
}
