/**
 * Strings at the edge (src/common/graphql/text.rules.ts): empty and blank values, control characters, bidi
 * controls and HTML in names and reasons are refused or normalised before a service sees them, staff have at
 * least one role and unit, and no error message echoes a huge value back. A walk over every string argument and
 * input field of the schema (test/support/schema-slots.ts) sends each hostile class and wants a typed answer.
 */
import { randomBytes } from 'node:crypto';
import { INTROSPECTION_QUERY, IntroSchema } from './support/schema-calls';
import { apiSamples, schemaSlots, Slot } from './support/schema-slots';
import { storeOf } from './support/reports';
import { submitReportId, waitClusters } from './support/staff';
import { GqlResponse, LoggedIn, loginAsAdmin, startTestApp, subscribeOnce, TestApp } from './support/test-app';

type Errors = NonNullable<GqlResponse['body']['errors']>;
const TYPED = new Set(['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED']);
const PASSWORD = 'input-rules-password-123';
const uniq = randomBytes(3).toString('hex');
const HUGE = `${'9'.repeat(5_000)}${'z'.repeat(5_240)}`;

/** Hostile string classes: the fuzz sends each to every string slot. */
const HOSTILE: [string, string][] = [
  ['empty', ''],
  ['blank', ' \t '],
  ['NUL', 'a\u0000b'],
  ['C0 control', 'a\u0007b'],
  ['newline', 'a\nb'],
  ['bidi override', 'abc\u202Egnp.exe'],
  ['bidi isolate', '\u2066DG01\u2069'],
  ['HTML', '<img src=x onerror=alert(1)>'],
  ['10 KB', HUGE],
];

const codeOf = (errors: Errors | undefined) => errors?.[0]?.extensions?.code;

describe('input rules at the edge', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let userId: string;
  let clusterId: string;
  let reportId: string;
  let seq = 0;

  const gql = (query: string, variables: Record<string, unknown> = {}) => t.gql(query, variables, admin.headers);
  const createUser = (input: Record<string, unknown>) =>
    gql('mutation ($i: CreateUserInput!) { createUser(input: $i) { id displayName roles unitCodes } }', {
      i: {
        email: `rules-${uniq}-${++seq}@siqian.test`,
        displayName: 'Rules',
        password: PASSWORD,
        roles: ['INVESTIGATOR'],
        unitCodes: ['DG01'],
        ...input,
      },
    });

  beforeAll(async () => {
    t = await startTestApp({
      SUBMIT_RATE_PER_IP: '100000',
      SUBMIT_RATE_PER_REPORTER: '100000',
      LOOKUP_RATE_PER_IP: '100000',
    });
    admin = await loginAsAdmin(t);
    userId = ((await createUser({})).body.data as { createUser: { id: string } }).createUser.id;
    const wechat = { kind: 'WECHAT_ID', value: `rules_${uniq}` };
    const ids = [await submitReportId(t, [wechat]), await submitReportId(t, [wechat])];
    reportId = ids[0];
    [clusterId] = await waitClusters(t, admin, ids);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('ids, names, reasons and messages', () => {
    it.each([
      ['clusterId', ''],
      ['reportId', ''],
      ['clusterId', '   '],
      ['reportId', 'a\u0000b'],
    ])('caseGraph(root: { %s: %j }) is BAD_USER_INPUT on that field', async (key, v) => {
      const res = await gql('query ($r: GraphRootInput!) { caseGraph(root: $r) { truncated } }', { r: { [key]: v } });
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: `root.${key}` });
    });

    it('requestPing(message: "") and a blank message are BAD_USER_INPUT', async () => {
      for (const m of ['', '   ']) {
        const res = await gql('mutation ($m: String!) { requestPing(message: $m) { id } }', { m });
        expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'message' });
      }
    });

    it.each([
      ['blank', '   '],
      ['NUL', 'Li\u0000Wei'],
      ['a bell', 'Li\u0007Wei'],
      ['a bidi override', 'Li\u202EieW'],
      ['a bidi isolate', 'Li\u2067Wei'],
      ['HTML', '<b>Li</b> Wei'],
      ['a script tag', 'Li<script>alert(1)</script>'],
    ])('createUser refuses a display name with %s', async (_what, displayName) => {
      const res = await createUser({ displayName });
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.displayName' });
    });

    it('createUser trims a display name and folds its inner whitespace (lines too); "<5" is not HTML', async () => {
      const res = await createUser({ displayName: '  Li \t  Wei  ' });
      expect(res.body.data).toMatchObject({ createUser: { displayName: 'Li Wei' } });
      const lines = await createUser({ displayName: 'Li\r\nWei\n' });
      expect(lines.body.data).toMatchObject({ createUser: { displayName: 'Li Wei' } });
      const lt = await createUser({ displayName: 'Team <5 years' });
      expect(lt.body.data).toMatchObject({ createUser: { displayName: 'Team <5 years' } });
    });

    it.each([
      ['blank', ' '],
      ['HTML', 'see <a href="http://x">this</a>'],
      ['a bidi override', 'promotion\u202E'],
      ['NUL', 'promotion\u0000'],
    ])('a reason with %s is refused (setUserRoles, linkReports, contactPhone)', async (_what, reason) => {
      const roles = await gql('mutation ($i: SetUserRolesInput!) { setUserRoles(input: $i) { id } }', {
        i: { userId, roles: ['INVESTIGATOR'], reason },
      });
      expect(roles.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
      const link = await gql(
        'mutation ($a: ID!, $r: String!) { linkReports(fromReportId: $a, toReportId: $a, reason: $r) { id } }',
        {
          a: reportId,
          r: reason,
        },
      );
      expect(link.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
      const pii = await gql('query ($id: ID!, $r: String!) { user(id: $id) { contactPhone(reason: $r) } }', {
        id: userId,
        r: reason,
      });
      expect(pii.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    });

    it('a reason is trimmed before it is stored', async () => {
      const res = await gql('mutation ($i: UserStatusInput!) { enableUser(input: $i) { id } }', {
        i: { userId, reason: '  back from leave \n' },
      });
      expect(res.body.errors).toBeUndefined();
      const entry = await storeOf(t).collection('audit_log').findOne({ objectId: userId, action: 'USER_ENABLED' });
      expect(entry?.reason).toBe('back from leave');
    });
  });

  describe('staff have roles and units', () => {
    it('createUser refuses roles: [] and, for a non-admin, unitCodes: []', async () => {
      const noRoles = await createUser({ roles: [] });
      expect(noRoles.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.roles' });
      const noUnits = await createUser({ unitCodes: [] });
      expect(noUnits.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.unitCodes' });
      const admin2 = await createUser({ roles: ['ADMIN'], unitCodes: [] });
      expect(admin2.body.errors).toBeUndefined();
    });

    it('setUserRoles refuses [] and setUserUnits refuses [] for a non-admin', async () => {
      const roles = await gql('mutation ($i: SetUserRolesInput!) { setUserRoles(input: $i) { id } }', {
        i: { userId, roles: [] },
      });
      expect(roles.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.roles' });
      const units = await gql('mutation ($i: SetUserUnitsInput!) { setUserUnits(input: $i) { id } }', {
        i: { userId, unitCodes: [] },
      });
      expect(units.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.unitCodes' });
      const me = await gql('query ($id: ID!) { user(id: $id) { roles unitCodes } }', { id: userId });
      expect(me.body.data).toEqual({ user: { roles: ['INVESTIGATOR'], unitCodes: ['DG01'] } });
    });
  });

  describe('huge values are not echoed', () => {
    it.each([
      ['user', 'query ($id: ID!) { user(id: $id) { id } }'],
      ['cluster', 'query ($id: ID!) { cluster(id: $id) { id } }'],
      ['report', 'query ($id: ID!) { report(id: $id) { id } }'],
      ['ping', 'query ($id: ID!) { ping(id: $id) { id } }'],
    ])('%s(id: <10 KB>) answers a typed error that does not carry the value', async (_f, query) => {
      const res = await gql(query, { id: HUGE });
      expect(TYPED.has(String(codeOf(res.body.errors)))).toBe(true);
      expect(JSON.stringify(res.body).length).toBeLessThan(2_000);
    });

    it('a 10 KB value in the document itself is not echoed either', async () => {
      const res = await gql(`{ user(id: ${JSON.stringify(HUGE)}) { id } }`);
      expect(TYPED.has(String(codeOf(res.body.errors)))).toBe(true);
      expect(JSON.stringify(res.body).length).toBeLessThan(2_000);
      const wrongType = await gql(`{ users(first: ${JSON.stringify(HUGE)}) { totalCount } }`);
      expect(codeOf(wrongType.body.errors)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(wrongType.body).length).toBeLessThan(2_000);
    });
  });

  describe('every string argument and input field of the schema (walked)', () => {
    let slots: Slot[];
    const STRINGS = /^\[?(String|ID)!?\]?!?$/;

    beforeAll(async () => {
      const res = await t.gql<{ __schema: IntroSchema }>(INTROSPECTION_QUERY);
      slots = schemaSlots(
        res.body.data?.__schema as IntroSchema,
        apiSamples({ userId, clusterId, reportId, password: PASSWORD, emailTag: uniq }),
      ).filter((s) => STRINGS.test(s.type));
    });

    const run = async (s: Slot, query: string, variables: Record<string, unknown>) => {
      if (s.operation !== 'subscription') return (await t.gql(query, variables, admin.headers)).body;
      const res = await subscribeOnce(t.ws(admin.connectionParams), query, 500, variables);
      return { errors: res.errors, data: res.data };
    };

    it('finds the string slots (sanity)', () => {
      const labels = slots.map((s) => s.label);
      for (const l of [
        'Query.caseGraph(root.clusterId)',
        'Mutation.createUser(input.displayName)',
        'Mutation.linkReports(reason)',
        'Mutation.requestPing(message)',
        'Mutation.submitReport(input.narrative)',
        'Query.user(id)',
        'Subscription.clusterUpdated(clusterId)',
      ])
        expect(labels).toContain(l);
    });

    it('answers each hostile string with data or a typed error that does not echo it whole', async () => {
      const wrong: string[] = [];
      for (const s of slots) {
        for (const [what, v] of HOSTILE) {
          const call = s.call(what === '10 KB' ? 'inline' : 'variable', v);
          const body = await run(s, call.query, call.variables);
          const untyped = (body.errors ?? []).filter((e) => !TYPED.has(String(e.extensions?.code)));
          if (untyped.length) wrong.push(`${s.label} ${what}: ${JSON.stringify(untyped).slice(0, 300)}`);
          if (what === '10 KB' && JSON.stringify(body.errors ?? []).length > 2_000)
            wrong.push(`${s.label} ${what}: echoed (${JSON.stringify(body.errors).length} characters of errors)`);
        }
      }
      expect(wrong).toEqual([]);
    }, 300_000);
  });
});
