/**
 * The JSON bodies exchanged with the banks: what we send (`requestBody`) and what a bank's callback may say
 * (`parseCallback`). Pure; see docs/payments.md for the fields.
 */
import { formatFen, parseMoneyToFen } from '../common/graphql/money.scalar';
import type { StopMessage, StopMessageType } from './payment-stop.schema';

export interface StopRequestBody {
  stopId: string;
  messageId: string;
  type: StopMessageType;
  accountNumber: string;
  accountHolderName: string;
  /** decimal yuan, exact ("1234.50") */
  amount: string;
  transactionAt: string;
  bankCode: string;
  caseNumber: string;
  requestedAt: string;
  /** when the hold asked for ends; null for a RELEASE */
  expiresAt: string | null;
}

/** The body of one message: built from the stored stop and message only, so every retry sends the same bytes. */
export function requestBody(
  stop: {
    _id: string;
    accountNumber: string;
    amountFen: number;
    transactionAt: Date;
    bankCode: string;
    caseNumber: string;
  },
  holderName: string,
  message: Pick<StopMessage, 'id' | 'type' | 'createdAt' | 'expiresAt'>,
): string {
  const body: StopRequestBody = {
    stopId: stop._id,
    messageId: message.id,
    type: message.type,
    accountNumber: stop.accountNumber,
    accountHolderName: holderName,
    amount: formatFen(stop.amountFen),
    transactionAt: stop.transactionAt.toISOString(),
    bankCode: stop.bankCode,
    caseNumber: stop.caseNumber,
    requestedAt: message.createdAt.toISOString(),
    expiresAt: message.expiresAt ? message.expiresAt.toISOString() : null,
  };
  return JSON.stringify(body);
}

export interface BankCallback {
  stopId: string;
  type: StopMessageType;
  outcome: 'CONFIRMED' | 'REJECTED';
  stoppedAmountFen?: number;
  reason?: string;
  holderNotice?: { channel: string; address?: string };
}

const TYPES: readonly string[] = ['STOP', 'FREEZE', 'RELEASE'];
const OUTCOMES: readonly string[] = ['CONFIRMED', 'REJECTED'];
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001F\u007F]/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.trim().length > 0 && v.length <= max && !CONTROLS.test(v);

/** A callback body, or the reason it is malformed (answered 400). */
export function parseCallback(raw: string): { ok: true; value: BankCallback } | { ok: false; error: string } {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'body is not JSON' };
  }
  if (!isObject(v)) return { ok: false, error: 'body must be a JSON object' };
  if (!text(v.stopId, 100)) return { ok: false, error: 'stopId is required' };
  if (typeof v.type !== 'string' || !TYPES.includes(v.type))
    return { ok: false, error: 'type must be STOP, FREEZE or RELEASE' };
  if (typeof v.outcome !== 'string' || !OUTCOMES.includes(v.outcome))
    return { ok: false, error: 'outcome must be CONFIRMED or REJECTED' };
  const out: BankCallback = {
    stopId: v.stopId,
    type: v.type as StopMessageType,
    outcome: v.outcome as BankCallback['outcome'],
  };
  if (v.stoppedAmount !== undefined && v.stoppedAmount !== null) {
    try {
      out.stoppedAmountFen = parseMoneyToFen(v.stoppedAmount);
    } catch {
      return { ok: false, error: 'stoppedAmount must be decimal yuan as a string, e.g. "123.45"' };
    }
  }
  if (v.reason !== undefined && v.reason !== null) {
    if (!text(v.reason, 500)) return { ok: false, error: 'reason must be a text of at most 500 characters' };
    out.reason = v.reason.trim();
  }
  if (out.outcome === 'REJECTED' && !out.reason) return { ok: false, error: 'a REJECTED outcome needs a reason' };
  if (out.outcome === 'CONFIRMED' && out.type === 'STOP' && out.stoppedAmountFen === undefined)
    return { ok: false, error: 'a CONFIRMED stop needs stoppedAmount' };
  if (v.holderNotice !== undefined && v.holderNotice !== null) {
    const n = v.holderNotice;
    if (!isObject(n) || typeof n.channel !== 'string' || !/^[A-Z][A-Z_]{1,19}$/.test(n.channel))
      return { ok: false, error: 'holderNotice.channel must be a channel name such as SMS, EMAIL or LETTER' };
    out.holderNotice = { channel: n.channel };
    if (n.address !== undefined && n.address !== null) {
      if (!text(n.address, 300))
        return { ok: false, error: 'holderNotice.address must be a text of at most 300 characters' };
      out.holderNotice.address = n.address.trim();
    }
  }
  return { ok: true, value: out };
}
