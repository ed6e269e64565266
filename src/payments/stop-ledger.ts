import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { CaseAccess } from '../cases/case-access';
import { Clock } from '../common/clock/clock';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { JobQueueService } from '../queue/job-queue.service';
import { Lease, LockTimeoutError } from '../store/redis-lock';
import { PaymentsError, PaymentsErrorCode } from './payments.errors';
import { PaymentsRepository } from './payments.repository';
import type { StopMessage, StopMessageType, StopRecord } from './payment-stop.schema';
import {
  PaymentStop,
  PaymentStopStatus,
  StopMessageStatus,
  StopMessageType as MessageTypeEnum,
} from './models/payment-stop.model';
import { StopTimers } from './stop-timers';

/** Who acted (a staff user, or the system: a bank callback, a timer) and from where. */
export interface StopActor {
  userId?: string;
  ip?: string;
  userAgent?: string;
}

export const holderAad = (stopId: string) => `PaymentStop:${stopId}:accountHolderName`;

/**
 * The plumbing every payment-stop use case shares: a stop's lock, the record of a change (audit entry and case
 * timeline), queuing a message to the bank, and the API model. Services hold the rules; this holds the how.
 */
@Injectable()
export class StopLedger {
  private readonly logger = new Logger(StopLedger.name);

  constructor(
    readonly repo: PaymentsRepository,
    readonly timers: StopTimers,
    readonly clock: Clock,
    private readonly audit: AuditService,
    readonly cases: CaseAccess,
    private readonly jobs: JobQueueService,
    private readonly cipher: PiiCipher,
  ) {}

  /**
   * Runs `fn` holding the stop's lock with the stop as stored (NOT_FOUND when there is none). A lock that
   * cannot be taken in time is STOP_BUSY (CONFLICT: try again).
   */
  async withStop<T>(stopId: string, fn: (stop: StopRecord, lease: Lease) => Promise<T>, field = 'stopId'): Promise<T> {
    try {
      return await this.timers.lock(stopId).withLock(async (lease) => {
        const stop = await this.repo.findStop(stopId);
        if (!stop) throw new PaymentsError(PaymentsErrorCode.STOP_NOT_FOUND, `No payment stop ${stopId}`, field);
        return fn(stop, lease);
      });
    } catch (e) {
      if (e instanceof LockTimeoutError)
        throw new PaymentsError(PaymentsErrorCode.STOP_BUSY, `Payment stop ${stopId} is being changed; try again`);
      throw e;
    }
  }

  /** Fencing: the lock was lost (a pause longer than its lease), so nothing may be written. */
  async ensureHeld(lease: Lease): Promise<void> {
    if (!(await lease.stillHeld()))
      throw new PaymentsError(PaymentsErrorCode.STOP_BUSY, `lost the lock of ${lease.key}; nothing was written`);
  }

  /** The audit entry and the case's timeline entry of one change (`action` UPPER_SNAKE, both the same). */
  async record(
    stop: Pick<StopRecord, '_id' | 'caseId' | 'unitCode'>,
    action: string,
    actor: StopActor,
    details: Record<string, string | number | boolean> = {},
    opts: { reason?: string; firstAction?: boolean } = {},
  ): Promise<void> {
    await this.audit.record({
      action,
      objectType: 'PaymentStop',
      objectId: stop._id,
      unitCodes: [stop.unitCode],
      at: this.clock.now(),
      ...(actor.userId ? { actorId: actor.userId } : {}),
      ...(actor.ip ? { ip: actor.ip } : {}),
      ...(actor.userAgent ? { userAgent: actor.userAgent } : {}),
      ...(opts.reason ? { reason: opts.reason } : {}),
      details: { caseId: stop.caseId, ...details },
    });
    await this.cases.recordEvent(stop.caseId, {
      type: action,
      ...(actor.userId ? { actorId: actor.userId } : {}),
      data: { stopId: stop._id, ...details, ...(opts.reason ? { reason: opts.reason } : {}) },
      ...(opts.firstAction ? { firstAction: true } : {}),
    });
  }

  /**
   * A new message to the bank (not yet stored: add it to the stop's messages, then `dispatch` it). Noted in the
   * outbox first: if the process dies between storing it and queuing its job, the sweep queues it.
   */
  async newMessage(stopId: string, type: StopMessageType, expiresAt?: Date): Promise<StopMessage> {
    const id = `msg_${randomUUID()}`;
    await this.timers.noteOutgoing(stopId, id);
    return {
      id,
      type,
      status: 'PENDING',
      createdAt: this.clock.now(),
      attempts: 0,
      ...(expiresAt ? { expiresAt } : {}),
    };
  }

  /** Queues the delivery of a stored message (`stop.dispatch`, deduplicated by the message id). */
  async dispatch(stopId: string, messageId: string): Promise<void> {
    await this.jobs.enqueue({ name: 'stop.dispatch', data: { stopId, messageId, correlationId: randomUUID() } });
  }

  sealHolder(stopId: string, name: string): string {
    return this.cipher.encrypt(name, holderAad(stopId));
  }

  holderName(stop: Pick<StopRecord, '_id' | 'accountHolderSealed'>): string {
    return this.cipher.decrypt(stop.accountHolderSealed, holderAad(stop._id));
  }

  seal(value: string, aad: string): string {
    return this.cipher.encrypt(value, aad);
  }

  open(sealed: string, aad: string): string {
    return this.cipher.decrypt(sealed, aad);
  }

  toModel(s: StopRecord): PaymentStop {
    return {
      id: s._id,
      caseId: s.caseId,
      caseNumber: s.caseNumber,
      status: s.status as PaymentStopStatus,
      accountNumber: s.accountNumber,
      accountHolderName: this.holderName(s),
      amount: s.amountFen,
      transactionAt: s.transactionAt,
      bankCode: s.bankCode,
      slot: s.slot,
      requestedBy: s.requestedBy,
      requestedAt: s.requestedAt,
      messages: s.messages.map((m) => ({
        id: m.id,
        type: m.type as MessageTypeEnum,
        status: m.status as StopMessageStatus,
        attempts: m.attempts,
        createdAt: m.createdAt,
        ...(m.sentAt ? { sentAt: m.sentAt } : {}),
        ...(m.failedAt ? { failedAt: m.failedAt } : {}),
        ...(m.lastError ? { lastError: m.lastError } : {}),
        ...(m.outcome ? { outcome: m.outcome } : {}),
      })),
      updatedAt: s.updatedAt,
      ...(s.stoppedAmountFen !== undefined ? { stoppedAmount: s.stoppedAmountFen } : {}),
      ...(s.sentAt ? { sentAt: s.sentAt } : {}),
      ...(s.confirmedAt ? { confirmedAt: s.confirmedAt } : {}),
      ...(s.rejectionReason ? { rejectionReason: s.rejectionReason } : {}),
      ...(s.hold
        ? {
            expiresAt: s.hold.expiresAt,
            warnAt: s.hold.warnAt,
            ...(s.hold.warnedAt ? { warnedAt: s.hold.warnedAt } : {}),
          }
        : {}),
      ...(s.frozenUntil ? { frozenUntil: s.frozenUntil } : {}),
      ...(s.releasedAt ? { releasedAt: s.releasedAt } : {}),
      ...(s.appealId ? { appealId: s.appealId } : {}),
      ...(s.freeze
        ? {
            freeze: {
              requestedBy: s.freeze.requestedBy,
              requestedAt: s.freeze.requestedAt,
              reason: s.freeze.reason,
              renewal: s.freeze.renewal,
              ...(s.freeze.approvedBy ? { approvedBy: s.freeze.approvedBy } : {}),
              ...(s.freeze.approvedAt ? { approvedAt: s.freeze.approvedAt } : {}),
            },
          }
        : {}),
    };
  }

  warn(msg: string, data: Record<string, unknown>): void {
    this.logger.warn(data, msg);
  }
}
