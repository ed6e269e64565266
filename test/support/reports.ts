import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { TestApp } from './test-app';

/** Shared by the reports, lookup, import and fuzz e2e specs. */
export const SUBMIT = `mutation($input: SubmitReportInput!) {
  submitReport(input: $input) { trackingCode status identifiers { kind value display } warnings }
}`;
export const STATUS = `query($code: String!) { reportStatus(trackingCode: $code) { trackingCode status receivedAt fraudType timeline { status at } } }`;
export const LOOKUP = `query($value: String!, $kind: IdentifierKind) {
  lookup(value: $value, kind: $kind) { identifier { kind value display } riskLevel reportCountBand fraudTypes firstReportedAt lastReportedAt note }
}`;

export interface Receipt {
  trackingCode: string;
  status: string;
  identifiers: { kind: string; value: string; display: string }[];
  warnings: string[];
}

export function validReport(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    fraudType: 'FAKE_CUSTOMER_SERVICE',
    channel: 'PHONE_CALL',
    occurredAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    regionCode: 'DG01',
    identifiers: [{ value: '13912345678' }],
    ...over,
  };
}

/** The app's own store connection (the test's database). */
export function storeOf(t: TestApp): Connection {
  return t.app.get<Connection>(getConnectionToken());
}

export async function countReports(t: TestApp): Promise<number> {
  return storeOf(t).collection('reports').countDocuments({});
}

/** Polls reportStatus until the report was indexed (UNDER_REVIEW) or the timeout passes. */
export async function waitIndexed(t: TestApp, trackingCode: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.gql<{ reportStatus: { status: string } | null }>(STATUS, { code: trackingCode });
    if (res.body.data?.reportStatus?.status === 'UNDER_REVIEW') return;
    if (Date.now() > deadline)
      throw new Error(`report ${trackingCode} not indexed after ${timeoutMs} ms: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
