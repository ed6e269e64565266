/**
 * Reporter notices on the real stores: reports carrying one phone number are submitted over HTTP, with and
 * without a reporter contact, and linked by the real pipeline; ReporterNoticesService.forIdentifier (called
 * directly: its GraphQL trigger, confirmIdentifier, belongs to the cases feature) records one QUEUED notice per
 * report with a contact, once per (report, event, ref), with the contact still sealed.
 */
import { randomBytes } from 'node:crypto';
import { PiiCipher } from '../src/common/crypto/pii-cipher';
import { ReporterNoticesService } from '../src/notices/reporter-notices.service';
import { storeOf } from './support/reports';
import { submitReportId, waitClusters } from './support/staff';
import { LoggedIn, loginAsAdmin, startTestApp, TestApp } from './support/test-app';

const uniq = randomBytes(3).toString('hex');
const digits = () => String(Math.floor(Math.random() * 1e7)).padStart(7, '0');

interface StoredNotice {
  _id: string;
  status: string;
  reportId: string;
  trackingCode?: string;
  event: string;
  ref: string;
  identifierKey: string;
  contactEnc: string;
  contactAad: string;
  createdAt: Date;
}

describe('reporter notices', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let notices: ReporterNoticesService;
  const phone = `1394${digits()}`;
  const key = `PHONE:+86${phone}`;
  /** the contacts left by the reporters, by report id */
  const contactOf = new Map<string, string>();
  let withContact: string[];
  let withoutContact: string[];
  let detached: string;

  const stored = async (filter: Record<string, unknown> = {}) =>
    (await storeOf(t)
      .collection('reporter_notices')
      .find({ identifierKey: key, ...filter })
      .toArray()) as unknown as StoredNotice[];

  beforeAll(async () => {
    t = await startTestApp({ SUBMIT_RATE_PER_IP: '100000', SUBMIT_RATE_PER_REPORTER: '100000' });
    admin = await loginAsAdmin(t);
    notices = t.app.get(ReporterNoticesService);
    const ids = [{ kind: 'PHONE', value: phone }];
    const submit = async (contact?: string) => {
      const id = await submitReportId(t, ids, contact ? { reporterContact: contact } : {});
      if (contact) contactOf.set(id, contact);
      return id;
    };
    withContact = [
      await submit(`1395${digits()}`),
      await submit(`victim.${uniq}@example.com`),
      await submit(`1396${digits()}`),
    ];
    withoutContact = [await submit(), await submit()];
    // a reporter with a contact whose report the number was detached from (the victim's own number)
    detached = await submit(`1397${digits()}`);
    await waitClusters(t, admin, [...withContact, ...withoutContact, detached]);
    const det = await t.gql(
      'mutation($r: ID!, $v: String!) { detachIdentifier(reportId: $r, kind: PHONE, value: $v, reason: "the victim typed their own number") { id } }',
      { r: detached, v: phone },
      admin.headers,
    );
    expect(det.body.errors).toBeUndefined();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records one QUEUED notice for every report carrying the identifier whose reporter left a contact', async () => {
    expect(await notices.forIdentifier(key, 'CONFIRMED', 'AJ-2026-000123')).toBe(3);
    const docs = await stored();
    expect(docs.map((d) => d.reportId).sort()).toEqual([...withContact].sort());
    const codes = await storeOf(t)
      .collection('reports')
      .find({ _id: { $in: withContact as never[] } }, { projection: { trackingCode: 1 } })
      .toArray();
    const codeOf = new Map(codes.map((r) => [String(r._id), r.trackingCode as string]));
    for (const d of docs) {
      expect(d).toEqual({
        _id: `rn:${d.reportId}:CONFIRMED:AJ-2026-000123`,
        status: 'QUEUED',
        reportId: d.reportId,
        trackingCode: codeOf.get(d.reportId),
        event: 'CONFIRMED',
        ref: 'AJ-2026-000123',
        identifierKey: key,
        contactEnc: expect.stringMatching(/^pii1\./),
        contactAad: `Report:${d.reportId}:reporterContact`,
        createdAt: expect.any(Date),
      });
      expect(d.trackingCode).toEqual(expect.any(String));
    }
  });

  it('is idempotent per (report, event, ref): a second call records nothing; another event or ref does', async () => {
    expect(await notices.forIdentifier(key, 'CONFIRMED', 'AJ-2026-000123')).toBe(0);
    expect(await stored()).toHaveLength(3);
    expect(await notices.forIdentifier(key, 'FROZEN', 'stop-1')).toBe(3);
    expect(await notices.forIdentifier(key, 'FROZEN', 'stop-1')).toBe(0);
    expect(await notices.forIdentifier(key, 'FROZEN', 'stop-2')).toBe(3);
    expect(await stored({ event: 'FROZEN' })).toHaveLength(6);
    expect(await stored()).toHaveLength(9);
  });

  it('stores no plaintext contact: the sealed copy opens only with the report’s associated data', async () => {
    const docs = await stored();
    const text = JSON.stringify(docs);
    for (const contact of contactOf.values()) expect(text).not.toContain(contact);
    // the sealed copy is what the report holds, and the deliverer can open it
    const cipher = t.app.get(PiiCipher);
    for (const d of docs) {
      const report = await storeOf(t)
        .collection('reports')
        .findOne({ _id: d.reportId as never });
      expect(d.contactEnc).toBe(report?.reporterContactEnc);
      expect(cipher.decrypt(d.contactEnc, d.contactAad)).toBe(contactOf.get(d.reportId));
      expect(() => cipher.decrypt(d.contactEnc, `Report:${withoutContact[0]}:reporterContact`)).toThrow();
    }
  });

  it('leaves out reports the identifier was detached from, and records nothing for an unknown identifier', async () => {
    expect((await stored()).map((d) => d.reportId)).not.toContain(detached);
    expect(await notices.forIdentifier(`PHONE:+861398${digits()}`, 'CONFIRMED', 'AJ-2026-000124')).toBe(0);
    expect(await notices.forIdentifier(`WECHAT_ID:nobody_${uniq}`, 'FROZEN', 'stop-3')).toBe(0);
  });
});
