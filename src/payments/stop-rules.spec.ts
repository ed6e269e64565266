import { PaymentsError } from './payments.errors';
import type { StopHold, StopMessage } from './payment-stop.schema';
import {
  addMonthsUtc,
  callbackEffect,
  checkStopRequest,
  decideTimer,
  HOUR_MS,
  newHold,
  normaliseAccountNumber,
  pendingTimers,
  statusAfterExpiry,
} from './stop-rules';

const NOW = Date.parse('2026-12-04T10:00:00Z');
const BANKS = { ICBC: {}, CMB: {} };
const CARD = '6222021234567890128'; // 19 digits, Luhn-valid
const valid = (over: Partial<Parameters<typeof checkStopRequest>[0]> = {}) => ({
  accountNumber: CARD,
  accountHolderName: '张三',
  amountFen: 1_234_50,
  transactionAt: new Date(NOW - HOUR_MS),
  bankCode: 'ICBC',
  ...over,
});

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof PaymentsError) return e.field;
    throw e;
  }
  return undefined;
}

describe('checkStopRequest', () => {
  it('accepts and normalises a complete request', () => {
    const r = checkStopRequest(valid({ accountNumber: '6222 0212 3456 7890 128', bankCode: ' icbc ' }), NOW, BANKS);
    expect(r.accountNumber).toBe(CARD);
    expect(r.bankCode).toBe('ICBC');
  });

  it.each([
    [{ bankCode: 'NOPE' }, 'input.bankCode'],
    [{ accountNumber: '6222021234567890127' }, 'input.accountNumber'], // Luhn fails
    [{ accountNumber: '12345' }, 'input.accountNumber'],
    [{ accountNumber: 'abc123456' }, 'input.accountNumber'],
    [{ accountHolderName: '   ' }, 'input.accountHolderName'],
    [{ accountHolderName: '123456' }, 'input.accountHolderName'],
    [{ amountFen: 0 }, 'input.amount'],
    [{ transactionAt: new Date(NOW + HOUR_MS) }, 'input.transactionAt'],
    [{ transactionAt: new Date(NOW - 91 * 24 * HOUR_MS) }, 'input.transactionAt'],
    [{ transactionAt: new Date(Number.NaN) }, 'input.transactionAt'],
  ])('refuses %j naming %s', (over, field) => {
    expect(fieldOf(() => checkStopRequest(valid(over), NOW, BANKS))).toBe(field);
  });

  it('checks Luhn only on 13-19 digit numbers (other account numbers have no check digit)', () => {
    expect(normaliseAccountNumber('123456789012')).toBe('123456789012');
    expect(normaliseAccountNumber('12345678901234567890')).toBe('12345678901234567890');
    expect(() => normaliseAccountNumber('1234567890123')).toThrow(PaymentsError);
  });
});

describe('holds and timers', () => {
  const at = new Date(NOW);

  it('a stop holds 48 h and warns 6 h before; a freeze 6 calendar months, warned a week before', () => {
    const s = newHold('STOP', at);
    expect(s.expiresAt.getTime() - NOW).toBe(48 * HOUR_MS);
    expect(s.expiresAt.getTime() - s.warnAt.getTime()).toBe(6 * HOUR_MS);
    const f = newHold('FREEZE', at);
    expect(f.expiresAt.toISOString()).toBe('2027-06-04T10:00:00.000Z');
    expect(addMonthsUtc(new Date('2026-08-31T00:00:00Z'), 6).toISOString()).toBe('2027-02-28T00:00:00.000Z');
  });

  it('decides by the stored deadline and the clock', () => {
    const hold = newHold('STOP', at);
    const deadline = hold.expiresAt.toISOString();
    expect(decideTimer(hold, 'WARN', deadline, NOW)).toEqual({ action: 'WAIT', inMs: 42 * HOUR_MS });
    expect(decideTimer(hold, 'WARN', deadline, NOW + 42 * HOUR_MS)).toEqual({ action: 'DUE' });
    expect(decideTimer(hold, 'EXPIRE', deadline, NOW + 47 * HOUR_MS)).toEqual({ action: 'WAIT', inMs: HOUR_MS });
    expect(decideTimer(hold, 'EXPIRE', deadline, NOW + 48 * HOUR_MS)).toEqual({ action: 'DUE' });
    // a timer of an older deadline (the hold was replaced by a freeze) does nothing
    expect(decideTimer(hold, 'EXPIRE', '2026-01-01T00:00:00.000Z', NOW + 100 * HOUR_MS)).toEqual({ action: 'STALE' });
    // given once; an ended hold has no timers
    const warned: StopHold = { ...hold, warnedAt: new Date(NOW + 42 * HOUR_MS) };
    expect(decideTimer(warned, 'WARN', deadline, NOW + 43 * HOUR_MS)).toEqual({ action: 'STALE' });
    expect(decideTimer({ ...hold, endedAt: at }, 'EXPIRE', deadline, NOW + 49 * HOUR_MS)).toEqual({ action: 'STALE' });
    expect(decideTimer(undefined, 'EXPIRE', deadline, NOW)).toEqual({ action: 'STALE' });
    // a warning after the deadline is no warning: only the expiry applies
    expect(decideTimer(hold, 'WARN', deadline, NOW + 48 * HOUR_MS)).toEqual({ action: 'STALE' });
  });

  it('lists the pending timers of a hold', () => {
    const hold = newHold('STOP', at);
    expect(pendingTimers(hold).map((t) => t.kind)).toEqual(['WARN', 'EXPIRE']);
    expect(pendingTimers({ ...hold, warnedAt: at }).map((t) => t.kind)).toEqual(['EXPIRE']);
    expect(pendingTimers({ ...hold, endedAt: at })).toEqual([]);
  });

  it('a pending freeze survives the expiry of the stop', () => {
    expect(statusAfterExpiry({ status: 'CONFIRMED' })).toBe('EXPIRED');
    expect(statusAfterExpiry({ status: 'FREEZE_REQUESTED' })).toBe('FREEZE_REQUESTED');
  });
});

describe('callbackEffect', () => {
  const msg = (type: StopMessage['type'], status: StopMessage['status'] = 'SENT'): StopMessage => ({
    id: `m-${type}`,
    type,
    status,
    createdAt: new Date(NOW),
    attempts: 1,
  });
  const stop = { status: 'SENT' as const, amountFen: 10_000, messages: [msg('STOP')], freeze: undefined };

  it('confirms a stop with what the bank stopped (at most the amount asked)', () => {
    expect(callbackEffect(stop, { type: 'STOP', outcome: 'CONFIRMED', stoppedAmountFen: 9_999 })).toEqual({
      kind: 'STOP_CONFIRMED',
      messageId: 'm-STOP',
      stoppedAmountFen: 9_999,
    });
    expect(callbackEffect(stop, { type: 'STOP', outcome: 'CONFIRMED', stoppedAmountFen: 10_001 }).kind).toBe('INVALID');
    expect(callbackEffect(stop, { type: 'STOP', outcome: 'REJECTED', reason: 'no such account' }).kind).toBe(
      'STOP_REJECTED',
    );
  });

  it('refuses answers that fit no open message or state', () => {
    expect(callbackEffect(stop, { type: 'FREEZE', outcome: 'CONFIRMED' }).kind).toBe('CONFLICT');
    const confirmed = { ...stop, status: 'CONFIRMED' as const, messages: [msg('STOP', 'ANSWERED')] };
    expect(callbackEffect(confirmed, { type: 'STOP', outcome: 'CONFIRMED', stoppedAmountFen: 1 }).kind).toBe(
      'CONFLICT',
    );
    // a freeze answer needs an approved freeze
    const requested = {
      ...confirmed,
      status: 'FREEZE_REQUESTED' as const,
      messages: [msg('STOP', 'ANSWERED'), msg('FREEZE')],
      freeze: {
        requestedBy: 'a',
        requestedAt: new Date(NOW),
        reason: 'r',
        previousStatus: 'CONFIRMED' as const,
        renewal: false,
      },
    };
    expect(callbackEffect(requested, { type: 'FREEZE', outcome: 'CONFIRMED' }).kind).toBe('CONFLICT');
    const approved = { ...requested, freeze: { ...requested.freeze, approvedBy: 'b' } };
    expect(callbackEffect(approved, { type: 'FREEZE', outcome: 'CONFIRMED' }).kind).toBe('FROZEN');
  });
});
