import { parseCallback, requestBody } from './bank-messages';

describe('bank message bodies', () => {
  it('builds the same request body on every attempt', () => {
    const stop = {
      _id: 's1',
      accountNumber: '6222021234567890128',
      amountFen: 123_45,
      transactionAt: new Date('2026-12-04T08:00:00Z'),
      bankCode: 'ICBC',
      caseNumber: 'AJ-2026-000001',
    };
    const m = {
      id: 'msg_1',
      type: 'STOP' as const,
      createdAt: new Date('2026-12-04T09:00:00Z'),
      expiresAt: new Date('2026-12-06T09:00:00Z'),
    };
    const a = requestBody(stop, '张三', m);
    expect(a).toBe(requestBody(stop, '张三', m));
    expect(JSON.parse(a)).toMatchObject({
      stopId: 's1',
      type: 'STOP',
      amount: '123.45',
      accountHolderName: '张三',
      caseNumber: 'AJ-2026-000001',
      expiresAt: '2026-12-06T09:00:00.000Z',
    });
  });

  it('parses callbacks and refuses malformed ones', () => {
    const ok = parseCallback(
      JSON.stringify({
        stopId: 's1',
        type: 'STOP',
        outcome: 'CONFIRMED',
        stoppedAmount: '100.05',
        holderNotice: { channel: 'SMS', address: '+8613800138000' },
      }),
    );
    expect(ok).toEqual({
      ok: true,
      value: {
        stopId: 's1',
        type: 'STOP',
        outcome: 'CONFIRMED',
        stoppedAmountFen: 100_05,
        holderNotice: { channel: 'SMS', address: '+8613800138000' },
      },
    });
    for (const bad of [
      'not json',
      '[]',
      JSON.stringify({ type: 'STOP', outcome: 'CONFIRMED' }),
      JSON.stringify({ stopId: 's1', type: 'PAUSE', outcome: 'CONFIRMED' }),
      JSON.stringify({ stopId: 's1', type: 'STOP', outcome: 'MAYBE' }),
      JSON.stringify({ stopId: 's1', type: 'STOP', outcome: 'CONFIRMED' }), // no stoppedAmount
      JSON.stringify({ stopId: 's1', type: 'STOP', outcome: 'CONFIRMED', stoppedAmount: 12.5 }), // a float
      JSON.stringify({ stopId: 's1', type: 'STOP', outcome: 'REJECTED' }), // no reason
      JSON.stringify({ stopId: 's1', type: 'FREEZE', outcome: 'CONFIRMED', holderNotice: { channel: 'sms!' } }),
    ])
      expect(parseCallback(bad).ok).toBe(false);
  });
});
