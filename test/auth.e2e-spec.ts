import { getConnectionToken } from '@nestjs/mongoose';
import * as jsonwebtoken from 'jsonwebtoken';
import { Connection } from 'mongoose';
import { statSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from '../src/sessions/access-token';
import { AuditService } from '../src/audit/audit.service';
import { BootstrapAdminService } from '../src/users/bootstrap-admin.service';
import { UsersRepository } from '../src/users/users.repository';
import { UsersService } from '../src/users/users.service';
import { PING_COMPLETED } from '../src/system/system.service';
import { INTROSPECTION_QUERY, IntroSchema, rootCalls } from './support/schema-calls';
import {
  collectEvents,
  GqlResponse,
  LoggedIn,
  loginAs,
  loginAsAdmin,
  startTestApp,
  subscribeOnce,
  TEST_ADMIN,
  TestApp,
  waitForChannelSubscribers,
} from './support/test-app';

/** Root fields anyone may call without a token (API.md "Public", plus health and the token exchanges). */
const PUBLIC = new Set([
  'health',
  'fraudTypes',
  'regions',
  'lookup',
  'reportStatus',
  'submitReport',
  'publicStats',
  'alertBroadcast',
  'fileStopAppeal',
  'appealStatus',
  'login',
  'refreshToken',
]);
/** Root fields any signed-in user may call whatever their roles. */
const SIGNED_IN = new Set(['me', 'logout']);
/** Roles that may call each staff field (ADMIN always may). Fields not listed still get the generic checks. */
const ROLES_OF: Record<string, string[]> = {
  user: ['SUPERVISOR'],
  users: ['SUPERVISOR'],
  auditLog: ['SUPERVISOR'],
  stats: ['SUPERVISOR', 'OUTREACH'],
  createUser: ['ADMIN'],
  setUserRoles: ['ADMIN'],
  setUserUnits: ['ADMIN'],
  disableUser: ['ADMIN'],
  enableUser: ['ADMIN'],
  requestPing: ['ADMIN'],
  ping: ['ADMIN'],
  pingCompleted: ['ADMIN'],
  // link policies have a global effect: a supervisor's decision
  setIdentifierLinkPolicy: ['SUPERVISOR'],
  linkPolicyPreview: ['SUPERVISOR'],
  hubIdentifiers: ['SUPERVISOR'],
  // cases (src/cases): supervisors watch the workload, override priorities and edit templates
  workload: ['SUPERVISOR'],
  setCasePriority: ['SUPERVISOR'],
  setCaseTemplate: ['SUPERVISOR'],
  resetCaseTemplate: ['SUPERVISOR'],
  // payment stops (src/payments): a freeze and an appeal's outcome are a supervisor's decisions
  approveAccountFreeze: ['SUPERVISOR'],
  resolveStopAppeal: ['SUPERVISOR'],
  ...Object.fromEntries(
    [
      'case',
      'cases',
      'nextUnassignedCase',
      'caseTemplate',
      'openCase',
      'addReportsToCase',
      'mergeCases',
      'transitionCase',
      'assignCase',
      'recordCaseRecovery',
      'addCaseTask',
      'completeCaseTask',
      'addCaseNote',
      'addCaseEvidence',
      'confirmIdentifier',
      'paymentStop',
      'stopAppeal',
      'requestPaymentStop',
      'requestAccountFreeze',
    ].map((f) => [f, ['INVESTIGATOR', 'SUPERVISOR']]),
  ),
  // linking (src/linking): investigators and supervisors, scoped to their units
  ...Object.fromEntries(
    [
      'report',
      'reports',
      'identifier',
      'cluster',
      'clusters',
      'caseGraph',
      'explainLink',
      'linkJudgements',
      'linkReports',
      'unlinkReports',
      'detachIdentifier',
      'reattachIdentifier',
      'detachPreview',
      'clusterUpdated',
    ].map((f) => [f, ['INVESTIGATOR', 'SUPERVISOR']]),
  ),
};
const PASSWORD = 'staff-password-123';

type Errors = NonNullable<GqlResponse['body']['errors']>;
const code = (errors: Errors | undefined) => errors?.[0]?.extensions?.code;
const reason = (errors: Errors | undefined) => errors?.[0]?.extensions?.reason;

describe('staff identity: login, tokens, roles, units and audit', () => {
  let t: TestApp;
  let admin: LoggedIn;
  const ids: Record<string, string> = {};
  const tokens: Record<string, LoggedIn> = {};

  const createUser = async (email: string, roles: string[], unitCodes: string[], contactPhone?: string) => {
    const res = await t.gql<{ createUser: { id: string } }>(
      'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
      {
        i: {
          email,
          displayName: email.split('@')[0],
          password: PASSWORD,
          roles,
          unitCodes,
          contactPhone,
          reason: 'e2e setup',
        },
      },
      admin.headers,
    );
    if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data.createUser.id;
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t);
    ids.inv1 = await createUser('inv1@siqian.test', ['INVESTIGATOR'], ['DG01'], '+86 138 0013 8000');
    ids.inv2 = await createUser('inv2@siqian.test', ['INVESTIGATOR'], ['DG02'], '13900139000');
    ids.out1 = await createUser('out1@siqian.test', ['OUTREACH'], ['DG01']);
    ids.sup1 = await createUser('sup1@siqian.test', ['SUPERVISOR'], ['DG01', 'DG03']);
    ids.sup2 = await createUser('sup2@siqian.test', ['SUPERVISOR'], ['DG02']);
    // the API no longer creates a user without roles, older data may hold one: the guard still refuses it
    ids.none = await createUser('none@siqian.test', ['OUTREACH'], ['DG01']);
    await t.app
      .get<Connection>(getConnectionToken())
      .collection('users')
      .updateOne({ _id: ids.none as never }, { $set: { roles: [] } });
    for (const name of ['inv1', 'inv2', 'out1', 'sup1', 'sup2', 'none'])
      tokens[name] = await loginAs(t, `${name}@siqian.test`, PASSWORD);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('login, me, refresh rotation, reuse revocation, logout', () => {
    it('logs in and answers me with the stored roles and units', async () => {
      const res = await t.gql<{ me: Record<string, unknown> }>(
        '{ me { id email roles unitCodes disabled } }',
        {},
        tokens.sup1.headers,
      );
      expect(res.body.data?.me).toEqual({
        id: ids.sup1,
        email: 'sup1@siqian.test',
        roles: ['SUPERVISOR'],
        unitCodes: ['DG01', 'DG03'],
        disabled: false,
      });
      const again = await loginAs(t, '  SUP1@Siqian.TEST ', PASSWORD);
      expect(again.userId).toBe(ids.sup1);
    });

    it('answers a wrong password and an unknown e-mail alike: UNAUTHENTICATED, same message', async () => {
      const login = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';
      const wrong = await t.gql(login, { e: 'inv1@siqian.test', p: 'not-the-password' });
      const unknown = await t.gql(login, { e: 'nobody@siqian.test', p: 'not-the-password' });
      expect(code(wrong.body.errors)).toBe('UNAUTHENTICATED');
      expect(wrong.body.errors?.[0]).toEqual({ ...unknown.body.errors?.[0], path: wrong.body.errors?.[0].path });
      expect(wrong.body.data).toBeNull();
      expect(JSON.stringify(wrong.body)).not.toMatch(/argon|hash|mongo/i);
      await loginAs(t, 'inv1@siqian.test', PASSWORD); // resets the counter
    });

    it('rotates refresh tokens; reusing an old one revokes the whole family, the new tokens too', async () => {
      const first = await loginAs(t, 'out1@siqian.test', PASSWORD);
      const refresh =
        'mutation ($r: String!) { refreshToken(refreshToken: $r) { accessToken refreshToken user { id } } }';
      const r1 = await t.gql<{ refreshToken: { accessToken: string; refreshToken: string; user: { id: string } } }>(
        refresh,
        { r: first.refreshToken },
      );
      const second = r1.body.data?.refreshToken;
      expect(second?.user.id).toBe(ids.out1);
      expect(second?.refreshToken).not.toBe(first.refreshToken);
      const me2 = await t.gql('{ me { id } }', {}, { authorization: `Bearer ${second?.accessToken}` });
      expect(me2.body.data).toEqual({ me: { id: ids.out1 } });

      const reuse = await t.gql(refresh, { r: first.refreshToken });
      expect(code(reuse.body.errors)).toBe('UNAUTHENTICATED');
      expect(reason(reuse.body.errors)).toBe('TOKEN_REUSED');
      const next = await t.gql(refresh, { r: second?.refreshToken });
      expect(code(next.body.errors)).toBe('UNAUTHENTICATED');
      expect(reason(next.body.errors)).toBe('TOKEN_REVOKED');
      const meAfter = await t.gql('{ me { id } }', {}, { authorization: `Bearer ${second?.accessToken}` });
      expect(code(meAfter.body.errors)).toBe('UNAUTHENTICATED');
      const firstAccess = await t.gql('{ me { id } }', {}, first.headers);
      expect(code(firstAccess.body.errors)).toBe('UNAUTHENTICATED');
      // Other sessions of the same user are not affected.
      const other = await loginAs(t, 'out1@siqian.test', PASSWORD);
      expect((await t.gql('{ me { id } }', {}, other.headers)).body.data).toEqual({ me: { id: ids.out1 } });
      const audit = await t.gql<{ auditLog: { edges: { node: { actorId: string; objectType: string } }[] } }>(
        '{ auditLog(filter: { action: "REFRESH_TOKEN_REUSED" }) { edges { node { actorId objectType } } } }',
        {},
        admin.headers,
      );
      expect(audit.body.data?.auditLog.edges.map((e) => e.node)).toContainEqual({
        actorId: ids.out1,
        objectType: 'Session',
      });
    });

    it('refuses unknown refresh tokens', async () => {
      const res = await t.gql('mutation { refreshToken(refreshToken: "made-up") { accessToken } }');
      expect(code(res.body.errors)).toBe('UNAUTHENTICATED');
    });

    it('logout ends the session: its access and refresh tokens stop working', async () => {
      const s = await loginAs(t, 'inv2@siqian.test', PASSWORD);
      expect((await t.gql('mutation { logout }', {}, s.headers)).body.data).toEqual({ logout: true });
      const me = await t.gql('{ me { id } }', {}, s.headers);
      expect(reason(me.body.errors)).toBe('TOKEN_REVOKED');
      const refreshed = await t.gql('mutation ($r: String!) { refreshToken(refreshToken: $r) { accessToken } }', {
        r: s.refreshToken,
      });
      expect(code(refreshed.body.errors)).toBe('UNAUTHENTICATED');
      expect(code((await t.gql('mutation { logout }')).body.errors)).toBe('UNAUTHENTICATED');
      // The earlier session of the same user still works.
      expect((await t.gql('{ me { id } }', {}, tokens.inv2.headers)).body.data).toEqual({ me: { id: ids.inv2 } });
    });

    it('a disabled user is refused at once, with existing tokens and at login; enabling restores access', async () => {
      const id = await createUser('leaver@siqian.test', ['INVESTIGATOR'], ['DG01']);
      const s = await loginAs(t, 'leaver@siqian.test', PASSWORD);
      const off = await t.gql(
        'mutation ($i: UserStatusInput!) { disableUser(input: $i) { disabled } }',
        { i: { userId: id, reason: 'left' } },
        admin.headers,
      );
      expect(off.body.data).toEqual({ disableUser: { disabled: true } });
      expect(reason((await t.gql('{ me { id } }', {}, s.headers)).body.errors)).toBe('ACCOUNT_DISABLED');
      const login = await t.gql(
        'mutation { login(email: "leaver@siqian.test", password: "staff-password-123") { accessToken } }',
      );
      expect(code(login.body.errors)).toBe('UNAUTHENTICATED');
      await t.gql(
        'mutation ($i: UserStatusInput!) { enableUser(input: $i) { disabled } }',
        { i: { userId: id } },
        admin.headers,
      );
      expect((await t.gql('{ me { id } }', {}, s.headers)).body.data).toEqual({ me: { id } });
    });

    it('role and unit changes apply from the next request, with the same token', async () => {
      const id = await createUser('promoted@siqian.test', ['INVESTIGATOR'], ['DG01']);
      const s = await loginAs(t, 'promoted@siqian.test', PASSWORD);
      expect(code((await t.gql('{ users { totalCount } }', {}, s.headers)).body.errors)).toBe('FORBIDDEN');
      const set = await t.gql(
        'mutation ($i: SetUserRolesInput!) { setUserRoles(input: $i) { roles } }',
        { i: { userId: id, roles: ['SUPERVISOR'], reason: 'promotion' } },
        admin.headers,
      );
      expect(set.body.data).toEqual({ setUserRoles: { roles: ['SUPERVISOR'] } });
      expect((await t.gql('{ users { totalCount } }', {}, s.headers)).body.errors).toBeUndefined();
      const entry = await t.gql<{
        auditLog: { edges: { node: { reason: string; actorId: string; details: { key: string; value: string }[] } }[] };
      }>(
        'query ($id: ID!) { auditLog(filter: { action: "USER_ROLES_SET", objectId: $id }) { edges { node { reason actorId details { key value } } } } }',
        { id },
        admin.headers,
      );
      expect(entry.body.data?.auditLog.edges[0].node).toEqual({
        reason: 'promotion',
        actorId: admin.userId,
        details: [
          { key: 'from', value: 'INVESTIGATOR' },
          { key: 'to', value: 'SUPERVISOR' },
        ],
      });
    });

    it('admins cannot lock themselves out', async () => {
      const res = await t.gql(
        'mutation ($i: SetUserRolesInput!) { setUserRoles(input: $i) { roles } }',
        { i: { userId: admin.userId, roles: ['SUPERVISOR'] } },
        admin.headers,
      );
      expect(code(res.body.errors)).toBe('CONFLICT');
    });
  });

  describe('user management input rules', () => {
    const create = (input: Record<string, unknown>) =>
      t.gql(
        'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
        { i: { displayName: 'X', password: PASSWORD, roles: ['INVESTIGATOR'], unitCodes: ['DG01'], ...input } },
        admin.headers,
      );

    it('refuses a taken e-mail (case ignored) with CONFLICT', async () => {
      const res = await create({ email: 'INV1@Siqian.TEST' });
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.email' });
    });

    it('refuses concurrent creations of one e-mail but one', async () => {
      const results = await Promise.all(Array.from({ length: 4 }, () => create({ email: 'race@siqian.test' })));
      expect(results.filter((r) => r.body.data).length).toBe(1);
      expect(results.filter((r) => code(r.body.errors) === 'CONFLICT').length).toBe(3);
    });

    it('refuses unknown units and short passwords with BAD_USER_INPUT naming the field', async () => {
      const unit = await create({ email: 'u1@siqian.test', unitCodes: ['DG01', 'DG99'] });
      expect(unit.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.unitCodes.1' });
      const pw = await create({ email: 'u2@siqian.test', password: 'short' });
      expect(pw.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.password' });
    });
  });

  describe('brute force against login: the account is slowed down, the attacking address locked', () => {
    // a tight configuration of its own; each test speaks from its own addresses (X-Forwarded-For)
    let b: TestApp;
    let bAdmin: LoggedIn;
    beforeAll(async () => {
      b = await startTestApp({
        TRUST_PROXY: 'true',
        LOGIN_MAX_FAILURES: '3',
        LOGIN_DELAY_SECONDS: '1',
        LOGIN_MAX_DELAY_SECONDS: '4',
        LOGIN_IP_MAX_FAILURES: '8',
      });
      bAdmin = await loginAsAdmin(b);
    });
    afterAll(async () => {
      await b?.close();
    });
    const from = (ip: string) => (email: string, password: string) =>
      b.gql<{ login: { accessToken: string } }>(
        'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
        { e: email, p: password },
        { 'x-forwarded-for': ip },
      );
    const retryAfter = (errors: Errors | undefined) => errors?.[0]?.extensions?.retryAfterSeconds as number;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const newUser = async (email: string) => {
      const res = await b.gql(
        'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
        {
          i: {
            email,
            displayName: 'user',
            password: PASSWORD,
            roles: ['OUTREACH'],
            unitCodes: ['DG01'],
            reason: 'e2e',
          },
        },
        bAdmin.headers,
      );
      expect(res.body.errors).toBeUndefined();
    };

    it('failures from elsewhere never keep the admin out of their own address', async () => {
      const home = from('203.0.113.10');
      const attacker = from('198.51.100.66');
      expect((await home(TEST_ADMIN.email, TEST_ADMIN.password)).body.errors).toBeUndefined(); // a known address
      const answers: unknown[] = [];
      for (let i = 0; i < 10; i++) answers.push(reason((await attacker(TEST_ADMIN.email, `guess-${i}`)).body.errors));
      const atHome = await home(TEST_ADMIN.email, TEST_ADMIN.password);
      expect(atHome.body.errors).toBeUndefined();
      expect(atHome.body.data?.login.accessToken).toEqual(expect.any(String));
      expect(answers).toEqual([...Array(3).fill('INVALID_CREDENTIALS'), ...Array(7).fill('THROTTLED')]);
      // the holder's own typos are counted apart from the attacker's
      expect(reason((await home(TEST_ADMIN.email, 'typo')).body.errors)).toBe('INVALID_CREDENTIALS');
      expect((await home(TEST_ADMIN.email, TEST_ADMIN.password)).body.errors).toBeUndefined();
    });

    it('spaces out an account’s attempts with growing delays (not a lock), also for the right password', async () => {
      await newUser('victim@siqian.test');
      const login = from('198.51.100.7');
      for (let i = 1; i <= 3; i++)
        expect(reason((await login('victim@siqian.test', `g${i}`)).body.errors)).toBe('INVALID_CREDENTIALS');
      const waits: number[] = [];
      for (let round = 0; round < 4; round++) {
        // an attempt right after a failure must wait, longer after each failure; the attempt at its time is answered
        const early = await login('victim@siqian.test', PASSWORD);
        expect(early.body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'THROTTLED' });
        expect(early.body.data).toBeNull();
        waits.push(retryAfter(early.body.errors));
        await sleep(waits[round] * 1000 + 100);
        if (round < 3)
          expect(reason((await login('victim@siqian.test', `late-${round}`)).body.errors)).toBe('INVALID_CREDENTIALS');
      }
      expect(waits).toEqual([1, 2, 4, 4]); // LOGIN_DELAY_SECONDS doubling, capped at LOGIN_MAX_DELAY_SECONDS
      // after the wait the right password works, and resets the count
      expect((await login('victim@siqian.test', PASSWORD)).body.errors).toBeUndefined();
      const audit = await b.gql<{ auditLog: { totalCount: number } }>(
        '{ auditLog(filter: { action: "LOGIN_LOCKED" }) { totalCount } }',
        {},
        bAdmin.headers,
      );
      expect(audit.body.data?.auditLog.totalCount).toBeGreaterThanOrEqual(3);
    });

    it('throttles unknown e-mails exactly like known ones (no enumeration)', async () => {
      const login = from('198.51.100.8');
      for (let i = 1; i <= 3; i++)
        expect(reason((await login('ghost@siqian.test', `g${i}`)).body.errors)).toBe('INVALID_CREDENTIALS');
      expect(reason((await login('ghost@siqian.test', 'g4')).body.errors)).toBe('THROTTLED');
    });

    it('locks an address after LOGIN_IP_MAX_FAILURES failures on any e-mails; other addresses are not affected', async () => {
      await newUser('bystander@siqian.test');
      const spray = from('198.51.100.99');
      const answers: unknown[] = [];
      for (let i = 0; i < 8; i++)
        answers.push(reason((await spray(`spray-${i}@siqian.test`, 'password1')).body.errors));
      expect(answers).toEqual(Array(8).fill('INVALID_CREDENTIALS'));
      // the address is locked now: even a right password from it is refused
      const locked = await spray('bystander@siqian.test', PASSWORD);
      expect(locked.body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'LOCKED' });
      expect(retryAfter(locked.body.errors)).toBeGreaterThan(800);
      expect((await from('198.51.100.100')('bystander@siqian.test', PASSWORD)).body.errors).toBeUndefined();
    });

    it('a successful login resets the count', async () => {
      await newUser('forgetful@siqian.test');
      const login = from('198.51.100.9');
      for (let i = 0; i < 2; i++)
        expect(reason((await login('forgetful@siqian.test', 'nope')).body.errors)).toBe('INVALID_CREDENTIALS');
      expect((await login('forgetful@siqian.test', PASSWORD)).body.errors).toBeUndefined();
      for (let i = 0; i < 3; i++)
        expect(reason((await login('forgetful@siqian.test', 'nope')).body.errors)).toBe('INVALID_CREDENTIALS');
    });
  });

  describe('forged and broken access tokens are UNAUTHENTICATED', () => {
    const claims = () => ({ sub: admin.userId, sid: 'forged-session', roles: ['ADMIN'], units: [], typ: 'access' });
    const std = { issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE };
    const me = (token: string) => t.gql('{ me { id } }', {}, { authorization: `Bearer ${token}` });

    it('accepts a token signed with the server secret (control)', async () => {
      const good = jsonwebtoken.sign(claims(), t.cfg.secrets.jwtSecret, { algorithm: 'HS256', ...std, expiresIn: 60 });
      expect((await me(good)).body.data).toEqual({ me: { id: admin.userId } });
    });

    it.each([
      [
        'signed with another secret',
        () =>
          jsonwebtoken.sign(claims(), 'another-secret-another-secret-another', {
            algorithm: 'HS256',
            ...std,
            expiresIn: 60,
          }),
        'TOKEN_INVALID',
      ],
      [
        'expired',
        () =>
          jsonwebtoken.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 5 }, t.cfg.secrets.jwtSecret, {
            algorithm: 'HS256',
            ...std,
          }),
        'TOKEN_EXPIRED',
      ],
      [
        'alg=none',
        () => jsonwebtoken.sign(claims(), '', { algorithm: 'none', ...std, expiresIn: 60 }),
        'TOKEN_INVALID',
      ],
      [
        'HS512 with the right secret',
        () => jsonwebtoken.sign(claims(), t.cfg.secrets.jwtSecret, { algorithm: 'HS512', ...std, expiresIn: 60 }),
        'TOKEN_INVALID',
      ],
      [
        'tampered payload',
        () => {
          const [h, , s] = admin.accessToken.split('.');
          const body = Buffer.from(
            JSON.stringify({ ...claims(), sub: 'someone-else', exp: Math.floor(Date.now() / 1000) + 60 }),
          ).toString('base64url');
          return `${h}.${body}.${s}`;
        },
        'TOKEN_INVALID',
      ],
      ['garbage', () => 'not.a.token', 'TOKEN_INVALID'],
    ])('%s', async (_name, make, why) => {
      const res = await me(make());
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: why });
      expect(res.body.data).toBeNull();
    });

    it('a malformed Authorization header and no header', async () => {
      expect(
        code((await t.gql('{ me { id } }', {}, { authorization: `Basic ${admin.accessToken}` })).body.errors),
      ).toBe('UNAUTHENTICATED');
      expect(reason((await t.gql('{ me { id } }')).body.errors)).toBe('TOKEN_MISSING');
    });
  });

  describe('WebSocket subscriptions authenticate in connection_init', () => {
    it('works with a valid admin token (pingCompleted)', async () => {
      const events = collectEvents<{ pingCompleted: { id: string; status: string } }>(
        t.ws(admin.connectionParams),
        'subscription { pingCompleted { id status } }',
      );
      await waitForChannelSubscribers(PING_COMPLETED);
      const req = await t.gql<{ requestPing: { id: string } }>(
        'mutation { requestPing(message: "ws auth") { id } }',
        {},
        admin.headers,
      );
      const [event] = await events;
      expect(event.pingCompleted).toEqual({ id: req.body.data?.requestPing.id, status: 'COMPLETED' });
    });

    it('refuses a staff subscription on an anonymous connection with UNAUTHENTICATED', async () => {
      const res = await subscribeOnce(t.ws(), 'subscription { pingCompleted { id } }');
      expect(code(res.errors)).toBe('UNAUTHENTICATED');
    });

    it('refuses it for a user without the role with FORBIDDEN', async () => {
      const res = await subscribeOnce(t.ws(tokens.sup1.connectionParams), 'subscription { pingCompleted { id } }');
      expect(code(res.errors)).toBe('FORBIDDEN');
    });

    it.each([
      ['a bad token', () => ({ authorization: 'Bearer nope' })],
      [
        'another secret',
        () => ({
          authorization: `Bearer ${jsonwebtoken.sign({ sub: admin.userId, sid: 's', roles: ['ADMIN'], units: [], typ: 'access' }, 'x'.repeat(40), { algorithm: 'HS256', issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE, expiresIn: 60 })}`,
        }),
      ],
    ])('closes the connection (4401) for %s', async (_n, params) => {
      const res = await subscribeOnce(t.ws(params()), 'subscription { pingCompleted { id } }');
      expect(res.closeCode).toBe(4401);
    });
  });

  describe('every staff field of the schema is guarded', () => {
    let calls: ReturnType<typeof rootCalls>;

    beforeAll(async () => {
      const res = await t.gql<{ __schema: IntroSchema }>(INTROSPECTION_QUERY);
      calls = rootCalls(res.body.data?.__schema as IntroSchema);
    });

    const run = async (call: { operation: string; document: string }, who?: LoggedIn): Promise<Errors | undefined> => {
      if (call.operation !== 'subscription') return (await t.gql(call.document, {}, who?.headers ?? {})).body.errors;
      const res = await subscribeOnce(t.ws(who?.connectionParams), call.document);
      if (res.timedOut || res.closeCode)
        return [{ message: `no answer (${res.closeCode ?? 'timeout'})`, extensions: { code: 'ACCEPTED' } }];
      return res.errors;
    };

    it('finds the staff fields (sanity)', () => {
      const names = calls.map((c) => c.field);
      for (const f of ['me', 'users', 'auditLog', 'createUser', 'login', 'pingCompleted']) expect(names).toContain(f);
      expect(names.filter((n) => !PUBLIC.has(n)).length).toBeGreaterThanOrEqual(13);
    });

    it('refuses every non-public field without a token (UNAUTHENTICATED)', async () => {
      const wrong: string[] = [];
      for (const call of calls.filter((c) => !PUBLIC.has(c.field))) {
        const errors = await run(call);
        if (code(errors) !== 'UNAUTHENTICATED') wrong.push(`${call.field}: ${JSON.stringify(errors)}`);
      }
      expect(wrong).toEqual([]);
    });

    it('refuses every non-public field (except me/logout) to a signed-in user without roles (FORBIDDEN)', async () => {
      const wrong: string[] = [];
      for (const call of calls.filter((c) => !PUBLIC.has(c.field) && !SIGNED_IN.has(c.field))) {
        const errors = await run(call, tokens.none);
        if (code(errors) !== 'FORBIDDEN') wrong.push(`${call.field}: ${JSON.stringify(errors)}`);
      }
      expect(wrong).toEqual([]);
    });

    it('refuses each known staff field to every role that may not use it, and lets the others through', async () => {
      const byRole: Record<string, LoggedIn> = {
        INVESTIGATOR: tokens.inv1,
        OUTREACH: tokens.out1,
        SUPERVISOR: tokens.sup1,
      };
      const wrong: string[] = [];
      for (const call of calls.filter((c) => ROLES_OF[c.field])) {
        for (const [role, who] of Object.entries(byRole)) {
          const errors = await run(call, who);
          const allowed = ROLES_OF[call.field].includes(role);
          const c = code(errors);
          if (!allowed && c !== 'FORBIDDEN')
            wrong.push(`${call.field} as ${role}: expected FORBIDDEN, got ${JSON.stringify(errors)}`);
          if (allowed && (c === 'FORBIDDEN' || c === 'UNAUTHENTICATED'))
            wrong.push(`${call.field} as ${role}: refused`);
        }
        const asAdmin = code(await run(call, admin));
        if (asAdmin === 'FORBIDDEN' || asAdmin === 'UNAUTHENTICATED') wrong.push(`${call.field} refused to ADMIN`);
      }
      expect(wrong).toEqual([]);
    });

    // Without a token the guard could only refuse with TOKEN_MISSING or FORBIDDEN; a public field may still fail
    // for its own reasons (login with dummy credentials is UNAUTHENTICATED/INVALID_CREDENTIALS).
    it('lets every public field through without a token (the guard does not refuse it)', async () => {
      const wrong: string[] = [];
      for (const call of calls.filter((c) => PUBLIC.has(c.field))) {
        const errors = await run(call);
        const r = reason(errors);
        if (code(errors) === 'FORBIDDEN' || r === 'TOKEN_MISSING')
          wrong.push(`${call.field}: ${JSON.stringify(errors)}`);
      }
      expect(wrong).toEqual([]);
    });

    it('has no mutation that could edit the audit log', () => {
      expect(calls.filter((c) => c.operation === 'mutation' && /audit/i.test(c.field))).toEqual([]);
    });
  });

  describe('unit scoping', () => {
    it('a supervisor reads users of their units and is refused others (FORBIDDEN)', async () => {
      const own = await t.gql('query ($id: ID!) { user(id: $id) { id } }', { id: ids.inv1 }, tokens.sup1.headers);
      expect(own.body.data).toEqual({ user: { id: ids.inv1 } });
      const other = await t.gql('query ($id: ID!) { user(id: $id) { id } }', { id: ids.inv1 }, tokens.sup2.headers);
      expect(other.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OUT_OF_UNIT' });
      const unknown = await t.gql('{ user(id: "nobody") { id } }', {}, tokens.sup2.headers);
      expect(code(unknown.body.errors)).toBe('NOT_FOUND');
    });

    it('lists only users of the caller’s units; admins see all', async () => {
      const list = async (who: LoggedIn) =>
        (
          await t.gql<{ users: { totalCount: number; edges: { node: { id: string } }[] } }>(
            '{ users(first: 200) { totalCount edges { node { id } } } }',
            {},
            who.headers,
          )
        ).body.data?.users;
      const sup2 = await list(tokens.sup2);
      expect(sup2?.edges.map((e) => e.node.id).sort()).toEqual([ids.inv2, ids.sup2].sort());
      expect(sup2?.totalCount).toBe(2);
      const everyone = await list(admin);
      expect(everyone?.edges.map((e) => e.node.id)).toEqual(expect.arrayContaining(Object.values(ids)));
    });

    it('pages with a stable cursor', async () => {
      const page = (after?: string) =>
        t.gql<{ users: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
          'query ($a: String) { users(first: 2, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
          { a: after },
          admin.headers,
        );
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const res = (await page(after)).body.data?.users;
        seen.push(...(res?.edges ?? []).map((e) => e.node.id));
        if (!res?.pageInfo.hasNextPage) break;
        after = res.pageInfo.endCursor;
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(Object.values(ids)));
      expect(code((await page('bm90LWEtY3Vyc29y!')).body.errors)).toBe('BAD_USER_INPUT');
    });

    it('refuses page sizes outside 1..200 with BAD_USER_INPUT on `first`, for users and the audit log alike', async () => {
      for (const [field, first] of [
        ['users', 0],
        ['users', 201],
        ['auditLog', 0],
        ['auditLog', 201],
      ] as const) {
        const res = await t.gql(`query ($f: Int) { ${field}(first: $f) { totalCount } }`, { f: first }, admin.headers);
        expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      }
      const ok = await t.gql<{ users: { totalCount: number } }>(
        'query { users(first: 200) { totalCount } }',
        {},
        admin.headers,
      );
      expect(ok.body.errors).toBeUndefined();
    });
  });

  describe('personal data: field-level roles, encryption at rest, audited reads', () => {
    it('stores the contact phone encrypted', async () => {
      const conn = t.app.get<Connection>(getConnectionToken());
      const raw = await conn.collection('users').findOne({ _id: ids.inv1 as never });
      expect(raw?.contactPhoneSealed).toMatch(/^pii1\./);
      expect(JSON.stringify(raw)).not.toMatch(/138\D*0013|13800138000/);
      expect(JSON.stringify(raw)).not.toContain(PASSWORD);
    });

    it('a supervisor reads it with a reason; the read appears in the audit log for supervisors and admins', async () => {
      const read = await t.gql<{ user: { contactPhone: string } }>(
        'query ($id: ID!) { user(id: $id) { contactPhone(reason: "callback about case 7") } }',
        { id: ids.inv1 },
        { ...tokens.sup1.headers, 'user-agent': 'e2e-agent' },
      );
      expect(read.body.data?.user.contactPhone).toBe('+86 138 0013 8000');
      const q =
        'query ($id: ID!) { auditLog(filter: { action: "READ_PII", objectType: "User", objectId: $id }) { totalCount edges { node { actorId action objectId reason ip userAgent at details { key value } } } } }';
      for (const who of [tokens.sup1, admin]) {
        const res = await t.gql<{ auditLog: { totalCount: number; edges: { node: Record<string, unknown> }[] } }>(
          q,
          { id: ids.inv1 },
          who.headers,
        );
        expect(res.body.data?.auditLog.totalCount).toBe(1);
        const node = res.body.data?.auditLog.edges[0].node;
        expect(node).toMatchObject({
          actorId: ids.sup1,
          action: 'READ_PII',
          objectId: ids.inv1,
          reason: 'callback about case 7',
          userAgent: 'e2e-agent',
          details: [{ key: 'field', value: 'contactPhone' }],
        });
        expect(node?.ip).toMatch(/127\.0\.0\.1/);
        expect(Date.now() - Date.parse(node?.at as string)).toBeLessThan(60_000);
      }
      // A supervisor of another unit does not see entries about DG01.
      const sup2 = await t.gql<{ auditLog: { totalCount: number } }>(q, { id: ids.inv1 }, tokens.sup2.headers);
      expect(sup2.body.data?.auditLog.totalCount).toBe(0);
    });

    it('refuses the field to an investigator (FORBIDDEN, value null) and writes no audit entry', async () => {
      const res = await t.gql<{ me: { id: string; contactPhone: string | null } }>(
        '{ me { id contactPhone(reason: "my own number") } }',
        {},
        tokens.inv2.headers,
      );
      expect(res.body.data?.me).toEqual({ id: ids.inv2, contactPhone: null });
      expect(res.body.errors?.[0]).toMatchObject({ path: ['me', 'contactPhone'], extensions: { code: 'FORBIDDEN' } });
      const audit = await t.gql<{ auditLog: { totalCount: number } }>(
        'query ($id: ID!) { auditLog(filter: { action: "READ_PII", objectId: $id }) { totalCount } }',
        { id: ids.inv2 },
        admin.headers,
      );
      expect(audit.body.data?.auditLog.totalCount).toBe(0);
    });

    it('needs a real reason', async () => {
      const res = await t.gql(
        'query ($id: ID!) { user(id: $id) { contactPhone(reason: " ") } }',
        { id: ids.inv1 },
        tokens.sup1.headers,
      );
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    });

    it('the audit log is refused to investigators and outreach (FORBIDDEN)', async () => {
      for (const who of [tokens.inv1, tokens.out1])
        expect(code((await t.gql('{ auditLog { totalCount } }', {}, who.headers)).body.errors)).toBe('FORBIDDEN');
    });

    it('records logins with the client address, newest first, paged by cursor', async () => {
      const res = await t.gql<{
        auditLog: {
          edges: { node: { action: string; at: string; ip: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }>(
        'query ($a: ID!) { auditLog(first: 3, filter: { actorId: $a, action: "LOGIN_SUCCEEDED" }) { edges { node { action at ip } } pageInfo { hasNextPage endCursor } } }',
        { a: ids.sup1 },
        admin.headers,
      );
      const edges = res.body.data?.auditLog.edges ?? [];
      expect(edges.length).toBeGreaterThanOrEqual(2);
      expect(edges.every((e) => e.node.action === 'LOGIN_SUCCEEDED' && /127\.0\.0\.1/.test(e.node.ip))).toBe(true);
      const times = edges.map((e) => Date.parse(e.node.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });
  });
});

describe('bootstrap admin', () => {
  it('creates the admin from ADMIN_EMAIL / ADMIN_PASSWORD once, even when two instances start together', async () => {
    const db = `e2e_boot_${process.pid}`;
    const [a, b] = await Promise.all([startTestApp({}, { database: db }), startTestApp({}, { database: db })]);
    try {
      const me = await a.gql<{ me: { roles: string[] } }>('{ me { roles } }', {}, (await loginAsAdmin(a)).headers);
      expect(me.body.data?.me.roles).toEqual(['ADMIN']);
      const list = await a.gql<{ users: { totalCount: number } }>(
        '{ users(filter: { role: ADMIN }) { totalCount } }',
        {},
        (await loginAsAdmin(a)).headers,
      );
      expect(list.body.data?.users.totalCount).toBe(1);
      await loginAsAdmin(b);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('in embedded mode without ADMIN_PASSWORD: generates a password, prints it once, saves it 0600', async () => {
    const t = await startTestApp({ ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
    const dataDir = mkdtempSync(join(tmpdir(), 'siqian-boot-'));
    const printed: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      const cfg = {
        ...t.cfg,
        embedded: true,
        env: 'development' as const,
        dataDir,
        auth: { ...t.cfg.auth, adminEmail: undefined, adminPassword: undefined },
      };
      const boot = () =>
        new BootstrapAdminService(cfg, t.app.get(UsersRepository), t.app.get(UsersService), t.app.get(AuditService));
      const created = await Promise.all([boot().ensureAdmin(), boot().ensureAdmin()]);
      expect(created.filter(Boolean)).toEqual(['admin@siqian.local']);
      expect(await boot().ensureAdmin()).toBeUndefined();
      write.mockRestore();
      const out = printed.join('');
      const password = /password: (\S+)/.exec(out)?.[1] as string;
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(out.match(/created the bootstrap ADMIN/g)).toHaveLength(1);
      const file = join(dataDir, 'admin-credentials.txt');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toContain(`password=${password}`);
      const s = await loginAs(t, 'admin@siqian.local', password);
      expect((await t.gql<{ me: { roles: string[] } }>('{ me { roles } }', {}, s.headers)).body.data?.me.roles).toEqual(
        ['ADMIN'],
      );
      expect(TEST_ADMIN.email).not.toBe('admin@siqian.local');
    } finally {
      write.mockRestore();
      await t.close();
    }
  });
});
