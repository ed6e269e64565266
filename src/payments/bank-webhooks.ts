/**
 * Standard Webhooks v1 both ways with the banks (the `standardwebhooks` library):
 * - out: `signRequest` gives the headers of one delivery attempt (webhook-id = the message id, the same across
 *   retries; webhook-timestamp = now per the Clock; webhook-signature `v1,<base64 HMAC-SHA256>`);
 * - in: `verifyCallback` checks a bank's callback against the bank's secret. The library's own `verify` reads
 *   the system time (Date.now) for its 5-minute tolerance and takes no clock, so the timestamp is checked here
 *   against OUR clock (same ±5 minutes) and the signature is computed by the library (`Webhook.sign`) and
 *   compared in constant time with every `v1,` signature the header lists (as `verify` does).
 */
import { timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** The Standard Webhooks tolerance: a timestamp further than this from now is refused. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function signRequest(secret: string, messageId: string, at: Date, body: string): WebhookHeaders {
  const ts = new Date(Math.floor(at.getTime() / 1000) * 1000);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(ts.getTime() / 1000),
    'webhook-signature': new Webhook(secret).sign(messageId, ts, body),
  };
}

/** Why a callback was refused (the controller turns it into 400 / 401). */
export type WebhookRefusal = 'MISSING_HEADERS' | 'BAD_TIMESTAMP' | 'STALE_TIMESTAMP' | 'BAD_SIGNATURE';

/** The signed headers of a request (lower-case names), or undefined when one is missing. */
export function webhookHeadersOf(headers: Record<string, string | string[] | undefined>): WebhookHeaders | undefined {
  const one = (name: string) => {
    const v = headers[name];
    return typeof v === 'string' && v.length > 0 && v.length <= 4096 ? v : undefined;
  };
  const id = one('webhook-id');
  const timestamp = one('webhook-timestamp');
  const signature = one('webhook-signature');
  return id && timestamp && signature
    ? { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature }
    : undefined;
}

/** Checks timestamp (against `nowMs`) and signature; undefined when the callback is authentic. */
export function verifyCallback(
  secret: string,
  headers: WebhookHeaders,
  body: string,
  nowMs: number,
): WebhookRefusal | undefined {
  const tsText = headers['webhook-timestamp'];
  if (!/^\d{1,12}$/.test(tsText)) return 'BAD_TIMESTAMP';
  const tsMs = Number(tsText) * 1000;
  if (Math.abs(nowMs - tsMs) > WEBHOOK_TOLERANCE_MS) return 'STALE_TIMESTAMP';
  const expected = Buffer.from(new Webhook(secret).sign(headers['webhook-id'], new Date(tsMs), body).slice(3));
  for (const versioned of headers['webhook-signature'].split(' ')) {
    const [version, signature] = versioned.split(',');
    if (version !== 'v1' || signature === undefined) continue;
    const given = Buffer.from(signature);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return undefined;
  }
  return 'BAD_SIGNATURE';
}
