/**
 * The pure rules of urgent payment stops: what a stop request must carry, how long a hold lasts, what a timer
 * does when it fires, and how a bank's answer moves a stop. No Nest, no store: unit-tested beside this file.
 */
import { isCardNumber } from '../identifiers/bank';
import { PaymentsError, PaymentsErrorCode } from './payments.errors';
import type { StopHold, StopRecord, StopStatusValue } from './payment-stop.schema';

export const HOUR_MS = 3_600_000;
/** A stop holds the money 48 hours from the bank's confirmation. */
export const STOP_HOLD_MS = 48 * HOUR_MS;
/** The case owner is warned this long before a stop lapses. */
export const STOP_WARN_BEFORE_MS = 6 * HOUR_MS;
/** A freeze holds for 6 calendar months from the bank's confirmation (renewable). */
export const FREEZE_HOLD_MONTHS = 6;
/** The case owner is warned this long before a freeze lapses. */
export const FREEZE_WARN_BEFORE_MS = 7 * 24 * HOUR_MS;
/** A stop is for money that moved recently: older transactions go through the ordinary freeze procedure. */
export const MAX_TRANSACTION_AGE_MS = 90 * 24 * HOUR_MS;
/** Clock skew tolerated on `transactionAt` (a bank's clock, a typed minute). */
export const TRANSACTION_SKEW_MS = 5 * 60_000;
/** At most this many stops per (case, account); the next step is a freeze. */
export const STOPS_PER_ACCOUNT = 2;

export const ACCOUNT_MIN_DIGITS = 6;
export const ACCOUNT_MAX_DIGITS = 34;

export interface StopRequestFields {
  accountNumber: string;
  accountHolderName: string;
  amountFen: number;
  transactionAt: Date;
  bankCode: string;
}

const invalid = (field: string, message: string) =>
  new PaymentsError(PaymentsErrorCode.INVALID_STOP_INPUT, `${field}: ${message}`, field);

/**
 * The account number as banks take it: digits only (spaces and dashes people type are dropped). A 13–19 digit
 * number is a card number and must pass Luhn (a mistyped card number would stop a stranger's money).
 */
export function normaliseAccountNumber(raw: string, field = 'input.accountNumber'): string {
  const digits = raw.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(digits)) throw invalid(field, 'must be the account or card number in digits');
  if (digits.length < ACCOUNT_MIN_DIGITS || digits.length > ACCOUNT_MAX_DIGITS)
    throw invalid(field, `must have ${ACCOUNT_MIN_DIGITS}-${ACCOUNT_MAX_DIGITS} digits`);
  if (digits.length >= 13 && digits.length <= 19 && !isCardNumber(digits))
    throw invalid(field, 'is not a valid card number (Luhn check failed)');
  return digits;
}

/**
 * Checks the four fields the bank verifies (户名, 账号, 金额, 交易时间) and the bank; returns them normalised.
 * Every refusal is BAD_USER_INPUT naming the field.
 */
export function checkStopRequest(
  input: StopRequestFields,
  nowMs: number,
  banks: Readonly<Record<string, unknown>>,
): StopRequestFields {
  const bankCode = input.bankCode.trim().toUpperCase();
  if (!Object.hasOwn(banks, bankCode))
    throw new PaymentsError(
      PaymentsErrorCode.UNKNOWN_BANK,
      `input.bankCode: no bank ${JSON.stringify(bankCode.slice(0, 20))} is configured (known: ${Object.keys(banks).join(', ') || 'none'})`,
      'input.bankCode',
    );
  const accountNumber = normaliseAccountNumber(input.accountNumber);
  const accountHolderName = input.accountHolderName.trim().replace(/\s+/g, ' ');
  if (!accountHolderName) throw invalid('input.accountHolderName', 'must not be empty');
  if (/^\d+$/.test(accountHolderName.replace(/\s/g, '')))
    throw invalid('input.accountHolderName', 'must be the holder’s name, not a number');
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
    throw invalid('input.amount', 'must be more than 0');
  const t = input.transactionAt.getTime();
  if (Number.isNaN(t)) throw invalid('input.transactionAt', 'is not a date');
  if (t > nowMs + TRANSACTION_SKEW_MS) throw invalid('input.transactionAt', 'must not be in the future');
  if (t < nowMs - MAX_TRANSACTION_AGE_MS)
    throw invalid('input.transactionAt', 'is more than 90 days ago: use the ordinary freeze procedure');
  return { accountNumber, accountHolderName, amountFen: input.amountFen, transactionAt: input.transactionAt, bankCode };
}

/** `t` plus `months` calendar months (UTC), clamped to the last day of a shorter month. */
export function addMonthsUtc(t: Date, months: number): Date {
  const d = new Date(t.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** The hold a bank's confirmation starts at `at`: a 48-hour stop or a 6-month freeze, with its warning time. */
export function newHold(kind: 'STOP' | 'FREEZE', at: Date): StopHold {
  const expiresAt = kind === 'STOP' ? new Date(at.getTime() + STOP_HOLD_MS) : addMonthsUtc(at, FREEZE_HOLD_MONTHS);
  const warnAt = new Date(expiresAt.getTime() - (kind === 'STOP' ? STOP_WARN_BEFORE_MS : FREEZE_WARN_BEFORE_MS));
  return { kind, startedAt: at, warnAt, expiresAt };
}

export type TimerKind = 'WARN' | 'EXPIRE';

/**
 * What a timer (a delayed `stop.timer` job, or the sweep) does for `kind` of the hold whose deadline was
 * `deadlineIso` when it was set:
 * - `STALE`: nothing — the stop has no live hold, the hold has another deadline now (renewed, replaced), or the
 *   warning was given already (or comes too late: the hold has lapsed, and its expiry says so);
 * - `WAIT`: it fired early (a delayed job's clock is not ours): set it again `inMs` later;
 * - `DUE`: apply it now (under the stop's lock, and once: the caller claims it by insert).
 */
export type TimerDecision = { action: 'STALE' } | { action: 'WAIT'; inMs: number } | { action: 'DUE' };

export function decideTimer(
  hold: StopHold | undefined,
  kind: TimerKind,
  deadlineIso: string,
  nowMs: number,
): TimerDecision {
  if (!hold || hold.endedAt) return { action: 'STALE' };
  if (hold.expiresAt.toISOString() !== deadlineIso) return { action: 'STALE' };
  if (kind === 'WARN' && hold.warnedAt) return { action: 'STALE' };
  // too late to warn (a worker was down past both): the expiry itself is what the case is told
  if (kind === 'WARN' && nowMs >= hold.expiresAt.getTime()) return { action: 'STALE' };
  const at = (kind === 'WARN' ? hold.warnAt : hold.expiresAt).getTime();
  if (nowMs < at) return { action: 'WAIT', inMs: at - nowMs };
  return { action: 'DUE' };
}

/** The timers a live hold still needs (the sweep's sorted set holds exactly these). */
export function pendingTimers(hold: StopHold | undefined): { kind: TimerKind; atMs: number }[] {
  if (!hold || hold.endedAt) return [];
  const out: { kind: TimerKind; atMs: number }[] = [];
  if (!hold.warnedAt) out.push({ kind: 'WARN', atMs: hold.warnAt.getTime() });
  out.push({ kind: 'EXPIRE', atMs: hold.expiresAt.getTime() });
  return out;
}

/** The status a stop shows once its hold expired (a pending freeze keeps FREEZE_REQUESTED). */
export function statusAfterExpiry(stop: Pick<StopRecord, 'status'>): StopStatusValue {
  return stop.status === 'FREEZE_REQUESTED' ? 'FREEZE_REQUESTED' : 'EXPIRED';
}

/** A stop may be asked to freeze its account once the bank confirmed it (or it lapsed); a frozen one renews. */
export const FREEZABLE: readonly StopStatusValue[] = ['CONFIRMED', 'EXPIRED', 'FROZEN'];

/** The bank can be asked to release a stop while it holds money. */
export const RELEASABLE: readonly StopStatusValue[] = ['CONFIRMED', 'FROZEN', 'FREEZE_REQUESTED'];

/** What a bank's (authentic, well-formed) callback does to a stop. */
export type CallbackEffect =
  | { kind: 'STOP_CONFIRMED'; messageId: string; stoppedAmountFen: number }
  | { kind: 'STOP_REJECTED'; messageId: string; reason: string }
  | { kind: 'FROZEN'; messageId: string }
  | { kind: 'FREEZE_REJECTED'; messageId: string; reason: string }
  | { kind: 'RELEASED'; messageId: string }
  | { kind: 'RELEASE_REJECTED'; messageId: string; reason: string }
  /** the callback does not fit the stop's state (answered 409) */
  | { kind: 'CONFLICT'; why: string }
  /** the callback contradicts the request (answered 400) */
  | { kind: 'INVALID'; why: string };

export function callbackEffect(
  stop: Pick<StopRecord, 'status' | 'amountFen' | 'messages' | 'freeze'>,
  cb: {
    type: 'STOP' | 'FREEZE' | 'RELEASE';
    outcome: 'CONFIRMED' | 'REJECTED';
    stoppedAmountFen?: number;
    reason?: string;
  },
): CallbackEffect {
  const open = [...stop.messages]
    .reverse()
    .find((m) => m.type === cb.type && (m.status === 'PENDING' || m.status === 'SENT'));
  if (!open) return { kind: 'CONFLICT', why: `no ${cb.type} message of this stop awaits an answer` };
  const confirmed = cb.outcome === 'CONFIRMED';
  const reason = cb.reason ?? '';
  switch (cb.type) {
    case 'STOP': {
      if (stop.status !== 'REQUESTED' && stop.status !== 'SENT')
        return { kind: 'CONFLICT', why: `the stop is ${stop.status}, not awaiting the bank` };
      if (!confirmed) return { kind: 'STOP_REJECTED', messageId: open.id, reason };
      const fen = cb.stoppedAmountFen ?? 0;
      if (fen > stop.amountFen) return { kind: 'INVALID', why: 'stoppedAmount is more than the amount asked' };
      return { kind: 'STOP_CONFIRMED', messageId: open.id, stoppedAmountFen: fen };
    }
    case 'FREEZE':
      if (stop.status !== 'FREEZE_REQUESTED' || !stop.freeze?.approvedBy)
        return { kind: 'CONFLICT', why: `the stop is ${stop.status}, no approved freeze awaits the bank` };
      return confirmed
        ? { kind: 'FROZEN', messageId: open.id }
        : { kind: 'FREEZE_REJECTED', messageId: open.id, reason };
    case 'RELEASE':
      if (!RELEASABLE.includes(stop.status) && stop.status !== 'EXPIRED')
        return { kind: 'CONFLICT', why: `the stop is ${stop.status}: nothing to release` };
      return confirmed
        ? { kind: 'RELEASED', messageId: open.id }
        : { kind: 'RELEASE_REJECTED', messageId: open.id, reason };
  }
}

/** The messages with one of them changed. */
export function withMessage<M extends { id: string }>(messages: readonly M[], id: string, change: Partial<M>): M[] {
  return messages.map((m) => (m.id === id ? { ...m, ...change } : m));
}

/** `6222…1234`: enough to tell accounts apart in logs and timelines. */
export function maskAccount(digits: string): string {
  return digits.length <= 8 ? digits : `${digits.slice(0, 4)}…${digits.slice(-4)}`;
}
