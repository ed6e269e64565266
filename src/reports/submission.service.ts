import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { awaitedLater } from '../common/promises';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { JobQueueService } from '../queue/job-queue.service';
import { AbuseLimits } from './abuse-limits';
import { GroupCommit } from '../store/group-commit';
import { ReportReceipt } from './models/report.models';
import { Language, notices } from './notices';
import { PreparedReport, prepareReport } from './prepare-report';
import { receiptOf } from './receipt';
import { ReportKeys } from './redis-keys';
import { reporterContactAad } from './report.schema';
import { REPORTS_REDIS } from './reports-redis';
import { ReportRecord, ReportsRepository } from './reports.repository';
import { ReportsError, ReportsErrorCode } from './reports.errors';
import { newTrackingCode } from './tracking-code';
import { TRACKING_ALPHABET } from './tracking-code';

/** Weight of a reporter who left a contact (can be called back) and of an anonymous one (README). */
export const WEIGHT_WITH_CONTACT = 1;
export const WEIGHT_ANONYMOUS = 0.5;
export const REPEAT_WINDOW_SECONDS = 24 * 3600;
/** How long a replayed clientRequestId waits for the first request's report to appear. */
const REPLAY_WAIT_MS = 1_500;

/** `r_` + 26 Crockford base-32 symbols (130 random bits, 5 per symbol). */
export function newReportId(): string {
  const bytes = randomBytes(26);
  let s = 'r_';
  for (const b of bytes) s += TRACKING_ALPHABET[b & 31];
  return s;
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * `submitReport`: validate everything, then write in this order — idempotency claim (when a clientRequestId
 * is given), tracking code, report — and hand the report to the `report.index` job. Nothing is written
 * before every rule passed.
 */
@Injectable()
export class SubmissionService {
  private readonly logger = new Logger(SubmissionService.name);
  private readonly limits: AbuseLimits;
  private readonly keys: ReportKeys;
  /** The reports of concurrent submissions are handed off together: one `report.index` job per batch. */
  private readonly handOffs = new GroupCommit<string, void>(async (reportIds) => {
    await this.jobs.enqueue({
      name: 'report.index',
      data: { batchId: randomUUID(), reportIds, correlationId: randomUUID() },
    });
    return reportIds.map(() => ({ value: undefined }));
  });

  constructor(
    private readonly repo: ReportsRepository,
    private readonly jobs: JobQueueService,
    private readonly cipher: PiiCipher,
    @Inject(REPORTS_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {
    this.keys = new ReportKeys(cfg.queue.prefix);
    this.limits = new AbuseLimits(redis, this.keys, cfg.reports);
  }

  async submit(input: unknown, clientIp: string | undefined, lang: Language): Promise<ReportReceipt> {
    const ipKey = this.ipKey(clientIp);
    const now = new Date();
    const prepared = prepareReport(input, {
      now,
      maxLossFen: this.cfg.reports.maxLossFen,
      maxAgeDays: this.cfg.reports.maxAgeDays,
    });
    if (!prepared.ok) {
      const code = prepared.noIdentifier ? ReportsErrorCode.NO_IDENTIFIER : ReportsErrorCode.INVALID_REPORT;
      throw new ReportsError(code, prepared.message, prepared.field);
    }
    const p = prepared.report;
    const crid = p.clientRequestId ? `crid:${sha256(p.clientRequestId)}` : undefined;
    if (crid) {
      const claim = await this.repo.findClientRequest(crid);
      if (claim) return this.replay(claim.reportId, claim.trackingCode, p, ipKey, now, lang);
    }
    // only a new report counts against the address and the contact: a replay and a refused input do not
    const reporterHash = p.contact ? this.cipher.keyedHash(p.contact.canonical, 'reporter-contact') : undefined;
    if (reporterHash) await this.limits.submitByReporter(reporterHash);
    await this.limits.submitByIp(ipKey);

    const reportId = newReportId();
    const code = newTrackingCode();
    if (crid) {
      const claimed = await this.repo.insertClientRequest({ _id: crid, reportId, trackingCode: code, createdAt: now });
      if (!claimed) {
        await this.limits.refund(ipKey, reporterHash); // a concurrent twin of this request is the new report
        const claim = await this.repo.findClientRequest(crid);
        if (!claim)
          throw new ReportsError(
            ReportsErrorCode.REQUEST_IN_PROGRESS,
            'The same clientRequestId is being processed; retry',
          );
        return this.replay(claim.reportId, claim.trackingCode, p, ipKey, now, lang);
      }
    } else {
      // without a claim the code is free to change, and claiming it does not depend on the report: the code
      // claim runs while the report is prepared and written (write() settles both before answering)
      const claim = this.repo.insertTrackingCode(code, reportId);
      awaitedLater(claim); // in write()
      return this.write(reportId, code, p, ipKey, now, lang, claim);
    }
    return this.write(reportId, code, p, ipKey, now, lang, false);
  }

  /** A refused attempt from `clientIp` (RefusedSubmissionsFilter): RATE_LIMITED past its own budget. */
  async refused(clientIp: string | undefined): Promise<void> {
    await this.limits.invalidByIp(this.ipKey(clientIp));
  }

  private ipKey(clientIp: string | undefined): string {
    return `ip:${this.cipher.keyedHash(clientIp ?? 'unknown', 'client-ip').slice(0, 32)}`;
  }

  /** A clientRequestId seen before: the stored receipt, or — if the first request died half-way — finish it. */
  private async replay(
    reportId: string,
    code: string,
    p: PreparedReport,
    ipKey: string,
    now: Date,
    lang: Language,
  ): Promise<ReportReceipt> {
    const deadline = Date.now() + REPLAY_WAIT_MS;
    for (;;) {
      const stored = await this.repo.findReport(reportId);
      if (stored) return receiptOf(stored, lang);
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return this.write(reportId, code, p, ipKey, now, lang, false);
  }

  private async write(
    reportId: string,
    code: string,
    p: PreparedReport,
    ipKey: string,
    now: Date,
    lang: Language,
    /** a claim of `code` already under way (false: the code is taken), or false: claim it here, first */
    codeClaim: Promise<boolean> | false,
  ): Promise<ReportReceipt> {
    if (!codeClaim && !(await this.repo.insertTrackingCode(code, reportId))) {
      const owner = await this.repo.findTrackingCode(code);
      if (owner?.reportId !== reportId) throw new Error('tracking code collision on a claimed request');
    }
    const reporterHash = p.contact ? this.cipher.keyedHash(p.contact.canonical, 'reporter-contact') : undefined;
    const reporterKey = reporterHash ? `c:${reporterHash}` : ipKey;
    const warnings = [...p.notices];
    const repeatOf = await this.repeatOf(reporterKey, p, reportId);
    if (repeatOf) warnings.push(notices.repeatReport());

    const doc: ReportRecord = {
      _id: reportId,
      source: 'public',
      trackingCode: code,
      fraudType: p.fraudType,
      channel: p.channel,
      occurredAt: p.occurredAt,
      regionCode: p.regionCode,
      lossFen: p.lossFen,
      original: p.original,
      identifiers: p.identifiers,
      reporterKey,
      weight: reporterHash ? WEIGHT_WITH_CONTACT : WEIGHT_ANONYMOUS,
      status: 'RECEIVED',
      linkState: 'PENDING',
      notices: warnings,
      createdAt: now,
    };
    if (p.paymentMethod) doc.paymentMethod = p.paymentMethod;
    if (p.victimAgeBand) doc.victimAgeBand = p.victimAgeBand;
    if (p.narrative !== undefined) doc.narrative = p.narrative;
    if (p.contact && reporterHash) {
      doc.reporterContactEnc = this.cipher.encrypt(p.contact.asTyped, reporterContactAad(reportId));
      doc.reporterHash = reporterHash;
    }
    if (repeatOf) doc.repeatOf = repeatOf;
    if (codeClaim) {
      const [claimed, inserted] = await Promise.allSettled([codeClaim, this.repo.insertReport(doc)]);
      if (claimed.status === 'rejected' || inserted.status === 'rejected') {
        // nothing half-written stays behind an error: no report without its tracking code
        if (inserted.status === 'fulfilled' && inserted.value)
          await this.repo
            .deleteReport(reportId)
            .catch((err: unknown) =>
              this.logger.warn({ err, reportId }, 'report without its tracking code left behind (delete failed)'),
            );
        throw claimed.status === 'rejected' ? claimed.reason : (inserted as PromiseRejectedResult).reason;
      }
      if (!claimed.value) {
        // the (astronomically rare) collision: claim another code, then store the report under it
        let retries = 0;
        do {
          code = newTrackingCode();
          if (++retries > 3) throw new Error('could not claim a free tracking code');
        } while (!(await this.repo.insertTrackingCode(code, reportId)));
        doc.trackingCode = code;
        await this.repo.replaceReport(doc);
      }
      // a fresh random report id: never taken (130 bits), so `inserted.value` is true
    } else if (!(await this.repo.insertReport(doc))) {
      const stored = await this.repo.findReport(reportId);
      if (stored) return receiptOf(stored, lang); // a concurrent replay of the same request wrote it first
    }
    // the lookup cache is forgotten by the indexer, once the counts a lookup reads include this report
    await this.handOffs.submit(reportId);
    return receiptOf(doc, lang);
  }

  /**
   * The same reporter with the same identifiers within 24 h: `SET repeat:<reporterKey>:<hash> <id> NX EX`.
   * Returns the earlier report's id, or undefined for a first report.
   */
  private async repeatOf(reporterKey: string, p: PreparedReport, reportId: string): Promise<string | undefined> {
    const idsHash = sha256(
      p.identifiers
        .map((i) => i.key)
        .sort()
        .join('\n'),
    );
    const key = this.keys.repeat(reporterKey, idsHash);
    const set = await this.redis.set(key, reportId, 'EX', REPEAT_WINDOW_SECONDS, 'NX');
    if (set === 'OK') return undefined;
    const earlier = await this.redis.get(key);
    return earlier && earlier !== reportId ? earlier : undefined;
  }
}
