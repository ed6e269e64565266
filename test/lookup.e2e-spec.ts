import Redis from 'ioredis';
import { LOOKUP, Receipt, SUBMIT, validReport, waitIndexed } from './support/reports';
import { startTestApp, TestApp } from './support/test-app';

type Lookup = {
  identifier: { kind: string; value: string; display: string } | null;
  riskLevel: string;
  reportCountBand: string;
  fraudTypes: string[];
  firstReportedAt: string | null;
  lastReportedAt: string | null;
  note: string | null;
};

describe('public lookup', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      SUBMIT_RATE_PER_IP: '10000',
      SUBMIT_RATE_PER_REPORTER: '10000',
      LOOKUP_RATE_PER_IP: '10000',
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  const lookup = async (value: string, kind?: string) => {
    const res = await t.gql<{ lookup: Lookup }>(LOOKUP, { value, kind });
    expect(res.body.errors).toBeUndefined();
    return res.body.data?.lookup as Lookup;
  };

  it('answers an unreported identifier NONE / "0", and null identifier for garbage', async () => {
    expect(await lookup('13877776666')).toEqual({
      identifier: { kind: 'PHONE', value: '+8613877776666', display: '+86 138 7777 6666' },
      riskLevel: 'NONE',
      reportCountBand: '0',
      fraudTypes: [],
      firstReportedAt: null,
      lastReportedAt: null,
      note: null,
    });
  });

  it('refuses what it cannot read with the reason, never with risk NONE; detects what it can', async () => {
    for (const [value, why] of [
      ['', 'EMPTY'],
      ['   ', 'EMPTY'],
      ['javascript:alert(document.cookie)', 'UNSUPPORTED_SCHEME'],
      ['hello', 'AMBIGUOUS'], // a word: a WeChat ID? an app? the kind must be given
      ['12345678', 'AMBIGUOUS'], // a QQ number? an account?
      ['{"$gt": ""}', 'UNKNOWN_FORMAT'],
      ['x'.repeat(2048), 'UNKNOWN_FORMAT'],
      ['(555) 012-3456', 'INVALID_PHONE'], // a North American form that is no valid number: not read as +86
    ]) {
      const res = await t.gql<{ lookup: Lookup }>(LOOKUP, { value });
      expect(res.body.data).toBeNull();
      expect(res.body.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'NOT_AN_IDENTIFIER',
        identifierReason: why,
        field: 'value',
      });
      expect(res.body.errors?.[0].message).toMatch(/无法识别.*not a recognisable identifier/);
      expect(res.body.errors?.[0].message.length).toBeLessThan(300); // the value is never echoed back
    }
    // the same with a kind given that the value is not
    const typed = await t.gql<{ lookup: Lookup }>(LOOKUP, { value: 'hello', kind: 'PHONE' });
    expect(typed.body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      identifierReason: 'UNKNOWN_FORMAT',
    });
    // read without a kind
    expect((await lookup('wxid_abc123456')).identifier).toMatchObject({ kind: 'WECHAT_ID', value: 'wxid_abc123456' });
    expect((await lookup('Lucky_Girl88')).identifier).toMatchObject({ kind: 'WECHAT_ID', value: 'lucky_girl88' });
    expect((await lookup('(315) 232-8257')).identifier).toMatchObject({ kind: 'PHONE', value: '+13152328257' });
    expect((await lookup('ATVMaR3SXKRBtwCNgPjV5k2YzEgzMDYeaf')).identifier).toMatchObject({
      kind: 'CRYPTO_WALLET',
      value: 'ATVMaR3SXKRBtwCNgPjV5k2YzEgzMDYeaf',
    });
    expect((await lookup('http://myetherwallet.abarth')).identifier).toMatchObject({
      kind: 'URL',
      value: 'https://myetherwallet.abarth',
    });
  });

  it('answers a warninglisted number NONE with its note, even after reports name it (95588 spoofing)', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.gql<{ submitReport: Receipt }>(SUBMIT, {
        input: validReport({ identifiers: [{ value: '95588' }], reporterContact: `victim${i}@example.com` }),
      });
      await waitIndexed(t, (res.body.data?.submitReport as Receipt).trackingCode);
    }
    const res = await lookup('95588');
    expect(res).toMatchObject({
      identifier: { kind: 'PHONE', value: 'CN:95588' },
      riskLevel: 'NONE',
      reportCountBand: '0',
      fraudTypes: [],
    });
    expect(res.note).toMatch(/中国工商银行官方客服电话/);
    expect(res.note).toMatch(/Official customer-service number of Industrial and Commercial Bank of China/);
  });

  it('distinct reporters raise the risk, band and fraud types; lookups are counted per identifier in Redis', async () => {
    const value = '13811112222';
    const types = ['FAKE_LOAN', 'FAKE_LOAN', 'FAKE_INVESTMENT', 'FAKE_LOAN', 'FAKE_INVESTMENT', 'FAKE_LOAN'];
    for (let i = 0; i < types.length; i++) {
      const res = await t.gql<{ submitReport: Receipt }>(SUBMIT, {
        input: validReport({
          fraudType: types[i],
          identifiers: [{ value }],
          reporterContact: `1390000${String(i).padStart(4, '0')}`,
          occurredAt: new Date(Date.now() - (i + 1) * 86_400_000).toISOString(),
        }),
      });
      await waitIndexed(t, (res.body.data?.submitReport as Receipt).trackingCode);
    }
    const res = await lookup(`+86 ${value}`);
    expect(res).toMatchObject({
      riskLevel: 'HIGH',
      reportCountBand: '5-19',
      fraudTypes: ['FAKE_LOAN', 'FAKE_INVESTMENT'],
      note: null,
    });
    expect(new Date(res.firstReportedAt as string).getTime()).toBeLessThan(
      new Date(res.lastReportedAt as string).getTime(),
    );

    const redis = new Redis(process.env.REDIS_URL as string);
    try {
      const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
      const before = Number(await redis.get(`${t.cfg.queue.prefix}:lookups:PHONE:+86${value}:${day}`));
      await lookup(value);
      await lookup(value, 'PHONE');
      expect(Number(await redis.get(`${t.cfg.queue.prefix}:lookups:PHONE:+86${value}:${day}`))).toBe(before + 2);
    } finally {
      redis.disconnect();
    }
  });
});

describe('rate limits (tight limits through env)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SUBMIT_RATE_PER_IP: '3', SUBMIT_RATE_PER_REPORTER: '2', LOOKUP_RATE_PER_IP: '5' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('limits submitReport per reporter contact and per client address, with retryAfterSeconds', async () => {
    const byContact = (i: number) =>
      t.gql<{ submitReport: Receipt }>(SUBMIT, {
        input: validReport({ identifiers: [{ value: `1398888000${i}` }], reporterContact: 'same@example.com' }),
      });
    expect((await byContact(1)).body.errors).toBeUndefined();
    expect((await byContact(2)).body.errors).toBeUndefined();
    const limited = await byContact(3);
    expect(limited.body.errors?.[0].extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
    // the per-address limit (3) is now used up too: the next anonymous report is refused
    const anon = await t.gql(SUBMIT, { input: validReport({ identifiers: [{ value: '13988880009' }] }) });
    expect(anon.body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(anon.status).toBeLessThan(500);
  });

  it('limits lookup per client address', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await t.gql(LOOKUP, { value: '13812345678' });
      const code = res.body.errors?.[0]?.extensions?.code;
      codes.push(typeof code === 'string' ? code : 'OK');
    }
    expect(codes).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'RATE_LIMITED', 'RATE_LIMITED']);
  });
});
