/**
 * Urgent payment stops end to end, over real HTTP against the real stores, with a real bank (an HTTP sink in this
 * process that verifies our Standard Webhooks signatures and calls back signed): stop → CONFIRMED → expiry warning
 * → expiry, the second stop and the refused third, the freeze (approved by a second supervisor), the appeal and
 * the release; forged, stale and replayed callbacks refused. Time is moved with the app's Clock, never slept: the
 * sweep (every second here) applies the deadlines.
 */
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import type Redis from 'ioredis';
import { Clock } from '../src/common/clock/clock';
import { JobQueueService } from '../src/queue/job-queue.service';
import { REDIS } from '../src/redis/redis.module';
import { BankSink, newWebhookSecret } from './support/bank-sink';
import { storeOf } from './support/reports';
import { createStaff, submitReportId } from './support/staff';
import { GqlResponse, loginAsAdmin, LoggedIn, startTestApp, TestApp } from './support/test-app';

const HOUR = 3_600_000;
const PASSWORD = 'payments-password-123';
const CARD = '6222021234567890128'; // Luhn-valid
const CARD2 = '4111111111111111';
const CARD3 = '5500000000000004';
const CARD4 = '378282246310005';

const STOP_FIELDS = `id status slot amount stoppedAmount accountNumber accountHolderName caseId caseNumber bankCode
  expiresAt warnAt warnedAt frozenUntil releasedAt appealId confirmedAt rejectionReason
  freeze { requestedBy approvedBy renewal reason }
  messages { id type status attempts lastError outcome }`;
const REQUEST = `mutation($input: PaymentStopInput!) { requestPaymentStop(input: $input) { ${STOP_FIELDS} } }`;
const GET = `query($id: ID!) { paymentStop(id: $id) { ${STOP_FIELDS} } }`;

interface Stop {
  id: string;
  status: string;
  slot: number;
  amount: string;
  stoppedAmount: string | null;
  accountNumber: string;
  accountHolderName: string;
  caseNumber: string;
  expiresAt: string | null;
  warnAt: string | null;
  warnedAt: string | null;
  frozenUntil: string | null;
  releasedAt: string | null;
  appealId: string | null;
  confirmedAt: string | null;
  rejectionReason: string | null;
  freeze: { requestedBy: string; approvedBy: string | null; renewal: boolean; reason: string } | null;
  messages: {
    id: string;
    type: string;
    status: string;
    attempts: number;
    lastError: string | null;
    outcome: string | null;
  }[];
}

type Errors = NonNullable<GqlResponse['body']['errors']>;
const codeOf = (errors: Errors | undefined) => errors?.[0]?.extensions?.code;
const fieldOf = (errors: Errors | undefined) => errors?.[0]?.extensions?.field;

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('urgent payment stops', () => {
  let t: TestApp;
  let sink: BankSink;
  let other: BankSink;
  let clock: Clock;
  let inv1: LoggedIn;
  let inv2: LoggedIn;
  let sup1: LoggedIn;
  let sup2: LoggedIn;
  let caseId: string;

  const stopInput = (over: Record<string, unknown> = {}) => ({
    caseId,
    accountNumber: CARD,
    accountHolderName: '张三',
    amount: '5000.00',
    transactionAt: new Date(clock.nowMs() - 2 * HOUR).toISOString(),
    bankCode: 'ICBC',
    ...over,
  });

  async function request(who: LoggedIn, over: Record<string, unknown> = {}) {
    return t.gql<{ requestPaymentStop: Stop }>(REQUEST, { input: stopInput(over) }, who.headers);
  }

  async function get(id: string, who: LoggedIn = inv1): Promise<Stop> {
    const res = await t.gql<{ paymentStop: Stop }>(GET, { id }, who.headers);
    if (!res.body.data?.paymentStop) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data.paymentStop;
  }

  const waitStatus = (id: string, status: string) =>
    until(
      `stop ${id} ${status}`,
      () => get(id),
      (s) => s.status === status,
    );

  async function auditCount(action: string, objectId: string): Promise<number> {
    return storeOf(t).collection('audit_log').countDocuments({ action, objectId });
  }

  async function timelineCount(type: string, stopId: string): Promise<number> {
    return storeOf(t).collection('case_events').countDocuments({ type, 'data.stopId': stopId });
  }

  async function appealCodeOf(stopId: string): Promise<string> {
    const n = await storeOf(t)
      .collection('payment_notices')
      .findOne({ _id: `${stopId}:STOPPED` as never });
    return String(n?.appealCode);
  }

  beforeAll(async () => {
    sink = await new BankSink(newWebhookSecret()).start();
    other = await new BankSink(newWebhookSecret()).start();
    t = await startTestApp({
      BANK_ENDPOINTS: JSON.stringify({
        ICBC: { url: sink.url, secret: sink.secret },
        CMB: { url: other.url, secret: other.secret },
      }),
      PAYMENT_SWEEP_SECONDS: '1',
      BANK_TIMEOUT_MS: '1000',
      SUBMIT_RATE_PER_IP: '100000',
      WORKER_YIELD_MAX_MS: '0',
    });
    clock = t.app.get(Clock);
    sink.now = other.now = () => clock.nowMs();
    const admin = await loginAsAdmin(t);
    const staff = (name: string, roles: string[], unit: string) =>
      createStaff(t, admin, `pay-${name}@siqian.test`, PASSWORD, roles, [unit]);
    inv1 = await staff('inv1', ['INVESTIGATOR'], 'DG01');
    inv2 = await staff('inv2', ['INVESTIGATOR'], 'DG02');
    sup1 = await staff('sup1', ['SUPERVISOR'], 'DG01');
    sup2 = await staff('sup2', ['SUPERVISOR'], 'DG01');
    const reportId = await submitReportId(t, [{ kind: 'BANK_ACCOUNT', value: CARD }], {
      regionCode: 'DG01',
      reporterContact: 'victim@example.com',
    });
    const opened = await t.gql<{ openCase: { id: string } }>(
      'mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }',
      { input: { reportIds: [reportId], title: 'Fake investment: transfers to 6222…', unitCode: 'DG01' } },
      inv1.headers,
    );
    if (!opened.body.data) throw new Error(JSON.stringify(opened.body.errors));
    caseId = opened.body.data.openCase.id;
  });

  afterAll(async () => {
    await t?.close();
    await sink?.stop();
    await other?.stop();
  });

  it('refuses incomplete or inconsistent requests, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ bankCode: 'NOBANK' }, 'input.bankCode'],
      [{ accountNumber: '6222021234567890127' }, 'input.accountNumber'], // fails Luhn
      [{ accountNumber: '62-22' }, 'input.accountNumber'],
      [{ amount: '0' }, 'input.amount'],
      [{ amount: '-5' }, 'input.amount'],
      [{ transactionAt: new Date(clock.nowMs() + 2 * HOUR).toISOString() }, 'input.transactionAt'],
      [{ transactionAt: '2001-01-01T00:00:00Z' }, 'input.transactionAt'],
      [{ accountHolderName: '  ' }, 'input.accountHolderName'],
      [{ accountHolderName: undefined }, 'input.accountHolderName'],
      [{ bankCode: null }, 'input.bankCode'],
    ];
    for (const [over, field] of cases) {
      const res = await request(inv1, over);
      expect([over, codeOf(res.body.errors), fieldOf(res.body.errors)]).toEqual([over, 'BAD_USER_INPUT', field]);
    }
    expect(codeOf((await request(inv2)).body.errors)).toBe('FORBIDDEN'); // another unit's case
    expect(codeOf((await request(inv1, { caseId: 'AJ-1999-999999' })).body.errors)).toBe('NOT_FOUND');
    const unknown = await t.gql(GET, { id: 'no-such-stop' }, inv1.headers);
    expect(codeOf(unknown.body.errors)).toBe('NOT_FOUND');
    expect(sink.requests).toHaveLength(0);
  });

  let stop1: Stop;

  it('sends a stop signed, retrying a 5xx with the same webhook-id, and the bank confirms it', async () => {
    sink.answerNext(500);
    const res = await request(inv1);
    expect(res.body.errors).toBeUndefined();
    stop1 = res.body.data!.requestPaymentStop;
    expect(stop1).toMatchObject({ status: 'REQUESTED', slot: 1, amount: '5000.00', accountHolderName: '张三' });
    const sent = await waitStatus(stop1.id, 'SENT');
    expect(sent.messages).toMatchObject([{ type: 'STOP', status: 'SENT', attempts: 2 }]);
    const got = sink.of(stop1.id);
    expect(got.map((r) => [r.verified, r.answered])).toEqual([
      [true, 500],
      [true, 200],
    ]);
    expect(new Set(got.map((r) => r.headers['webhook-id']))).toEqual(new Set([sent.messages[0].id]));
    expect(got[0].headers['webhook-signature']).not.toBe(got[1].headers['webhook-signature']);
    expect(got[1].body).toMatchObject({
      stopId: stop1.id,
      type: 'STOP',
      accountNumber: CARD,
      accountHolderName: '张三',
      amount: '5000.00',
      bankCode: 'ICBC',
      caseNumber: stop1.caseNumber,
    });

    const cb = await sink.callback(t.baseUrl, {
      stopId: stop1.id,
      type: 'STOP',
      outcome: 'CONFIRMED',
      stoppedAmount: '4321.09',
      holderNotice: { channel: 'SMS', address: '+8613800138000' },
    });
    expect(cb.status).toBe(200);
    const confirmed = await get(stop1.id);
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', stoppedAmount: '4321.09' });
    expect(Date.parse(confirmed.expiresAt!) - Date.parse(confirmed.confirmedAt!)).toBe(48 * HOUR);
    const notice = await storeOf(t)
      .collection('payment_notices')
      .findOne({ _id: `${stop1.id}:STOPPED` as never });
    expect(notice).toMatchObject({ channel: 'SMS', status: 'QUEUED' });
    expect(String(notice?.addressEnc)).not.toContain('13800138000');
    expect(await timelineCount('PAYMENT_STOP_CONFIRMED', stop1.id)).toBe(1);
    expect(await timelineCount('PAYMENT_STOP_REQUESTED', stop1.id)).toBe(1);
    // another unit's staff: FORBIDDEN through the stop's case; unknown ids NOT_FOUND
    expect(codeOf((await t.gql(GET, { id: stop1.id }, inv2.headers)).body.errors)).toBe('FORBIDDEN');
    const FREEZE = 'mutation($id: ID!) { requestAccountFreeze(stopId: $id, reason: "needed now") { id } }';
    expect(codeOf((await t.gql(FREEZE, { id: stop1.id }, inv2.headers)).body.errors)).toBe('FORBIDDEN');
    expect(codeOf((await t.gql(FREEZE, { id: 'no-such-stop' }, inv1.headers)).body.errors)).toBe('NOT_FOUND');
  });

  it('refuses forged, stale, replayed, unknown and malformed callbacks', async () => {
    const body = { stopId: stop1.id, type: 'STOP', outcome: 'REJECTED', reason: 'forged' };
    expect((await sink.callback(t.baseUrl, body, { secret: other.secret })).status).toBe(401);
    expect((await sink.callback(t.baseUrl, body, { timestampMs: clock.nowMs() - 6 * 60_000 })).status).toBe(401);
    expect((await sink.callback(t.baseUrl, body, { timestampMs: clock.nowMs() + 6 * 60_000 })).status).toBe(401);
    const unsigned = await fetch(`${t.baseUrl}/callbacks/bank`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(unsigned.status).toBe(401);
    expect((await sink.callback(t.baseUrl, { ...body, stopId: 'no-such-stop' })).status).toBe(404);
    expect((await sink.callback(t.baseUrl, '{"stopId": ')).status).toBe(400);
    expect((await sink.callback(t.baseUrl, { stopId: stop1.id, type: 'STOP', outcome: 'MAYBE' })).status).toBe(400);
    // a genuine callback replayed (same webhook-id): refused, and it changes nothing
    const first = await sink.callback(t.baseUrl, { stopId: stop1.id, type: 'FREEZE', outcome: 'CONFIRMED' });
    expect(first.status).toBe(409); // no freeze awaits the bank
    const replay = await sink.callback(t.baseUrl, body, { id: first.id });
    expect(replay).toMatchObject({ status: 409, body: { message: 'replayed webhook-id' } });
    expect((await get(stop1.id)).status).toBe('CONFIRMED');
  });

  it('a timer that fires early is set again; one for an older deadline does nothing', async () => {
    const queue = t.app.get<Queue>(getQueueToken('payments'), { strict: false });
    const jobs = t.app.get(JobQueueService);
    const { expiresAt } = await get(stop1.id);
    const fire = async (dueAt: string, round: number) => {
      const job = await jobs.enqueue({
        name: 'stop.timer',
        data: { stopId: stop1.id, kind: 'EXPIRE', dueAt, round, correlationId: 'e2e' },
      });
      await until(
        'timer job',
        async () => (await queue.getJob(job.id))?.finishedOn,
        (f) => !!f,
      );
    };
    await fire(expiresAt!, 7); // 48 h early by the Clock
    const again = await queue.getJob(`stop.timer:${stop1.id}:EXPIRE:${expiresAt}:8`);
    expect(await again?.isDelayed()).toBe(true);
    expect(again!.opts.delay).toBeGreaterThan(47 * HOUR);
    await fire('2026-01-01T00:00:00.000Z', 3); // a deadline the stop no longer has
    expect(await queue.getJob(`stop.timer:${stop1.id}:EXPIRE:2026-01-01T00:00:00.000Z:4`)).toBeNull();
    expect((await get(stop1.id)).status).toBe('CONFIRMED');
  });

  it('warns 6 hours before the 48 hours end and expires the stop at the deadline (the Clock moved, not slept)', async () => {
    // the sweep's set is a cache: lost (a flushed Redis), it is rebuilt from the stored holds
    const redis = t.app.get<Redis>(REDIS, { strict: false });
    await redis.del(`${t.cfg.queue.prefix}:payments:due`, `${t.cfg.queue.prefix}:payments:due:built`);
    clock.advance(42 * HOUR + 1_000);
    const warned = await until(
      'warning',
      () => get(stop1.id),
      (s) => s.warnedAt !== null,
    );
    expect(warned.status).toBe('CONFIRMED');
    // the stop is written first, then its record: wait for both
    await until(
      'warning on the timeline',
      () => timelineCount('PAYMENT_STOP_EXPIRY_WARNING', stop1.id),
      (n) => n > 0,
    );
    clock.advance(6 * HOUR);
    await waitStatus(stop1.id, 'EXPIRED');
    await new Promise((r) => setTimeout(r, 1_500)); // more sweep rounds change nothing
    expect(await timelineCount('PAYMENT_STOP_EXPIRED', stop1.id)).toBe(1);
    expect(await auditCount('PAYMENT_STOP_EXPIRED', stop1.id)).toBe(1);
    expect(await auditCount('PAYMENT_STOP_EXPIRY_WARNING', stop1.id)).toBe(1);
  });

  it('a bank that does not answer in time is asked again', async () => {
    other.answerNext({ hangMs: 3_000 });
    const res = await request(inv1, { accountNumber: CARD4, bankCode: 'CMB' });
    const s = res.body.data!.requestPaymentStop;
    const sent = await waitStatus(s.id, 'SENT');
    expect(sent.messages[0]).toMatchObject({ status: 'SENT', attempts: 2, lastError: 'timeout' });
    expect(other.of(s.id).map((r) => r.answered)).toEqual([-1, 200]);
  });

  it('a 4xx from the bank fails the message at once (no retry)', async () => {
    other.answerNext(400);
    const res = await request(inv1, { accountNumber: CARD3, bankCode: 'CMB' });
    const s = res.body.data!.requestPaymentStop;
    const failed = await until(
      'failed message',
      () => get(s.id),
      (x) => x.messages[0].status === 'FAILED',
    );
    expect(failed.messages[0]).toMatchObject({ attempts: 1, lastError: 'HTTP 400' });
    expect(failed.status).toBe('REQUESTED');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(other.of(s.id)).toHaveLength(1);

    // a message stored by a process that died before queuing its job: the sweep finds it in the outbox
    await storeOf(t)
      .collection('payment_stops')
      .updateOne({ _id: s.id as never }, {
        $push: { messages: { id: 'msg_lost', type: 'STOP', status: 'PENDING', createdAt: clock.now(), attempts: 0 } },
      } as never);
    const redis = t.app.get<Redis>(REDIS, { strict: false });
    await redis.zadd(`${t.cfg.queue.prefix}:payments:outbox`, Date.now() - 120_000, `${s.id}|msg_lost`);
    const repaired = await waitStatus(s.id, 'SENT');
    expect(repaired.messages.map((m) => [m.id, m.status])).toEqual([
      [s.messages[0].id, 'FAILED'],
      ['msg_lost', 'SENT'],
    ]);
    expect(other.of(s.id).map((r) => r.headers['webhook-id'])).toEqual([s.messages[0].id, 'msg_lost']);
  });

  let stop2: Stop;

  it('takes a second stop on the account and refuses the third, pointing to the freeze', async () => {
    const res = await request(inv1, { amount: '800.00' });
    stop2 = res.body.data!.requestPaymentStop;
    expect(stop2.slot).toBe(2);
    await waitStatus(stop2.id, 'SENT');
    expect(
      (
        await sink.callback(t.baseUrl, {
          stopId: stop2.id,
          type: 'STOP',
          outcome: 'CONFIRMED',
          stoppedAmount: '800.00',
        })
      ).status,
    ).toBe(200);
    await waitStatus(stop2.id, 'CONFIRMED');
    const third = await request(inv1, { amount: '1.00' });
    expect(codeOf(third.body.errors)).toBe('CONFLICT');
    expect(third.body.errors?.[0].message).toContain('requestAccountFreeze');
    // a different account of the same case is not limited by this one; concurrent requests take exactly two slots
    const racing = await Promise.all([1, 2, 3, 4].map(() => request(inv1, { accountNumber: CARD2 })));
    expect(racing.map((r) => r.body.data?.requestPaymentStop.slot ?? codeOf(r.body.errors)).sort()).toEqual([
      1,
      2,
      'CONFLICT',
      'CONFLICT',
    ]);
  });

  it('freezes the account after a second supervisor approves; the requester may not approve', async () => {
    const FREEZE = `mutation($id: ID!, $r: String!) { requestAccountFreeze(stopId: $id, reason: $r) { ${STOP_FIELDS} } }`;
    const APPROVE = `mutation($id: ID!) { approveAccountFreeze(stopId: $id) { ${STOP_FIELDS} } }`;
    expect(fieldOf((await t.gql(FREEZE, { id: stop2.id, r: '' }, sup1.headers)).body.errors)).toBe('reason');
    expect(codeOf((await t.gql(FREEZE, { id: stop2.id, r: 'x'.repeat(10) }, inv2.headers)).body.errors)).toBe(
      'FORBIDDEN',
    );
    const requested = await t.gql<{ requestAccountFreeze: Stop }>(
      FREEZE,
      { id: stop2.id, r: 'Two stops used; the account keeps receiving victims’ money' },
      sup1.headers,
    );
    expect(requested.body.data?.requestAccountFreeze).toMatchObject({ status: 'FREEZE_REQUESTED' });
    expect(codeOf((await t.gql(FREEZE, { id: stop1.id, r: 'again' }, inv1.headers)).body.errors)).toBe('CONFLICT');
    expect(codeOf((await t.gql(APPROVE, { id: stop2.id }, inv1.headers)).body.errors)).toBe('FORBIDDEN'); // not a supervisor
    const self = await t.gql(APPROVE, { id: stop2.id }, sup1.headers);
    expect(codeOf(self.body.errors)).toBe('FORBIDDEN');
    expect(self.body.errors?.[0].message).toContain('second supervisor');
    const approved = await t.gql<{ approveAccountFreeze: Stop }>(APPROVE, { id: stop2.id }, sup2.headers);
    expect(approved.body.data?.approveAccountFreeze.freeze).toMatchObject({ approvedBy: sup2.userId, renewal: false });
    expect(codeOf((await t.gql(APPROVE, { id: stop2.id }, sup2.headers)).body.errors)).toBe('CONFLICT');
    const freezeMsg = await until(
      'freeze message',
      async () => sink.of(stop2.id, 'FREEZE'),
      (r) => r.length > 0,
    );
    expect(freezeMsg[0]).toMatchObject({ verified: true, answered: 200 });
    expect((await sink.callback(t.baseUrl, { stopId: stop2.id, type: 'FREEZE', outcome: 'CONFIRMED' })).status).toBe(
      200,
    );
    const frozen = await get(stop2.id);
    expect(frozen.status).toBe('FROZEN');
    const months = (Date.parse(frozen.frozenUntil!) - clock.nowMs()) / (24 * HOUR);
    expect(months).toBeGreaterThan(180);
    expect(months).toBeLessThan(185);
    expect(await auditCount('ACCOUNT_FROZEN', stop2.id)).toBe(1);
    expect(await timelineCount('ACCOUNT_FREEZE_APPROVED', stop2.id)).toBe(1);
    // the victim who reported the account is told (CaseAccess.noticeReporters)
    const told = await storeOf(t).collection('reporter_notices').find({ event: 'FROZEN', ref: stop2.id }).toArray();
    expect(told.map((n) => String(n.identifierKey))).toEqual([`BANK_ACCOUNT:${CARD}`]);

    // renewal: a freeze request on a frozen stop, approved by a supervisor who did not request it
    clock.advance(30 * 24 * HOUR);
    const renew = await t.gql<{ requestAccountFreeze: Stop }>(
      FREEZE,
      { id: stop2.id, r: 'Still receiving' },
      inv1.headers,
    );
    expect(renew.body.data?.requestAccountFreeze.freeze).toMatchObject({ renewal: true, approvedBy: null });
    expect((await t.gql(APPROVE, { id: stop2.id }, sup1.headers)).body.errors).toBeUndefined();
    await until(
      'renewal message',
      async () => sink.of(stop2.id, 'FREEZE'),
      (r) => r.length > 1,
    );
    expect((await sink.callback(t.baseUrl, { stopId: stop2.id, type: 'FREEZE', outcome: 'CONFIRMED' })).status).toBe(
      200,
    );
    const renewed = await get(stop2.id);
    expect(renewed.status).toBe('FROZEN');
    expect(Date.parse(renewed.frozenUntil!)).toBeGreaterThan(Date.parse(frozen.frozenUntil!));
    expect(await auditCount('ACCOUNT_FROZEN', stop2.id)).toBe(2);
  });

  it('takes the holder’s public appeal and releases the money when a supervisor upholds it', async () => {
    const FILE = `mutation($input: StopAppealInput!) { fileStopAppeal(input: $input) { trackingCode status filedAt } }`;
    const STATUS = `query($code: String!) { appealStatus(trackingCode: $code) { status filedAt updatedAt } }`;
    const code = await appealCodeOf(stop2.id);
    const input = {
      appealCode: code,
      holderName: '张三',
      contact: 'zhang@example.com',
      reason: 'The money is my salary, not fraud proceeds.',
    };
    const bad: [Record<string, unknown>, string][] = [
      [{ appealCode: 'K7QX-M2PD-9HTR-4WZX' }, 'input.appealCode'],
      [{ holderName: '李四' }, 'input.holderName'],
      [{ reason: 'short' }, 'input.reason'],
      [{ contact: 'not a contact' }, 'input.contact'],
      [{ contact: null }, 'input.contact'],
    ];
    for (const [over, field] of bad) {
      const res = await t.gql(FILE, { input: { ...input, ...over } });
      expect([over, codeOf(res.body.errors), fieldOf(res.body.errors)]).toEqual([over, 'BAD_USER_INPUT', field]);
    }
    const filed = await t.gql<{ fileStopAppeal: { trackingCode: string; status: string } }>(FILE, { input });
    expect(filed.body.data?.fileStopAppeal.status).toBe('UNDER_REVIEW');
    const tracking = filed.body.data!.fileStopAppeal.trackingCode;
    expect(codeOf((await t.gql(FILE, { input })).body.errors)).toBe('CONFLICT');
    const status = await t.gql<{ appealStatus: Record<string, unknown> }>(STATUS, { code: tracking });
    expect(status.body.data?.appealStatus).toMatchObject({ status: 'UNDER_REVIEW' });
    expect(JSON.stringify(status.body.data)).not.toContain('张三');
    expect(
      (await t.gql<{ appealStatus: null }>(STATUS, { code: 'K7QX-M2PD-9HTR-4WZX' })).body.data?.appealStatus,
    ).toBeNull();

    const appealId = (await get(stop2.id)).appealId!;
    const RESOLVE = `mutation($id: ID!, $release: Boolean!, $reason: String!) {
      resolveStopAppeal(appealId: $id, release: $release, reason: $reason) { id status release holderName } }`;
    const args = { id: appealId, release: true, reason: 'Payslips show the transfers are wages' };
    expect(codeOf((await t.gql(RESOLVE, args, inv1.headers)).body.errors)).toBe('FORBIDDEN');
    expect(codeOf((await t.gql(RESOLVE, { ...args, id: 'nope' }, sup1.headers)).body.errors)).toBe('NOT_FOUND');
    const resolved = await t.gql<{ resolveStopAppeal: { status: string; holderName: string } }>(
      RESOLVE,
      args,
      sup1.headers,
    );
    expect(resolved.body.data?.resolveStopAppeal).toMatchObject({ status: 'RELEASE_SENT', holderName: '张三' });
    expect(codeOf((await t.gql(RESOLVE, args, sup2.headers)).body.errors)).toBe('CONFLICT');
    const release = await until(
      'release message',
      async () => sink.of(stop2.id, 'RELEASE'),
      (r) => r.length > 0,
    );
    expect(release[0].verified).toBe(true);
    expect((await sink.callback(t.baseUrl, { stopId: stop2.id, type: 'RELEASE', outcome: 'CONFIRMED' })).status).toBe(
      200,
    );
    expect((await get(stop2.id)).status).toBe('RELEASED');
    const after = await t.gql<{ appealStatus: { status: string } }>(STATUS, { code: tracking });
    expect(after.body.data?.appealStatus.status).toBe('RELEASED');
  });

  it('completes a filing that died half-way; an upheld appeal of a lapsed stop is released at once', async () => {
    // the process died right after claiming the stop's appeal: the next filing completes it
    await storeOf(t)
      .collection('payment_claims')
      .insertOne({ _id: `stop-appeal:${stop1.id}` as never, ref: 'appeal-half-way', at: new Date() });
    const filed = await t.gql<{ fileStopAppeal: { trackingCode: string; status: string } }>(
      'mutation($input: StopAppealInput!) { fileStopAppeal(input: $input) { trackingCode status } }',
      {
        input: {
          appealCode: await appealCodeOf(stop1.id),
          holderName: ' 张三 ',
          contact: '+86 138 0013 8000',
          reason: 'The stop has lapsed, but I want it on record.',
        },
      },
    );
    expect(filed.body.data?.fileStopAppeal.status).toBe('UNDER_REVIEW');
    expect((await get(stop1.id)).appealId).toBe('appeal-half-way');
    const resolved = await t.gql<{ resolveStopAppeal: { status: string } }>(
      'mutation { resolveStopAppeal(appealId: "appeal-half-way", release: true, reason: "nothing left to hold") { status } }',
      {},
      sup2.headers,
    );
    expect(resolved.body.data?.resolveStopAppeal.status).toBe('RELEASED');
    expect(sink.of(stop1.id, 'RELEASE')).toHaveLength(0); // nothing to ask the bank
    expect((await get(stop1.id)).status).toBe('EXPIRED');
  });

  it('lists the stops on the case', async () => {
    const res = await t.gql<{ case: { paymentStops: { id: string; status: string }[] } }>(
      'query($id: ID!) { case(id: $id) { paymentStops { id status } } }',
      { id: caseId },
      inv1.headers,
    );
    expect(res.body.errors).toBeUndefined();
    const ids = res.body.data!.case.paymentStops.map((s) => s.id);
    expect(ids.slice(0, 1)).toEqual([stop1.id]);
    expect(ids).toContain(stop2.id);
    expect(ids).toHaveLength(6);
  });
});
