import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { requestBody } from './bank-messages';
import { signRequest } from './bank-webhooks';
import { StopLedger } from './stop-ledger';
import { withMessage } from './stop-rules';

/** How one delivery attempt ended. */
export type DeliveryResult =
  /** the bank answered 2xx, or there was nothing (left) to send */
  | { outcome: 'DONE' }
  /** a timeout, a network error or a 5xx: try again later (with backoff) */
  | { outcome: 'RETRY'; error: string }
  /** a 4xx (or a redirect): the bank refuses this message for good */
  | { outcome: 'REFUSED'; error: string };

/**
 * Delivers the messages of payment stops to their banks: one signed POST per attempt (Standard Webhooks v1,
 * webhook-id = the message id on every attempt, a fresh timestamp and signature each time). The stop's lock is
 * held to read and to record, never across the request.
 */
@Injectable()
export class BankDispatchService {
  private readonly logger = new Logger(BankDispatchService.name);

  constructor(
    private readonly ledger: StopLedger,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async deliver(stopId: string, messageId: string): Promise<DeliveryResult> {
    const { repo, clock } = this.ledger;
    const stop = await repo.findStop(stopId);
    const message = stop?.messages.find((m) => m.id === messageId);
    if (!stop || !message || message.status !== 'PENDING') {
      await this.ledger.timers.delivered(stopId, messageId); // sent, answered or failed: nothing to repair
      return { outcome: 'DONE' };
    }
    const bank = this.cfg.payments.banks[stop.bankCode];
    if (!bank) return { outcome: 'REFUSED', error: `bank ${stop.bankCode} is no longer configured` };
    await this.ledger.withStop(stopId, async (s) => {
      const m = s.messages.find((x) => x.id === messageId);
      if (m)
        await repo.patchStop(stopId, {
          set: { messages: withMessage(s.messages, messageId, { attempts: m.attempts + 1 }) },
        });
    });
    const body = requestBody(stop, this.ledger.holderName(stop), message);
    const headers = signRequest(bank.secret, message.id, clock.now(), body);
    let status: number;
    try {
      const res = await fetch(bank.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.cfg.payments.bankTimeoutMs),
      });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
    } catch (e) {
      const error = isTimeout(e) ? 'timeout' : `network: ${errorText(e)}`;
      await this.noteError(stopId, messageId, error);
      return { outcome: 'RETRY', error };
    }
    if (status >= 200 && status < 300) {
      await this.markSent(stopId, messageId);
      return { outcome: 'DONE' };
    }
    const error = `HTTP ${status}`;
    if (status >= 500) {
      await this.noteError(stopId, messageId, error);
      return { outcome: 'RETRY', error };
    }
    return { outcome: 'REFUSED', error };
  }

  /** The bank took the message: SENT (and a REQUESTED stop becomes SENT, unless its answer came first). */
  private async markSent(stopId: string, messageId: string): Promise<void> {
    await this.ledger.withStop(stopId, async (stop, lease) => {
      const m = stop.messages.find((x) => x.id === messageId);
      if (!m || m.status !== 'PENDING') return;
      const now = this.ledger.clock.now();
      const toSent = m.type === 'STOP' && stop.status === 'REQUESTED';
      await this.ledger.ensureHeld(lease);
      const after = await this.ledger.repo.patchStop(stopId, {
        set: {
          messages: withMessage(stop.messages, messageId, { status: 'SENT', sentAt: now }),
          ...(toSent ? { status: 'SENT', sentAt: now } : {}),
          updatedAt: now,
        },
      });
      if (toSent) await this.ledger.record(after, 'PAYMENT_STOP_SENT', {}, { messageId, bankCode: stop.bankCode });
    });
    await this.ledger.timers.delivered(stopId, messageId);
  }

  private async noteError(stopId: string, messageId: string, error: string): Promise<void> {
    await this.ledger.withStop(stopId, async (stop) => {
      await this.ledger.repo.patchStop(stopId, {
        set: { messages: withMessage(stop.messages, messageId, { lastError: error }) },
      });
    });
  }

  /** The message failed for good (a 4xx, or the retries are used up): FAILED on the stop, on the record. */
  async markFailed(stopId: string, messageId: string, error: string): Promise<void> {
    await this.ledger.withStop(stopId, async (stop, lease) => {
      const m = stop.messages.find((x) => x.id === messageId);
      if (!m || m.status !== 'PENDING') return;
      const now = this.ledger.clock.now();
      await this.ledger.ensureHeld(lease);
      const after = await this.ledger.repo.patchStop(stopId, {
        set: {
          messages: withMessage(stop.messages, messageId, { status: 'FAILED', failedAt: now, lastError: error }),
          updatedAt: now,
        },
      });
      this.logger.warn({ stopId, messageId, type: m.type, error }, 'message to the bank failed for good');
      await this.ledger.record(after, 'PAYMENT_STOP_MESSAGE_FAILED', {}, { messageId, type: m.type, error });
    });
    await this.ledger.timers.delivered(stopId, messageId);
  }
}

/** AbortSignal.timeout's TimeoutError, thrown by fetch itself or as the cause of its TypeError. */
function isTimeout(e: unknown): boolean {
  return [e, (e as { cause?: unknown } | undefined)?.cause].some(
    (x) => typeof x === 'object' && x !== null && (x as { name?: unknown }).name === 'TimeoutError',
  );
}

function errorText(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return (cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e))).slice(0, 200);
}
