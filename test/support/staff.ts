import { Receipt, storeOf, SUBMIT, validReport } from './reports';
import { loginAs, loginAsAdmin, LoggedIn, startTestApp, TestApp } from './test-app';

/** Creates a staff user as `admin` through the API and logs them in. */
export async function createStaff(
  t: TestApp,
  admin: LoggedIn,
  email: string,
  password: string,
  roles: string[],
  unitCodes: string[],
): Promise<LoggedIn> {
  const res = await t.gql<{ createUser: { id: string } }>(
    'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
    { i: { email, displayName: email.split('@')[0], password, roles, unitCodes } },
    admin.headers,
  );
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  return loginAs(t, email, password);
}

export interface LinkingScenario {
  t: TestApp;
  admin: LoggedIn;
  inv1: LoggedIn;
  inv2: LoggedIn;
  sup1: LoggedIn;
}

/**
 * The app and staff of the linking specs: degree caps of 3 for phones and WeChat ids, no submit limits, the admin,
 * an investigator of DG01 (`<prefix>inv1@`), one of DG02 (`<prefix>inv2@`) and a supervisor of DG01 (`<prefix>sup1@`).
 */
export async function startLinkingScenario(
  prefix: string,
  password: string,
  env: Record<string, string> = {},
): Promise<LinkingScenario> {
  const t = await startTestApp({
    DEGREE_CAPS: 'PHONE=3,WECHAT_ID=3',
    SUBMIT_RATE_PER_IP: '100000',
    SUBMIT_RATE_PER_REPORTER: '100000',
    ...env,
  });
  const admin = await loginAsAdmin(t);
  const staff = (name: string, roles: string[], unit: string) =>
    createStaff(t, admin, `${prefix}${name}@siqian.test`, password, roles, [unit]);
  const inv1 = await staff('inv1', ['INVESTIGATOR'], 'DG01');
  const inv2 = await staff('inv2', ['INVESTIGATOR'], 'DG02');
  const sup1 = await staff('sup1', ['SUPERVISOR'], 'DG01');
  return { t, admin, inv1, inv2, sup1 };
}

/** Submits a report through the public API; returns its id (looked up by tracking code in the test's store). */
export async function submitReportId(
  t: TestApp,
  identifiers: { kind: string; value: string }[],
  over: Record<string, unknown> = {},
): Promise<string> {
  const res = await t.gql<{ submitReport: Receipt }>(SUBMIT, { input: validReport({ identifiers, ...over }) });
  if (!res.body.data?.submitReport) throw new Error(JSON.stringify(res.body.errors));
  const code = res.body.data.submitReport.trackingCode.replace(/-/g, '');
  const doc = await storeOf(t).collection('reports').findOne({ trackingCode: code });
  return String(doc?._id);
}

/** A report's cluster as `who` sees it (null until linked). */
export async function clusterIdOf(t: TestApp, who: LoggedIn, reportId: string): Promise<string | null> {
  const res = await t.gql<{ report: { clusterId: string | null } | null }>(
    'query($id: ID!) { report(id: $id) { clusterId } }',
    { id: reportId },
    who.headers,
  );
  return res.body.data?.report?.clusterId ?? null;
}

/** Waits until every report is linked; returns their cluster ids (as `who` sees them). */
export async function waitClusters(t: TestApp, who: LoggedIn, reportIds: string[]): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const cs = await Promise.all(reportIds.map((id) => clusterIdOf(t, who, id)));
    if (cs.every((c) => c !== null)) return cs;
    if (Date.now() > deadline) throw new Error(`not linked: ${reportIds.filter((_, i) => !cs[i]).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
