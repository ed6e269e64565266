import { countReports, LOOKUP, Receipt, STATUS, storeOf, SUBMIT, validReport, waitIndexed } from './support/reports';
import { startTestApp, TestApp } from './support/test-app';

type Errors = { message: string; extensions?: Record<string, unknown> }[];

describe('public reporting: submitReport and reportStatus over HTTP', () => {
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

  const submit = (input: Record<string, unknown>) => t.gql<{ submitReport: Receipt }>(SUBMIT, { input });

  it('keeps a URL on a retired TLD without a DOMAIN and says so; reads payment accounts from the narrative', async () => {
    const res = await submit(
      validReport({
        identifiers: [{ kind: 'URL', value: 'http://myetherwallet.abarth/claim' }],
        narrative: '客服让我把钱转到支付宝账号 13977778888 / refund.desk@163.com，微信收款码：wxid_r3fund88',
      }),
    );
    expect(res.body.errors).toBeUndefined();
    const receipt = res.body.data?.submitReport as Receipt;
    const kinds = receipt.identifiers.map((i) => `${i.kind} ${i.value}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'URL https://myetherwallet.abarth/claim',
        'PAYMENT_ACCOUNT alipay:+8613977778888',
        'PAYMENT_ACCOUNT alipay:refund.desk@163.com',
        'PAYMENT_ACCOUNT wechatpay:wxid_r3fund88',
        'PHONE +8613977778888',
      ]),
    );
    expect(receipt.identifiers.filter((i) => i.kind === 'DOMAIN')).toEqual([]);
    expect(receipt.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^http:\/\/myetherwallet\.abarth\/claim：.*不派生域名/)]),
    );
    // a report whose only identifier is such a URL is a report, not a refusal
    const only = await submit(validReport({ identifiers: [{ value: 'https://wallet-claim.notatld/x' }] }));
    expect(only.body.errors).toBeUndefined();
    expect(only.body.data?.submitReport.identifiers).toEqual([
      expect.objectContaining({ kind: 'URL', value: 'https://wallet-claim.notatld/x' }),
    ]);
  });

  it('round trip: receipt -> reportStatus timeline -> lookup shows the report', async () => {
    const res = await submit(
      validReport({
        identifiers: [{ kind: 'PHONE', value: '+86 139-1111-2222' }],
        narrative:
          '对方自称客服，让我下载 http://refund-help.top/app 并转账到银行卡，我的身份证号110101199003074514也告诉了他',
        loss: '12345.67',
        paymentMethod: 'BANK_TRANSFER',
        victimAgeBand: 'AGE_60_PLUS',
        reporterContact: '13800001111',
      }),
    );
    expect(res.body.errors).toBeUndefined();
    const receipt = res.body.data?.submitReport as Receipt;
    expect(receipt.trackingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(receipt.status).toBe('RECEIVED');
    expect(receipt.identifiers).toEqual(
      expect.arrayContaining([
        { kind: 'PHONE', value: '+8613911112222', display: '+86 139 1111 2222' },
        expect.objectContaining({ kind: 'URL', value: 'https://refund-help.top/app' }),
      ]),
    );
    expect(receipt.warnings.join(' ')).toMatch(/身份证号已删除/);

    // stored: original beside the normalised identifiers, the resident ID nowhere, the contact encrypted
    const stored = await storeOf(t)
      .collection('reports')
      .findOne({ trackingCode: receipt.trackingCode.replace(/-/g, '') });
    expect(stored).toBeTruthy();
    const text = JSON.stringify(stored);
    expect(text).not.toContain('110101199003074514');
    expect(text).not.toContain('13800001111');
    expect(stored?.lossFen).toBe(1234567);
    expect(stored?.original.identifiers).toEqual([{ kind: 'PHONE', value: '+86 139-1111-2222' }]);
    expect(stored?.reporterContactEnc).toMatch(/^pii1\./);
    expect(stored?.reporterHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.weight).toBe(1);
    expect(stored?.identifiers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'PHONE:+8613911112222', origin: 'TYPED', confidence: 1 }),
      ]),
    );
    expect(stored?._id).toMatch(/^r_[0-9A-HJKMNP-TV-Z]{26}$/);

    await waitIndexed(t, receipt.trackingCode);
    const status = await t.gql<{ reportStatus: Record<string, unknown> }>(STATUS, {
      code: receipt.trackingCode.toLowerCase(),
    });
    expect(status.body.data?.reportStatus).toEqual({
      trackingCode: receipt.trackingCode,
      status: 'RECEIVED',
      receivedAt: expect.any(String),
      fraudType: 'FAKE_CUSTOMER_SERVICE',
      timeline: [{ status: 'RECEIVED', at: expect.any(String) }],
    });
    expect(JSON.stringify(status.body)).not.toMatch(/139|refund|narrative|reporter/i);

    const look = await t.gql<{ lookup: Record<string, unknown> }>(LOOKUP, { value: '139 1111 2222' });
    expect(look.body.data?.lookup).toMatchObject({
      identifier: { kind: 'PHONE', value: '+8613911112222' },
      riskLevel: 'MEDIUM', // one reporter with contact (1) + log10(1 + 12.3) ≈ 1.12 -> 2.12
      reportCountBand: '<5',
      fraudTypes: ['FAKE_CUSTOMER_SERVICE'],
      note: null,
    });
    const url = await t.gql<{ lookup: Record<string, unknown> }>(LOOKUP, { value: 'refund-help.top', kind: 'DOMAIN' });
    expect(url.body.data?.lookup).toMatchObject({ riskLevel: 'MEDIUM', reportCountBand: '<5' });
  });

  it('answers null for unknown or mistyped tracking codes', async () => {
    const res = await submit(validReport({ identifiers: [{ value: '13911113333' }] }));
    const code = (res.body.data?.submitReport as Receipt).trackingCode;
    const typo = code.slice(0, 3) + (code[3] === 'A' ? 'B' : 'A') + code.slice(4);
    for (const c of [typo, '0000-0000-0000-0000', '', 'x'.repeat(64), '{"$gt":""}']) {
      const r = await t.gql<{ reportStatus: unknown }>(STATUS, { code: c });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data?.reportStatus).toBeNull();
    }
  });

  describe('every validation rule answers BAD_USER_INPUT with the field, and stores nothing', () => {
    const day = 86_400_000;
    const cases: [string, Record<string, unknown>, string][] = [
      ['unknown fraud type', { fraudType: 'LOTTERY' }, 'input.fraudType'],
      ['unknown channel', { channel: 'PIGEON' }, 'input.channel'],
      ['occurredAt in the future', { occurredAt: new Date(Date.now() + day).toISOString() }, 'input.occurredAt'],
      ['occurredAt absurdly old', { occurredAt: '1990-01-01T00:00:00Z' }, 'input.occurredAt'],
      ['occurredAt without an offset', { occurredAt: '2025-01-01T10:00:00' }, 'input.occurredAt'],
      ['region not in the list', { regionCode: 'DG34' }, 'input.regionCode'],
      ['negative loss', { loss: '-1' }, 'input.loss'],
      ['loss with three decimals', { loss: '1.005' }, 'input.loss'],
      ['loss as a float number', { loss: 12.5 }, 'input.loss'],
      ['loss in exponent form', { loss: '1e5' }, 'input.loss'],
      ['loss above the ceiling', { loss: '100000000.01' }, 'input.loss'],
      ['narrative over 5,000 characters', { narrative: '骗'.repeat(5001) }, 'input.narrative'],
      ['NUL in the narrative', { narrative: 'call 13912345678\u0000' }, 'input.narrative'],
      [
        '21 identifiers',
        { identifiers: Array.from({ length: 21 }, (_, i) => ({ value: `1391234${String(i).padStart(4, '0')}` })) },
        'input.identifiers',
      ],
      [
        'an unrecognisable identifier',
        { identifiers: [{ value: '13912345678' }, { value: 'hello there' }] },
        'input.identifiers.1.value',
      ],
      [
        'a wrong kind for the value',
        { identifiers: [{ kind: 'EMAIL', value: '13912345678' }] },
        'input.identifiers.0.value',
      ],
      [
        'a resident ID typed as an identifier',
        { identifiers: [{ value: '110101199003074514' }] },
        'input.identifiers.0.value',
      ],
      ['no identifier at all', { identifiers: [], narrative: '有人打电话说我中奖了' }, 'input.identifiers'],
      ['identifier value missing', { identifiers: [{ kind: 'PHONE' }] }, 'input.identifiers[0]'],
      ['bad reporter contact', { reporterContact: 'call me maybe' }, 'input.reporterContact'],
      ['unknown payment method', { paymentMethod: 'SHELLS' }, 'input.paymentMethod'],
      ['unknown age band', { victimAgeBand: 'AGE_99' }, 'input.victimAgeBand'],
      ['clientRequestId too long', { clientRequestId: 'k'.repeat(129) }, 'input.clientRequestId'],
      ['fraudType missing', { fraudType: undefined }, 'input.fraudType'],
    ];

    it.each(cases)('%s', async (_name, over, field) => {
      const before = await countReports(t);
      const res = await submit(validReport(over));
      const errors = res.body.errors as Errors;
      expect(res.body.data?.submitReport ?? null).toBeNull();
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.status).toBeLessThan(500);
      expect(await countReports(t)).toBe(before);
    });

    it('never echoes a resident ID number back', async () => {
      const res = await submit(validReport({ identifiers: [{ value: '110101199003074514' }] }));
      expect(JSON.stringify(res.body)).not.toContain('110101199003074514');
    });
  });

  it('idempotency: the same clientRequestId returns the same receipt and stores one report', async () => {
    const input = validReport({ identifiers: [{ value: '13922223333' }], clientRequestId: 'app-7f3a-0001' });
    const before = await countReports(t);
    const [a, b, c] = await Promise.all([submit(input), submit(input), submit(input)]);
    const d = await submit({ ...input, narrative: 'a retry with a different body still returns the first receipt' });
    const receipts = [a, b, c, d].map((r) => r.body.data?.submitReport as Receipt);
    expect(new Set(receipts.map((r) => r.trackingCode)).size).toBe(1);
    expect(receipts[3]).toEqual(receipts[0]);
    expect(await countReports(t)).toBe(before + 1);
  });

  it('a repeat reporter (same contact, same identifiers, within 24 h) is recorded as a repeat, not a new victim', async () => {
    const input = validReport({
      identifiers: [{ value: '13933334444' }],
      reporterContact: 'victim@example.com',
      loss: '500',
    });
    const first = (await submit(input)).body.data?.submitReport as Receipt;
    const second = (await submit(input)).body.data?.submitReport as Receipt;
    expect(second.trackingCode).not.toBe(first.trackingCode);
    expect(second.warnings.join(' ')).toMatch(/重复/);
    const reports = storeOf(t).collection('reports');
    const a = await reports.findOne({ trackingCode: first.trackingCode.replace(/-/g, '') });
    const b = await reports.findOne({ trackingCode: second.trackingCode.replace(/-/g, '') });
    expect(a?.repeatOf).toBeUndefined();
    expect(b?.repeatOf).toBe(a?._id);
    expect(b?.reporterHash).toBe(a?.reporterHash);
    await waitIndexed(t, first.trackingCode);
    await waitIndexed(t, second.trackingCode);
    const stats = await storeOf(t)
      .collection('identifier_stats')
      .findOne({ _id: 'PHONE:+8613933334444' as never });
    expect(stats).toMatchObject({ reportCount: 1, reporterCount: 1, lossFen: 50000 });
    // another reporter of the same number is a new victim
    const other = (await submit({ ...input, reporterContact: 'someone.else@example.com' })).body.data
      ?.submitReport as Receipt;
    await waitIndexed(t, other.trackingCode);
    const after = await storeOf(t)
      .collection('identifier_stats')
      .findOne({ _id: 'PHONE:+8613933334444' as never });
    expect(after).toMatchObject({ reportCount: 2, reporterCount: 2, lossFen: 100000 });
  });

  it('a flood from one anonymous source counts as one reporter and cannot make a number HIGH', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await submit(
        validReport({
          identifiers: [{ value: '13944445555' }, { value: `1395555${String(i).padStart(4, '0')}` }],
          loss: '99999999',
        }),
      );
      codes.push((res.body.data?.submitReport as Receipt).trackingCode);
    }
    for (const c of codes) await waitIndexed(t, c);
    const stats = await storeOf(t)
      .collection('identifier_stats')
      .findOne({ _id: 'PHONE:+8613944445555' as never });
    expect(stats).toMatchObject({ reportCount: 12, reporterCount: 1, weightedReporters: 0.5 });
    const look = await t.gql<{ lookup: { riskLevel: string; reportCountBand: string } }>(LOOKUP, {
      value: '13944445555',
    });
    expect(look.body.data?.lookup).toMatchObject({ riskLevel: 'MEDIUM', reportCountBand: '<5' });
  });

  it('warninglisted values typed by confused victims are kept, warned about and never counted', async () => {
    const res = await submit(validReport({ identifiers: [{ value: '95588' }, { value: '13966667777' }] }));
    const receipt = res.body.data?.submitReport as Receipt;
    expect(receipt.warnings.join(' ')).toMatch(/中国工商银行/);
    await waitIndexed(t, receipt.trackingCode);
    expect(
      await storeOf(t)
        .collection('identifier_stats')
        .findOne({ _id: 'PHONE:CN:95588' as never }),
    ).toBeNull();
  });

  it('reportStatus: RECEIVED until the report is in a cluster with another report, then LINKED; the states cases add are described', async () => {
    const status = async (code: string) =>
      (
        await t.gql<{ reportStatus: { status: string; timeline: { status: string; at: string | null }[] } }>(STATUS, {
          code,
        })
      ).body.data?.reportStatus;
    const a = (await submit(validReport({ identifiers: [{ value: '13912340001' }] }))).body.data
      ?.submitReport as Receipt;
    await waitIndexed(t, a.trackingCode);
    await new Promise((r) => setTimeout(r, 1_000)); // counted, handed to linking, linked alone
    expect(await status(a.trackingCode)).toMatchObject({ status: 'RECEIVED', timeline: [{ status: 'RECEIVED' }] });

    const b = (await submit(validReport({ identifiers: [{ value: '13912340001' }], reporterContact: 'b@example.com' })))
      .body.data?.submitReport as Receipt;
    const deadline = Date.now() + 20_000;
    while ((await status(a.trackingCode))?.status !== 'LINKED' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    for (const code of [a.trackingCode, b.trackingCode]) {
      const s = await status(code);
      expect(s?.status).toBe('LINKED');
      expect(s?.timeline).toEqual([
        { status: 'RECEIVED', at: expect.any(String) },
        { status: 'LINKED', at: null },
      ]);
    }
    const enumValues = await t.gql<{ __type: { enumValues: { name: string; description: string }[] } }>(
      '{ __type(name: "ReportStatus") { enumValues { name description } } }',
    );
    const values = enumValues.body.data?.__type.enumValues ?? [];
    // CASE_OPENED and CLOSED come from cases (test/cases.e2e-spec.ts drives a report through them)
    expect(values.map((v) => v.name).sort()).toEqual(['CASE_OPENED', 'CLOSED', 'LINKED', 'RECEIVED']);
    expect(values.every((v) => v.description.length > 20)).toBe(true);
  });

  it('receipt warnings in Chinese by default, in English by Accept-Language or `language`, both in `notices`', async () => {
    const SUBMIT_NOTICES = `mutation($input: SubmitReportInput!) {
      submitReport(input: $input) { trackingCode warnings notices { code zh en } }
    }`;
    type R = { trackingCode: string; warnings: string[]; notices: { code: string; zh: string; en: string }[] };
    const send = async (input: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const res = await t.gql<{ submitReport: R }>(SUBMIT_NOTICES, { input: validReport(input) }, headers);
      expect(res.body.errors).toBeUndefined();
      return res.body.data?.submitReport as R;
    };
    // a new phone each time: the same identifiers again from this address would add a REPEAT_REPORT notice
    let n = 0;
    const input = (): Record<string, unknown> => ({
      identifiers: [{ value: '95588' }, { value: `1391234${String(100 + n++).padStart(4, '0')}` }],
      narrative: '身份证110101199003074514',
    });
    const zh = await send(input());
    expect(zh.notices.map((n) => n.code)).toEqual(['WARNINGLISTED_IDENTIFIER', 'ID_NUMBER_REMOVED']);
    expect(zh.warnings).toEqual(zh.notices.map((n) => n.zh));
    expect(zh.warnings.join(' ')).toMatch(/中国工商银行/);
    expect(zh.notices.every((n) => /[A-Za-z]{3}/.test(n.en) && /[\u4e00-\u9fff]/.test(n.zh))).toBe(true);

    const en = await send(input(), { 'accept-language': 'en-US,en;q=0.9,zh;q=0.5' });
    expect(en.warnings).toEqual(zh.notices.map((n) => n.en));
    const explicit = await send({ ...input(), language: 'EN' }, { 'accept-language': 'zh-CN' });
    expect(explicit.warnings).toEqual(zh.notices.map((n) => n.en));
    expect((await send({ ...input(), language: null }, { 'accept-language': 'zh-TW,zh' })).warnings).toEqual(
      zh.warnings,
    );

    // a replayed clientRequestId answers in the language of the replay
    const keyed = { ...input(), clientRequestId: 'lang-replay-1' };
    const first = await send(keyed);
    const replay = await send({ ...keyed, language: 'EN' });
    expect(replay.trackingCode).toBe(first.trackingCode);
    expect(replay.warnings).toEqual(first.notices.map((n) => n.en));
  });
});
