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

/** True once the report was indexed: counted into the lookup statistics and handed to linking (`report_handoffs`). */
export async function isIndexed(t: TestApp, trackingCode: string): Promise<boolean> {
  const code = trackingCode.replace(/-/g, '').toUpperCase();
  const entry = await storeOf(t)
    .collection('tracking_codes')
    .findOne({ _id: code as never });
  const reportId = entry?.reportId as string | undefined;
  return (
    !!reportId &&
    !!(await storeOf(t)
      .collection('report_handoffs')
      .findOne({ _id: reportId as never }))
  );
}

/**
 * Polls the store until the report was indexed (isIndexed) or the timeout passes. Not a public state:
 * reportStatus says RECEIVED until the report is linked to another one.
 */
export async function waitIndexed(t: TestApp, trackingCode: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isIndexed(t, trackingCode))) {
    if (Date.now() > deadline) throw new Error(`report ${trackingCode} not indexed after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
