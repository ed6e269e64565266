import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { Scope } from '../auth/scope';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { formatTrackingCode, newTrackingCode, parseTrackingCode } from '../reports/tracking-code';
import { StopAppealInput } from './dto/payments.inputs';
import {
  AppealReceipt,
  PublicAppealState,
  PublicAppealStatus,
  StopAppeal,
  StopAppealStatus,
} from './models/payment-stop.model';
import { PaymentKeys } from './payment-keys';
import { PaymentsError, PaymentsErrorCode } from './payments.errors';
import type { AppealRecord, AppealStatusValue, StopRecord } from './payment-stop.schema';
import { StopActor, StopLedger } from './stop-ledger';
import { RELEASABLE } from './stop-rules';

/** How long the case has to decide an appeal (the stop itself holds 48 hours). */
export const APPEAL_DECISION_MS = 24 * 3_600_000;
const nameAad = (id: string) => `StopAppeal:${id}:holderName`;
const contactAad = (id: string) => `StopAppeal:${id}:contact`;

const PUBLIC_STATE: Record<AppealStatusValue, PublicAppealState> = {
  FILED: PublicAppealState.FILED,
  UNDER_REVIEW: PublicAppealState.UNDER_REVIEW,
  RELEASE_SENT: PublicAppealState.UNDER_REVIEW,
  RELEASED: PublicAppealState.RELEASED,
  KEPT: PublicAppealState.KEPT,
};

/**
 * Appeals of account holders against a stop: filed in public with the notice's appeal code (rate-limited per
 * address), landing on the case as a mandatory task; a supervisor keeps the stop or has the bank release it.
 */
@Injectable()
export class StopAppealsService {
  private readonly filings: RateLimiterRedis;
  private readonly misses: RateLimiterRedis;

  constructor(
    private readonly ledger: StopLedger,
    @Inject(REDIS) redis: Redis,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    const prefix = `${cfg.queue.prefix}:payments:rl`;
    // appeals are rare: a few per address and hour; wrong codes (guessing) get a budget of their own
    this.filings = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:appeal`,
      points: 5,
      duration: 3600,
    });
    this.misses = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:appeal-miss`,
      points: 20,
      duration: 3600,
    });
  }

  async file(input: StopAppealInput, ip: string | undefined): Promise<AppealReceipt> {
    const { repo, clock } = this.ledger;
    const who = ip ?? 'unknown';
    const code = parseTrackingCode(input.appealCode);
    if (!code) {
      await consume(this.misses, who);
      throw new PaymentsError(
        PaymentsErrorCode.INVALID_STOP_INPUT,
        'input.appealCode: not a valid appeal code',
        'input.appealCode',
      );
    }
    const stopId = await repo.claimRef(PaymentKeys.appealCode(code));
    if (!stopId) {
      await consume(this.misses, who);
      throw new PaymentsError(
        PaymentsErrorCode.INVALID_STOP_INPUT,
        'input.appealCode: no stop has this appeal code',
        'input.appealCode',
      );
    }
    await consume(this.filings, who);
    const found = await repo.findStop(stopId);
    if (!found)
      throw new PaymentsError(
        PaymentsErrorCode.STOP_NOT_FOUND,
        'The stop of this appeal code is gone',
        'input.appealCode',
      );
    const caseRef = await this.ledger.cases.findCase(found.caseId);
    if (!caseRef || caseRef.closed)
      throw new PaymentsError(
        PaymentsErrorCode.CASE_CLOSED,
        'The case of this stop is closed: appeal to the police unit directly',
        'input.appealCode',
      );
    if (normName(input.holderName) !== normName(this.ledger.holderName(found)))
      throw new PaymentsError(
        PaymentsErrorCode.INVALID_STOP_INPUT,
        'input.holderName: does not match the account holder',
        'input.holderName',
      );
    const now = clock.now();
    // one appeal per stop: the claim names it. A filing that died half-way (claimed, not yet on the case) is
    // completed by the next one with the same code and name; a complete one is CONFLICT.
    let id: string = randomUUID();
    if (!(await repo.claim(PaymentKeys.appealOfStop(stopId), now, id))) {
      id = (await repo.claimRef(PaymentKeys.appealOfStop(stopId))) ?? id;
      const earlier = await repo.findAppeal(id);
      if (earlier && earlier.status !== 'FILED')
        throw new PaymentsError(
          PaymentsErrorCode.APPEAL_CONFLICT,
          'An appeal against this stop was filed already: use its tracking code',
          'input.appealCode',
        );
    }
    const appeal = (await repo.findAppeal(id)) ?? (await this.insertAppeal(id, stopId, found, input, now));
    await this.ledger.withStop(stopId, async (stop) => {
      if (stop.appealId === id) return;
      await repo.patchStop(stopId, { set: { appealId: id, updatedAt: now } });
      await this.ledger.record(stop, 'STOP_APPEAL_FILED', { ip: ip ?? undefined }, { appealId: id });
    });
    await this.ledger.cases.addSystemTask(found.caseId, {
      key: PaymentKeys.appealTask(id),
      title: `Decide the account holder's appeal against payment stop ${stopId} (keep or release)`,
      dueAt: appeal.dueAt,
      mandatory: true,
    });
    const listed = await repo.patchAppeal(id, { set: { status: 'UNDER_REVIEW', updatedAt: clock.now() } });
    return {
      trackingCode: formatTrackingCode(listed.trackingCode),
      status: PUBLIC_STATE[listed.status],
      filedAt: listed.filedAt,
    };
  }

  private async insertAppeal(
    id: string,
    stopId: string,
    stop: Pick<StopRecord, 'caseId' | 'unitCode'>,
    input: StopAppealInput,
    now: Date,
  ): Promise<AppealRecord> {
    const { repo } = this.ledger;
    let trackingCode: string;
    do trackingCode = newTrackingCode();
    while (!(await repo.claim(PaymentKeys.appealTracking(trackingCode), now, id)));
    const appeal: AppealRecord = {
      _id: id,
      stopId,
      caseId: stop.caseId,
      unitCode: stop.unitCode,
      trackingCode,
      status: 'FILED',
      holderNameSealed: this.ledger.seal(input.holderName, nameAad(id)),
      contactSealed: this.ledger.seal(input.contact.trim(), contactAad(id)),
      reason: input.reason,
      filedAt: now,
      dueAt: new Date(now.getTime() + APPEAL_DECISION_MS),
      updatedAt: now,
    };
    await repo.insertAppeal(appeal);
    return appeal;
  }

  /** The public status (no personal data); null for an unknown or malformed code. */
  async publicStatus(trackingCode: string, ip: string | undefined): Promise<PublicAppealStatus | null> {
    const code = parseTrackingCode(trackingCode);
    const id = code ? await this.ledger.repo.claimRef(PaymentKeys.appealTracking(code)) : undefined;
    const appeal = id ? await this.ledger.repo.findAppeal(id) : null;
    if (!appeal) {
      await consume(this.misses, ip ?? 'unknown');
      return null;
    }
    return { status: PUBLIC_STATE[appeal.status], filedAt: appeal.filedAt, updatedAt: appeal.updatedAt };
  }

  async get(appealId: string, scope: Scope, field = 'id'): Promise<StopAppeal> {
    const appeal = await this.ledger.repo.findAppeal(appealId);
    if (!appeal) throw new PaymentsError(PaymentsErrorCode.APPEAL_NOT_FOUND, `No stop appeal ${appealId}`, field);
    await this.ledger.cases.requireCase(scope, appeal.caseId, field);
    return this.toModel(appeal);
  }

  /**
   * A supervisor decides: keep the stop (KEPT), or ask the bank to release it (RELEASE_SENT; RELEASED when the
   * bank confirms). A stop that no longer holds money (lapsed, rejected) is released at once. Completes the task.
   */
  async resolve(
    appealId: string,
    release: boolean,
    reason: string,
    scope: Scope,
    actor: StopActor & { userId: string },
  ): Promise<StopAppeal> {
    const { repo, clock } = this.ledger;
    const first = await repo.findAppeal(appealId);
    if (!first) throw new PaymentsError(PaymentsErrorCode.APPEAL_NOT_FOUND, `No stop appeal ${appealId}`, 'appealId');
    await this.ledger.cases.requireCase(scope, first.caseId, 'appealId');
    const result = await this.ledger.withStop(first.stopId, async (stop, lease) => {
      const appeal = await repo.findAppeal(appealId);
      if (!appeal || (appeal.status !== 'FILED' && appeal.status !== 'UNDER_REVIEW'))
        throw new PaymentsError(
          PaymentsErrorCode.APPEAL_CONFLICT,
          `This appeal was decided already (${appeal?.status})`,
          'appealId',
        );
      const now = clock.now();
      const holds = RELEASABLE.includes(stop.status);
      const status: AppealStatusValue = !release ? 'KEPT' : holds ? 'RELEASE_SENT' : 'RELEASED';
      await this.ledger.ensureHeld(lease);
      const after = await repo.patchAppeal(appealId, {
        set: { status, release, resolution: reason, resolvedBy: actor.userId, resolvedAt: now, updatedAt: now },
      });
      await this.ledger.record(stop, 'STOP_APPEAL_RESOLVED', actor, { appealId, release, outcome: status }, { reason });
      if (release && holds) {
        const message = await this.ledger.newMessage(stop._id, 'RELEASE');
        await repo.patchStop(stop._id, { set: { messages: [...stop.messages, message], updatedAt: now } });
        await this.ledger.record(stop, 'PAYMENT_STOP_RELEASE_REQUESTED', actor, { appealId, messageId: message.id });
        await this.ledger.dispatch(stop._id, message.id);
      }
      return after;
    });
    await this.ledger.cases.completeSystemTask(
      result.caseId,
      PaymentKeys.appealTask(appealId),
      release ? `release: ${reason}` : `kept: ${reason}`,
      actor.userId,
    );
    return this.toModel(result);
  }

  private toModel(a: AppealRecord): StopAppeal {
    return {
      id: a._id,
      stopId: a.stopId,
      caseId: a.caseId,
      status: a.status as StopAppealStatus,
      trackingCode: formatTrackingCode(a.trackingCode),
      holderName: this.ledger.open(a.holderNameSealed, nameAad(a._id)),
      contact: this.ledger.open(a.contactSealed, contactAad(a._id)),
      reason: a.reason,
      filedAt: a.filedAt,
      dueAt: a.dueAt,
      ...(a.resolvedBy ? { resolvedBy: a.resolvedBy } : {}),
      ...(a.resolvedAt ? { resolvedAt: a.resolvedAt } : {}),
      ...(a.release !== undefined ? { release: a.release } : {}),
      ...(a.resolution ? { resolution: a.resolution } : {}),
    };
  }
}

/** Names compared as people write them: case, spacing and the middle dot of transliterated names ignored. */
export function normName(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s·.・-]/g, '');
}

async function consume(limiter: RateLimiterRedis, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    const retryAfterSeconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    throw new PaymentsError(
      PaymentsErrorCode.APPEAL_RATE_LIMITED,
      `Too many appeals from this address; try again in ${retryAfterSeconds} s`,
      undefined,
      {
        retryAfterSeconds,
      },
    );
  }
}
