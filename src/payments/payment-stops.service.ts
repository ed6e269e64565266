import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Scope } from '../auth/scope';
import { CaseRef } from '../cases/case-access';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { LockTimeoutError } from '../store/redis-lock';
import { PaymentStopInput } from './dto/payments.inputs';
import { PaymentStop } from './models/payment-stop.model';
import { PaymentsError, PaymentsErrorCode } from './payments.errors';
import type { StopRecord } from './payment-stop.schema';
import { PaymentKeys } from './payment-keys';
import { StopActor, StopLedger } from './stop-ledger';
import {
  maskAccount,
  checkStopRequest,
  FREEZABLE,
  FREEZE_HOLD_MONTHS,
  addMonthsUtc,
  STOP_HOLD_MS,
  STOPS_PER_ACCOUNT,
} from './stop-rules';

/** Staff use cases of payment stops: request a stop, request and approve an account freeze, read stops. */
@Injectable()
export class PaymentStopsService {
  constructor(
    private readonly ledger: StopLedger,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  /**
   * A stop on one account of a case, sent to the bank by a `stop.dispatch` job. At most two per (case, account):
   * the slots `stopslot:<case>:<account>:1|2` are claimed by insert, so two concurrent requests cannot both take
   * the last one.
   */
  async request(input: PaymentStopInput, scope: Scope, actor: StopActor & { userId: string }): Promise<PaymentStop> {
    const { repo, clock } = this.ledger;
    const now = clock.now();
    const fields = checkStopRequest({ ...input, amountFen: input.amount }, now.getTime(), this.cfg.payments.banks);
    const found = await this.ledger.cases.requireCase(scope, input.caseId, 'input.caseId');
    refuseClosed(found, 'input.caseId');
    const id = randomUUID();
    const slot = await this.claimSlot(found.id, fields.accountNumber, id, now);
    const message = await this.ledger.newMessage(id, 'STOP', new Date(now.getTime() + STOP_HOLD_MS));
    const stop: StopRecord = {
      _id: id,
      caseId: found.id,
      caseNumber: found.number,
      unitCode: found.unitCode,
      slot,
      accountNumber: fields.accountNumber,
      accountHolderSealed: this.ledger.sealHolder(id, fields.accountHolderName),
      amountFen: fields.amountFen,
      transactionAt: fields.transactionAt,
      bankCode: fields.bankCode,
      status: 'REQUESTED',
      requestedBy: actor.userId,
      requestedAt: now,
      messages: [message],
      updatedAt: now,
    };
    try {
      await repo.insertStop(stop);
    } catch (e) {
      await repo.dropClaim(PaymentKeys.slot(found.id, fields.accountNumber, slot)); // ours, just taken: give it back
      throw e;
    }
    await this.withCaseLock(found.id, () => repo.addCaseStop(found.id, id));
    await this.ledger.record(
      stop,
      'PAYMENT_STOP_REQUESTED',
      actor,
      { slot, bankCode: stop.bankCode, amountFen: stop.amountFen, account: maskAccount(stop.accountNumber) },
      { firstAction: true },
    );
    await this.ledger.dispatch(id, message.id);
    return this.ledger.toModel(stop);
  }

  private async claimSlot(caseId: string, account: string, stopId: string, now: Date): Promise<number> {
    for (let n = 1; n <= STOPS_PER_ACCOUNT; n++)
      if (await this.ledger.repo.claim(PaymentKeys.slot(caseId, account, n), now, stopId)) return n;
    throw new PaymentsError(
      PaymentsErrorCode.STOP_LIMIT_REACHED,
      `This account already had ${STOPS_PER_ACCOUNT} payment stops in this case: request an account freeze instead (requestAccountFreeze)`,
      'input.accountNumber',
    );
  }

  /** A stop visible to `scope` (NOT_FOUND / FORBIDDEN through its case). */
  async get(stopId: string, scope: Scope, field = 'id'): Promise<PaymentStop> {
    const stop = await this.ledger.repo.findStop(stopId);
    if (!stop) throw new PaymentsError(PaymentsErrorCode.STOP_NOT_FOUND, `No payment stop ${stopId}`, field);
    await this.ledger.cases.requireCase(scope, stop.caseId, field);
    return this.ledger.toModel(stop);
  }

  /** The stops of each case (for Case.paymentStops), in request order. */
  async ofCases(caseIds: readonly string[]): Promise<PaymentStop[][]> {
    const lists = await this.ledger.repo.caseStopIds(caseIds);
    const stops = await this.ledger.repo.findStops(lists.flat());
    const byId = new Map(stops.filter((s): s is StopRecord => !!s).map((s) => [s._id, s]));
    return lists.map((ids) =>
      ids
        .map((id) => byId.get(id))
        .filter((s): s is StopRecord => !!s)
        .map((s) => this.ledger.toModel(s)),
    );
  }

  /**
   * Asks for the account of a stop to be frozen (or a freeze in force renewed): only once both stops of the
   * account in the case were used, and a supervisor other than the requester must approve it.
   */
  async requestFreeze(
    stopId: string,
    reason: string,
    scope: Scope,
    actor: StopActor & { userId: string },
  ): Promise<PaymentStop> {
    const { repo, clock } = this.ledger;
    const first = await repo.findStop(stopId);
    if (!first) throw new PaymentsError(PaymentsErrorCode.STOP_NOT_FOUND, `No payment stop ${stopId}`, 'stopId');
    const found = await this.ledger.cases.requireCase(scope, first.caseId, 'stopId');
    refuseClosed(found, 'stopId');
    return this.withCaseLock(found.id, async () => {
      // the account's stops (both slots), to see that the stops are used up and no other freeze is under way
      const siblings = await Promise.all(
        [1, 2].map(async (n) => {
          const ref = await repo.claimRef(PaymentKeys.slot(found.id, first.accountNumber, n));
          return ref ? repo.findStop(ref) : null;
        }),
      );
      if (!siblings[1])
        throw new PaymentsError(
          PaymentsErrorCode.FREEZE_NEEDS_TWO_STOPS,
          `A freeze follows the account's ${STOPS_PER_ACCOUNT} payment stops in the case; this account had fewer`,
          'stopId',
        );
      const other = siblings.find((s) => s && s._id !== stopId);
      if (other && (other.status === 'FREEZE_REQUESTED' || other.status === 'FROZEN'))
        throw new PaymentsError(
          PaymentsErrorCode.ILLEGAL_STOP_STATE,
          `The account's freeze goes through stop ${other._id} (${other.status})`,
          'stopId',
        );
      return this.ledger.withStop(stopId, async (stop, lease) => {
        if (!FREEZABLE.includes(stop.status))
          throw new PaymentsError(
            PaymentsErrorCode.ILLEGAL_STOP_STATE,
            `A freeze needs a stop the bank confirmed (or a freeze in force to renew); this one is ${stop.status}`,
            'stopId',
          );
        const now = clock.now();
        await this.ledger.ensureHeld(lease);
        const after = await repo.patchStop(stopId, {
          set: {
            status: 'FREEZE_REQUESTED',
            freeze: {
              requestedBy: actor.userId,
              requestedAt: now,
              reason,
              previousStatus: stop.status,
              renewal: stop.status === 'FROZEN',
            },
            updatedAt: now,
          },
        });
        await this.ledger.record(
          after,
          'ACCOUNT_FREEZE_REQUESTED',
          actor,
          { renewal: stop.status === 'FROZEN', account: maskAccount(stop.accountNumber) },
          { reason },
        );
        return this.ledger.toModel(after);
      });
    });
  }

  /** A supervisor of the case's unit other than the requester approves: the freeze goes to the bank. */
  async approveFreeze(stopId: string, scope: Scope, actor: StopActor & { userId: string }): Promise<PaymentStop> {
    const { repo, clock } = this.ledger;
    const first = await repo.findStop(stopId);
    if (!first) throw new PaymentsError(PaymentsErrorCode.STOP_NOT_FOUND, `No payment stop ${stopId}`, 'stopId');
    const found = await this.ledger.cases.requireCase(scope, first.caseId, 'stopId');
    refuseClosed(found, 'stopId');
    return this.ledger.withStop(stopId, async (stop, lease) => {
      if (stop.status !== 'FREEZE_REQUESTED' || !stop.freeze)
        throw new PaymentsError(
          PaymentsErrorCode.ILLEGAL_STOP_STATE,
          `No freeze of this stop awaits approval (it is ${stop.status})`,
          'stopId',
        );
      if (stop.freeze.approvedBy)
        throw new PaymentsError(PaymentsErrorCode.ILLEGAL_STOP_STATE, 'This freeze was approved already', 'stopId');
      if (stop.freeze.requestedBy === actor.userId)
        throw new PaymentsError(
          PaymentsErrorCode.FREEZE_SELF_APPROVAL,
          'You requested this freeze: a second supervisor must approve it',
          'stopId',
        );
      const now = clock.now();
      const message = await this.ledger.newMessage(stopId, 'FREEZE', addMonthsUtc(now, FREEZE_HOLD_MONTHS));
      await this.ledger.ensureHeld(lease);
      const after = await repo.patchStop(stopId, {
        set: {
          freeze: { ...stop.freeze, approvedBy: actor.userId, approvedAt: now, messageId: message.id },
          messages: [...stop.messages, message],
          updatedAt: now,
        },
      });
      await this.ledger.record(after, 'ACCOUNT_FREEZE_APPROVED', actor, {
        requestedBy: stop.freeze.requestedBy,
        renewal: stop.freeze.renewal,
        messageId: message.id,
      });
      await this.ledger.dispatch(stopId, message.id);
      return this.ledger.toModel(after);
    });
  }

  private async withCaseLock<T>(caseId: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.ledger.timers.caseLock(caseId).withLock(fn);
    } catch (e) {
      if (e instanceof LockTimeoutError)
        throw new PaymentsError(
          PaymentsErrorCode.STOP_BUSY,
          `The stops of case ${caseId} are being changed; try again`,
        );
      throw e;
    }
  }
}

function refuseClosed(c: CaseRef, field: string): void {
  if (c.closed)
    throw new PaymentsError(PaymentsErrorCode.CASE_CLOSED, `Case ${c.number} is closed (${c.status})`, field);
}
