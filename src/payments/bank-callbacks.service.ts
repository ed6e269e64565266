import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { newTrackingCode } from '../reports/tracking-code';
import { BankCallback, parseCallback } from './bank-messages';
import { verifyCallback, webhookHeadersOf } from './bank-webhooks';
import { PaymentsError, PaymentsErrorCode } from './payments.errors';
import type { StopRecord } from './payment-stop.schema';
import { PaymentKeys } from './payment-keys';
import { StopDeadlinesService } from './stop-deadlines.service';
import { StopLedger } from './stop-ledger';
import { callbackEffect, maskAccount, newHold, withMessage } from './stop-rules';

/** The answer to a bank's callback: an HTTP status and a short reason (logged when refused). */
export interface CallbackAnswer {
  status: 200 | 400 | 401 | 404 | 409;
  message: string;
}

export const noticeAad = (noticeId: string) => `PaymentNotice:${noticeId}:address`;

/**
 * `POST /callbacks/bank`: a bank's answer to one of our messages, Standard Webhooks v1 signed with the secret of
 * the stop's bank. Checked in this order — the body names a stop (400), the stop exists (404), the signature and
 * the timestamp (±5 minutes of the Clock) are right (401), the webhook-id is new (409, a claim by insert), the
 * body is complete (400) and fits the stop's state (409) — then applied under the stop's lock.
 */
@Injectable()
export class BankCallbacksService {
  private readonly logger = new Logger(BankCallbacksService.name);

  constructor(
    private readonly ledger: StopLedger,
    private readonly deadlines: StopDeadlinesService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async receive(headers: Record<string, string | string[] | undefined>, raw: string): Promise<CallbackAnswer> {
    const answer = await this.check(headers, raw);
    if (answer.status !== 200)
      this.logger.warn(
        { status: answer.status, reason: answer.message, webhookId: headers['webhook-id'] },
        'bank callback refused',
      );
    return answer;
  }

  private async check(headers: Record<string, string | string[] | undefined>, raw: string): Promise<CallbackAnswer> {
    let stopId: unknown;
    try {
      stopId = (JSON.parse(raw) as { stopId?: unknown } | null)?.stopId;
    } catch {
      return { status: 400, message: 'body is not JSON' };
    }
    if (typeof stopId !== 'string' || !stopId || stopId.length > 100)
      return { status: 400, message: 'stopId is required' };
    const stop = await this.ledger.repo.findStop(stopId);
    if (!stop) return { status: 404, message: 'unknown stop' };
    const bank = this.cfg.payments.banks[stop.bankCode];
    const signed = webhookHeadersOf(headers);
    if (!bank || !signed) return { status: 401, message: 'missing webhook-id, webhook-timestamp or webhook-signature' };
    const refusal = verifyCallback(bank.secret, signed, raw, this.ledger.clock.nowMs());
    if (refusal) return { status: 401, message: refusal };
    const parsed = parseCallback(raw);
    if (!parsed.ok) return { status: 400, message: parsed.error };
    return this.ledger.withStop(stopId, async (current, lease) => {
      const claim = PaymentKeys.webhook(stop.bankCode, signed['webhook-id']);
      if (!(await this.ledger.repo.claim(claim, this.ledger.clock.now())))
        return { status: 409, message: 'replayed webhook-id' };
      try {
        return await this.apply(current, parsed.value, lease.stillHeld.bind(lease));
      } catch (e) {
        await this.ledger.repo.dropClaim(claim); // not applied: the bank's retry (same webhook-id) must go through
        throw e;
      }
    });
  }

  private async apply(stop: StopRecord, cb: BankCallback, stillHeld: () => Promise<boolean>): Promise<CallbackAnswer> {
    const effect = callbackEffect(stop, cb);
    if (effect.kind === 'CONFLICT') return { status: 409, message: effect.why };
    if (effect.kind === 'INVALID') return { status: 400, message: effect.why };
    if (!(await stillHeld())) throw new PaymentsError(PaymentsErrorCode.STOP_BUSY, 'lost the stop lock');
    const { repo, clock } = this.ledger;
    const now = clock.now();
    const messages = withMessage(stop.messages, effect.messageId, {
      status: 'ANSWERED',
      outcome: cb.outcome,
      ...(stop.messages.find((m) => m.id === effect.messageId)?.sentAt ? {} : { sentAt: now }),
    });
    const bank = { bankCode: stop.bankCode, messageId: effect.messageId };
    switch (effect.kind) {
      case 'STOP_CONFIRMED': {
        const hold = newHold('STOP', now);
        // into the sweep's set before the store: a crash between the two leaves a timer the sweep finds STALE
        await this.ledger.timers.track(stop._id, hold);
        const after = await repo.patchStop(stop._id, {
          set: {
            status: 'CONFIRMED',
            confirmedAt: now,
            ...(stop.sentAt ? {} : { sentAt: now }),
            stoppedAmountFen: effect.stoppedAmountFen,
            hold,
            messages,
            updatedAt: now,
          },
        });
        await this.deadlines.schedule(stop._id, hold);
        await this.noticeHolder(after, 'STOPPED', cb.holderNotice);
        await this.ledger.record(
          after,
          'PAYMENT_STOP_CONFIRMED',
          {},
          {
            ...bank,
            stoppedAmountFen: effect.stoppedAmountFen,
            expiresAt: hold.expiresAt.toISOString(),
          },
        );
        return { status: 200, message: 'CONFIRMED' };
      }
      case 'STOP_REJECTED': {
        const after = await repo.patchStop(stop._id, {
          set: { status: 'REJECTED', rejectionReason: effect.reason, messages, updatedAt: now },
        });
        await this.ledger.record(after, 'PAYMENT_STOP_REJECTED', {}, bank, { reason: effect.reason });
        return { status: 200, message: 'REJECTED' };
      }
      case 'FROZEN': {
        const hold = newHold('FREEZE', now);
        const previous = stop.hold;
        await this.ledger.timers.track(stop._id, hold); // before the store, as above
        const after = await repo.patchStop(stop._id, {
          set: { status: 'FROZEN', hold, frozenUntil: hold.expiresAt, messages, updatedAt: now },
        });
        await this.deadlines.schedule(stop._id, hold);
        if (previous && !previous.endedAt)
          await this.ledger.cases.completeSystemTask(
            stop.caseId,
            PaymentKeys.expiryTask(stop._id, previous.expiresAt.toISOString()),
            'account frozen',
          );
        if (cb.holderNotice) await this.noticeHolder(after, `FROZEN:${hold.expiresAt.toISOString()}`, cb.holderNotice);
        await this.ledger.record(
          after,
          'ACCOUNT_FROZEN',
          {},
          {
            ...bank,
            frozenUntil: hold.expiresAt.toISOString(),
            renewal: stop.freeze?.renewal ?? false,
            account: maskAccount(stop.accountNumber),
          },
        );
        await this.ledger.cases.noticeReporters(`BANK_ACCOUNT:${stop.accountNumber}`, 'FROZEN', stop._id);
        return { status: 200, message: 'FROZEN' };
      }
      case 'FREEZE_REJECTED': {
        const back = stop.freeze?.previousStatus ?? 'CONFIRMED';
        const after = await repo.patchStop(stop._id, {
          set: { status: back, messages, updatedAt: now },
          unset: ['freeze'],
        });
        await this.ledger.record(
          after,
          'ACCOUNT_FREEZE_REJECTED',
          {},
          { ...bank, backTo: back },
          { reason: effect.reason },
        );
        return { status: 200, message: 'FREEZE_REJECTED' };
      }
      case 'RELEASED': {
        const after = await repo.patchStop(stop._id, {
          set: {
            status: 'RELEASED',
            releasedAt: now,
            messages,
            updatedAt: now,
            ...(stop.hold && !stop.hold.endedAt ? { hold: { ...stop.hold, endedAt: now } } : {}),
          },
        });
        await this.ledger.timers.track(stop._id, after.hold);
        if (stop.hold && !stop.hold.endedAt)
          await this.ledger.cases.completeSystemTask(
            stop.caseId,
            PaymentKeys.expiryTask(stop._id, stop.hold.expiresAt.toISOString()),
            'released',
          );
        if (stop.appealId) await repo.patchAppeal(stop.appealId, { set: { status: 'RELEASED', updatedAt: now } });
        await this.ledger.record(after, 'PAYMENT_STOP_RELEASED', {}, bank);
        return { status: 200, message: 'RELEASED' };
      }
      case 'RELEASE_REJECTED': {
        const after = await repo.patchStop(stop._id, { set: { messages, updatedAt: now } });
        if (stop.appealId) {
          const appeal = await repo.patchAppeal(stop.appealId, { set: { status: 'UNDER_REVIEW', updatedAt: now } });
          await this.ledger.cases.addSystemTask(stop.caseId, {
            key: `${PaymentKeys.appealTask(appeal._id)}:release-refused:${effect.messageId}`,
            title: `The bank refused to release stop ${stop._id} (${effect.reason}): decide the appeal again`,
            dueAt: new Date(now.getTime() + 24 * 3_600_000),
            mandatory: true,
          });
        }
        await this.ledger.record(after, 'PAYMENT_STOP_RELEASE_REJECTED', {}, bank, { reason: effect.reason });
        return { status: 200, message: 'RELEASE_REJECTED' };
      }
    }
  }

  /**
   * A notice to the account holder through the channel the bank named, queued for the alerts feature to
   * deliver. A STOPPED notice carries the appeal code (claimed by insert, so it names exactly this stop).
   */
  private async noticeHolder(stop: StopRecord, kind: string, given: BankCallback['holderNotice']): Promise<void> {
    const { repo, clock } = this.ledger;
    const id = PaymentKeys.notice(stop._id, kind);
    if (await repo.findNotice(id)) return;
    let appealCode: string | undefined;
    if (kind === 'STOPPED') {
      do appealCode = newTrackingCode();
      while (!(await repo.claim(PaymentKeys.appealCode(appealCode), clock.now(), stop._id)));
    }
    await repo.insertNotice({
      _id: id,
      stopId: stop._id,
      caseId: stop.caseId,
      kind: kind.split(':')[0],
      // without a channel from the bank, the bank passes the notice on itself
      channel: given?.channel ?? 'BANK',
      ...(given?.address
        ? { addressEnc: this.ledger.seal(given.address, noticeAad(id)), addressAad: noticeAad(id) }
        : {}),
      ...(appealCode ? { appealCode } : {}),
      status: 'QUEUED',
      createdAt: clock.now(),
    });
  }
}
