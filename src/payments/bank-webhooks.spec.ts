import { Webhook } from 'standardwebhooks';
import { signRequest, verifyCallback } from './bank-webhooks';

const SECRET = `whsec_${Buffer.from('a test secret of thirty-two bytes').toString('base64')}`;
const OTHER = `whsec_${Buffer.from('another secret of 32 bytes......').toString('base64')}`;
const BODY = JSON.stringify({ stopId: 's1', type: 'STOP', outcome: 'CONFIRMED', stoppedAmount: '12.30' });

describe('Standard Webhooks with the banks', () => {
  it('signs requests the library verifies (webhook-id, seconds timestamp, v1 signature)', () => {
    const now = new Date();
    const h = signRequest(SECRET, 'msg_1', now, BODY);
    expect(h['webhook-id']).toBe('msg_1');
    expect(h['webhook-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(h['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(SECRET).verify(BODY, { ...h })).toEqual(JSON.parse(BODY));
    expect(() => new Webhook(OTHER).verify(BODY, { ...h })).toThrow();
  });

  it('verifies callbacks against the injected clock, not the system time', () => {
    const clock = Date.parse('2030-01-01T00:00:00Z'); // far from Date.now(): the library alone would refuse
    const h = signRequest(SECRET, 'cb_1', new Date(clock), BODY);
    expect(verifyCallback(SECRET, h, BODY, clock)).toBeUndefined();
    expect(verifyCallback(SECRET, h, BODY, clock + 4 * 60_000)).toBeUndefined();
    expect(verifyCallback(SECRET, h, BODY, clock + 5 * 60_000 + 1_000)).toBe('STALE_TIMESTAMP');
    expect(verifyCallback(SECRET, h, BODY, clock - 5 * 60_000 - 1_000)).toBe('STALE_TIMESTAMP');
    expect(verifyCallback(OTHER, h, BODY, clock)).toBe('BAD_SIGNATURE');
    expect(verifyCallback(SECRET, h, `${BODY} `, clock)).toBe('BAD_SIGNATURE');
    expect(verifyCallback(SECRET, { ...h, 'webhook-id': 'cb_2' }, BODY, clock)).toBe('BAD_SIGNATURE');
    expect(verifyCallback(SECRET, { ...h, 'webhook-timestamp': 'soon' }, BODY, clock)).toBe('BAD_TIMESTAMP');
    // several signatures (a secret rotation): any valid v1 one passes
    const both = { ...h, 'webhook-signature': `v1,bm90IGl0 ${h['webhook-signature']}` };
    expect(verifyCallback(SECRET, both, BODY, clock)).toBeUndefined();
  });
});
