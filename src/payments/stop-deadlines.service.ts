import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JobQueueService } from '../queue/job-queue.service';
import type { StopHold, StopRecord } from './payment-stop.schema';
import { StopLedger } from './stop-ledger';
import { PaymentKeys } from './payment-keys';
import { decideTimer, maskAccount, pendingTimers, statusAfterExpiry, TimerKind } from './stop-rules';

/** Due timers the sweep handles per round (the rest next round: the set is ordered by due time). */
const SWEEP_BATCH = 200;
/** How long a noted message may go without being delivered or failed before the sweep queues it again. */
const OUTBOX_GRACE_MS = 60_000;

/**
 * A hold's deadlines: WARN (the case owner is told, with a task) and EXPIRE (the hold lapses). Three ways reach
 * them, all checked against the STORED hold and the Clock, and each applied once (under the stop's lock, with
 * a claim by insert `stop-warned:` / `stop-expired:<stopId>:<deadline>`):
 * - delayed `stop.timer` jobs set when the hold starts (one that fires early is set again for the rest);
 * - the `stop.sweep` job (repeatable, and once at worker start) over the Redis set of pending timers, which
 *   repairs timers lost with a worker or a Redis flush;
 * - the set itself is rebuilt from the store when its build marker is missing.
 */
@Injectable()
export class StopDeadlinesService {
  private readonly logger = new Logger(StopDeadlinesService.name);

  constructor(
    private readonly ledger: StopLedger,
    private readonly jobs: JobQueueService,
  ) {}

  /**
   * Sets the delayed timers of a new hold (call under the stop's lock, once the hold is stored; the caller put
   * it into the sweep's set before storing it, so a crash in between loses nothing).
   */
  async schedule(stopId: string, hold: StopHold): Promise<void> {
    const nowMs = this.ledger.clock.nowMs();
    for (const t of pendingTimers(hold))
      await this.jobs.enqueue(
        {
          name: 'stop.timer',
          data: { stopId, kind: t.kind, dueAt: hold.expiresAt.toISOString(), correlationId: randomUUID() },
        },
        { delay: Math.max(0, t.atMs - nowMs) },
      );
  }

  /** A `stop.timer` job fired. */
  async onTimer(stopId: string, kind: TimerKind, deadline: string, round = 0): Promise<string> {
    return this.run(stopId, kind, deadline, async (inMs) => {
      await this.jobs.enqueue(
        { name: 'stop.timer', data: { stopId, kind, dueAt: deadline, round: round + 1, correlationId: randomUUID() } },
        { delay: inMs },
      );
    });
  }

  /** One sweep round: applies every timer the set says is due (per the Clock). Returns how many it applied. */
  async sweep(): Promise<number> {
    await this.ensureTracked();
    await this.requeueOutgoing();
    const due = await this.ledger.timers.due(this.ledger.clock.nowMs(), SWEEP_BATCH);
    let applied = 0;
    for (const t of due) {
      try {
        // the set names no deadline: the stored hold's is the one that counts
        if ((await this.run(t.stopId, t.kind, undefined, async () => undefined)) === 'DUE') applied++;
      } catch (err) {
        this.logger.warn({ err, stopId: t.stopId, kind: t.kind }, 'sweep: timer not applied; retried next round');
      }
    }
    return applied;
  }

  /**
   * Queues again the messages noted in the outbox a while ago and still PENDING (their process died between
   * storing them and queuing their job). A job that still exists (waiting, retrying, kept as failed) is not added
   * twice: its jobId is the message id.
   */
  async requeueOutgoing(): Promise<number> {
    const { timers, repo } = this.ledger;
    let queued = 0;
    for (const { stopId, messageId } of await timers.outgoing(OUTBOX_GRACE_MS, SWEEP_BATCH)) {
      const m = (await repo.findStop(stopId))?.messages.find((x) => x.id === messageId);
      if (m?.status === 'PENDING') {
        await this.ledger.dispatch(stopId, messageId);
        queued++;
      } else await timers.delivered(stopId, messageId);
    }
    return queued;
  }

  /** Rebuilds the sweep's set from the stored holds when Redis lost it (or never had it). */
  async ensureTracked(): Promise<void> {
    const { timers, repo } = this.ledger;
    if (await timers.built()) return;
    const stops = await repo.storedHolds();
    for (const s of stops) if (s.hold && !s.hold.endedAt) await timers.track(s._id, s.hold);
    await timers.markBuilt();
    this.logger.log(`payment-stop timers rebuilt from the store (${stops.length} holds)`);
  }

  private run(
    stopId: string,
    kind: TimerKind,
    deadlineOrStored: string | undefined,
    again: (inMs: number) => Promise<void>,
  ): Promise<string> {
    return this.ledger.withStop(stopId, async (stop, lease) => {
      const deadline = deadlineOrStored ?? stop.hold?.expiresAt.toISOString() ?? '';
      const d = decideTimer(stop.hold, kind, deadline, this.ledger.clock.nowMs());
      if (d.action === 'STALE') {
        if (deadlineOrStored === undefined) await this.ledger.timers.track(stopId, stop.hold);
        return d.action;
      }
      if (d.action === 'WAIT') {
        if (deadlineOrStored === undefined) await this.ledger.timers.track(stopId, stop.hold);
        else await again(d.inMs);
        return d.action;
      }
      const claim = PaymentKeys.timer(kind, stopId, deadline);
      await this.ledger.ensureHeld(lease);
      if (!(await this.ledger.repo.claim(claim, this.ledger.clock.now())))
        // claimed, yet the stored hold shows it not applied: its claimer died between the two; we hold the lock
        this.logger.warn({ stopId, claim }, 'timer claimed before but not applied: applying it now');
      const after = kind === 'WARN' ? await this.warn(stop, deadline) : await this.expire(stop, deadline);
      await this.ledger.timers.track(stopId, after.hold);
      return d.action;
    });
  }

  private async warn(stop: StopRecord, deadline: string): Promise<StopRecord> {
    const hold = stop.hold as StopHold;
    const now = this.ledger.clock.now();
    const after = await this.ledger.repo.patchStop(stop._id, {
      set: { hold: { ...hold, warnedAt: now }, updatedAt: now },
    });
    const what = hold.kind === 'STOP' ? 'Payment stop' : 'Account freeze';
    const found = await this.ledger.cases.findCase(stop.caseId);
    await this.ledger.cases.addSystemTask(stop.caseId, {
      key: PaymentKeys.expiryTask(stop._id, deadline),
      title: `${what} on ${maskAccount(stop.accountNumber)} (${stop.bankCode}) lapses at ${deadline}: request a freeze or let it lapse`,
      dueAt: hold.expiresAt,
      mandatory: true,
      ...(found?.assigneeId ? { assigneeId: found.assigneeId } : { assigneeId: stop.requestedBy }),
    });
    await this.ledger.record(
      after,
      hold.kind === 'STOP' ? 'PAYMENT_STOP_EXPIRY_WARNING' : 'ACCOUNT_FREEZE_EXPIRY_WARNING',
      {},
      {
        expiresAt: deadline,
      },
    );
    return after;
  }

  private async expire(stop: StopRecord, deadline: string): Promise<StopRecord> {
    const hold = stop.hold as StopHold;
    const now = this.ledger.clock.now();
    const status = statusAfterExpiry(stop);
    const after = await this.ledger.repo.patchStop(stop._id, {
      set: {
        status,
        hold: { ...hold, endedAt: now },
        ...(stop.status === 'FREEZE_REQUESTED' && stop.freeze
          ? { freeze: { ...stop.freeze, previousStatus: 'EXPIRED' as const } }
          : {}),
        updatedAt: now,
      },
    });
    await this.ledger.record(
      after,
      hold.kind === 'STOP' ? 'PAYMENT_STOP_EXPIRED' : 'ACCOUNT_FREEZE_EXPIRED',
      {},
      {
        expiresAt: deadline,
      },
    );
    await this.ledger.cases.completeSystemTask(stop.caseId, PaymentKeys.expiryTask(stop._id, deadline), 'lapsed');
    return after;
  }
}
