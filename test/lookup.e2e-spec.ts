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
  reportedAtPrecision?: string | null;
  note: string | null;
  notice?: { code: string; zh: string; en: string } | null;
};

const LOOKUP_FULL = `query($value: String!, $kind: IdentifierKind, $language: Language) {
  lookup(value: $value, kind: $kind, language: $language) { identifier { kind value display } riskLevel reportCountBand
    fraudTypes firstReportedAt lastReportedAt reportedAtPrecision note notice { code zh en } }
}`;

describe('public lookup', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      SUBMIT_RATE_PER_IP: '10000',
      SUBMIT_RATE_PER_REPORTER: '10000',
      SUBMIT_INVALID_RATE_PER_IP: '10000',
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
  const lookupFull = async (value: string, language?: string | null, headers: Record<string, string> = {}) => {
    const res = await t.gql<{ lookup: Lookup }>(LOOKUP_FULL, { value, language }, headers);
    expect(res.body.errors).toBeUndefined();
    return res.body.data?.lookup as Lookup;
  };
  const submitIndexed = async (input: Record<string, unknown>): Promise<Receipt> => {
    const res = await t.gql<{ submitReport: Receipt }>(SUBMIT, { input: validReport(input) });
    expect(res.body.errors).toBeUndefined();
    const receipt = res.body.data?.submitReport as Receipt;
    await waitIndexed(t, receipt.trackingCode);
    return receipt;
  };

  it('below k gives the month of the reported fraud (00:00 Asia/Shanghai), never its exact time; from k the day', async () => {
    const value = '13822334455';
    // 2026-03-31T17:47:12Z is 1 April 01:47 in Shanghai: the month is April there
    const occurredAt = new Date(Date.now() - 20 * 86_400_000);
    occurredAt.setUTCHours(17, 47, 12, 345);
    await submitIndexed({ identifiers: [{ value }], occurredAt: occurredAt.toISOString() });
    const shanghai = new Date(occurredAt.getTime() + 8 * 3_600_000);
    const monthStart = new Date(Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), 1) - 8 * 3_600_000);
    const one = await lookupFull(value);
    expect(one).toMatchObject({
      reportCountBand: '<5',
      reportedAtPrecision: 'MONTH',
      firstReportedAt: monthStart.toISOString(),
      lastReportedAt: monthStart.toISOString(),
    });
    expect(JSON.stringify(one)).not.toContain(occurredAt.toISOString().slice(11, 19));

    for (let i = 1; i < 5; i++)
      await submitIndexed({
        identifiers: [{ value }],
        occurredAt: occurredAt.toISOString(),
        reporterContact: `k${i}@example.com`,
      });
    const dayStart = new Date(
      Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate()) - 8 * 3_600_000,
    );
    expect(await lookupFull(value)).toMatchObject({
      reportCountBand: '5-19',
      reportedAtPrecision: 'DAY',
      firstReportedAt: dayStart.toISOString(),
    });
  });

  it('a lookup right after a submit and its indexing shows the report (the cached answer is forgotten)', async () => {
    const value = '13855667788';
    expect(await lookup(value)).toMatchObject({ riskLevel: 'NONE', reportCountBand: '0' }); // cached now
    await submitIndexed({ identifiers: [{ value }] });
    expect(await lookup(value)).toMatchObject({ reportCountBand: '<5', fraudTypes: ['FAKE_CUSTOMER_SERVICE'] });
  });

  it('many old reports and a LOW risk: the note says why (their weight decayed), in the chosen language', async () => {
    const value = '13866001122';
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        submitIndexed({
          identifiers: [{ value }],
          occurredAt: `2021-06-${String(i + 1).padStart(2, '0')}T10:00:00+08:00`,
          reporterContact: `old-victim-${i}@example.com`,
          fraudType: 'FAKE_LOAN',
        }),
      ),
    );
    const zh = await lookupFull(value);
    expect(zh).toMatchObject({ riskLevel: 'LOW', reportCountBand: '20-99', notice: { code: 'RISK_DECAYED' } });
    expect(zh.note).toContain('2021-06');
    expect(zh.note).toMatch(/20-99 人举报过/);
    expect(zh.note).toMatch(/高/); // the risk was HIGH when the reports came in
    expect(zh.notice?.en).toMatch(/Reported by 20-99 people, most recently in 2021-06/);
    expect(zh.notice?.en).toMatch(/was HIGH then and is LOW today/);

    expect((await lookupFull(value, null, { 'accept-language': 'en-GB,en;q=0.9' })).note).toBe(zh.notice?.en);
    expect((await lookupFull(value, 'EN', { 'accept-language': 'zh-CN' })).note).toBe(zh.notice?.en);
    expect((await lookupFull(value, 'ZH', { 'accept-language': 'en' })).note).toBe(zh.notice?.zh);
    // a recent report keeps its risk: no note
    expect((await lookupFull('13822334455')).note).toBeNull();
  });

  it('answers an unreported identifier NONE / "0"', async () => {
    expect(await lookupFull('13877776666')).toEqual({
      identifier: { kind: 'PHONE', value: '+8613877776666', display: '+86 138 7777 6666' },
      riskLevel: 'NONE',
      reportCountBand: '0',
      fraudTypes: [],
      firstReportedAt: null,
      lastReportedAt: null,
      reportedAtPrecision: null,
      note: null,
      notice: null,
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
    const en = await lookupFull('95588', 'EN');
    expect(en.note).toMatch(/Official customer-service number of Industrial and Commercial Bank of China/);
    expect(en.notice).toMatchObject({ code: 'WARNINGLISTED_IDENTIFIER', zh: res.note });
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
    t = await startTestApp({
      SUBMIT_RATE_PER_IP: '3',
      SUBMIT_RATE_PER_REPORTER: '2',
      SUBMIT_INVALID_RATE_PER_IP: '2',
      LOOKUP_RATE_PER_IP: '5',
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  const codeOf = (res: { body: { errors?: { extensions?: Record<string, unknown> }[] } }): string => {
    const code = res.body.errors?.[0]?.extensions?.code;
    return typeof code === 'string' ? code : 'OK';
  };

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
    // the refused third report was not accepted: the address has one new report left (3), then none
    const anon = (v: string) => t.gql(SUBMIT, { input: validReport({ identifiers: [{ value: v }] }) });
    expect(codeOf(await anon('13988880008'))).toBe('OK');
    const last = await anon('13988880009');
    expect(last.body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(last.status).toBeLessThan(500);
  });

  it('counts new reports only: replays are free, refused input has its own budget (carrier NAT)', async () => {
    const t2 = await startTestApp({
      SUBMIT_RATE_PER_IP: '2',
      SUBMIT_RATE_PER_REPORTER: '100',
      SUBMIT_INVALID_RATE_PER_IP: '3',
    });
    try {
      const submit = (over: Record<string, unknown>) => t2.gql(SUBMIT, { input: validReport(over) });
      // three refused inputs (refused by the validation pipe and by the service alike): answered as such, and
      // they use none of the two new reports
      const refused = [
        { regionCode: 'NOWHERE' },
        { identifiers: [{ value: 'hello there' }] },
        { occurredAt: new Date(Date.now() + 3 * 86_400_000).toISOString() },
      ];
      for (const over of refused) expect(codeOf(await submit(over))).toBe('BAD_USER_INPUT');
      // past their own budget, refused input is RATE_LIMITED
      expect(codeOf(await submit({ regionCode: 'NOWHERE' }))).toBe('RATE_LIMITED');
      // a report and five replays of it (an app retrying on a bad connection) count once
      const first = { identifiers: [{ value: '13977770001' }], clientRequestId: 'nat-retry-1' };
      for (let i = 0; i < 6; i++) expect(codeOf(await submit(first))).toBe('OK');
      expect(codeOf(await submit({ identifiers: [{ value: '13977770002' }] }))).toBe('OK');
      expect(codeOf(await submit({ identifiers: [{ value: '13977770003' }] }))).toBe('RATE_LIMITED');
    } finally {
      await t2.close();
    }
  });

  it('limits lookup per client address', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) codes.push(codeOf(await t.gql(LOOKUP, { value: '13812345678' })));
    expect(codes).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'RATE_LIMITED', 'RATE_LIMITED']);
  });
});
