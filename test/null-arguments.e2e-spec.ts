/**
 * Explicit `null` is ordinary GraphQL (Apollo Client and code generators send it for every unset variable):
 * for an optional argument or input field it must mean what leaving it out means. The sweep walks the schema
 * (tes./support/schema-slots.ts), so a field added later is swept too; the connection fields are also checked
 * by hand, over HTTP and WebSocket, with real cursors and bad ones.
 */
import { randomBytes } from 'node:crypto';
import { INTROSPECTION_QUERY, IntroSchema } from './support/schema-calls';
import { apiSamples, Call, nullCases, NullCase } from './support/schema-slots';
import { submitReportId, waitClusters } from './support/staff';
import { GqlResponse, LoggedIn, loginAsAdmin, startTestApp, subscribeOnce, TestApp } from './support/test-app';

type Errors = NonNullable<GqlResponse['body']['errors']>;
const API_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
]);
const PASSWORD = 'null-sweep-password-123';
const uniq = randomBytes(3).toString('hex');

/** Why an answer is wrong: an error without one of our typed codes (INTERNAL included). */
const untyped = (errors: Errors | undefined) =>
  (errors ?? []).filter((e) => !API_CODES.has(String(e.extensions?.code)));

describe('explicit null for optional arguments', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let userId: string;
  let reportIds: string[];
  let clusterId: string;

  beforeAll(async () => {
    t = await startTestApp({
      DEGREE_CAPS: 'PHONE=2',
      SUBMIT_RATE_PER_IP: '100000',
      SUBMIT_RATE_PER_REPORTER: '100000',
      LOOKUP_RATE_PER_IP: '100000',
    });
    admin = await loginAsAdmin(t);
    const created = await t.gql<{ createUser: { id: string } }>(
      'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
      {
        i: {
          email: `sweep-${uniq}@siqian.test`,
          displayName: 'Sweep',
          password: PASSWORD,
          roles: ['INVESTIGATOR'],
          unitCodes: ['DG01'],
        },
      },
      admin.headers,
    );
    userId = created.body.data?.createUser.id as string;
    // a cluster of three (a shared WeChat id) and a phone over its cap of 2 (a hub for hubIdentifiers)
    const wechat = { kind: 'WECHAT_ID', value: `sweep_${uniq}` };
    const hub = { kind: 'PHONE', value: `1391${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}` };
    reportIds = [];
    for (let i = 0; i < 3; i++) reportIds.push(await submitReportId(t, [wechat, hub], { loss: String(10 + i) }));
    [clusterId] = await waitClusters(t, admin, reportIds);
    // an entry of the judgement log
    const link = await t.gql(
      'mutation($a: ID!, $b: ID!) { linkReports(fromReportId: $a, toReportId: $b, reason: "same script") { id } }',
      { a: reportIds[0], b: reportIds[1] },
      admin.headers,
    );
    expect(link.body.errors).toBeUndefined();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('the eight connection fields take after: null, inline, as a variable and over WebSocket', () => {
    /** [label, field path to the connection, document with `AFTER` where the argument goes] */
    const CONNECTIONS: [string, string[], (after: string) => string][] = [
      ['reports', ['reports'], (a) => `reports(first: 100${a}) { CONN }`],
      ['reports(filter:{clusterId})', ['reports'], (a) => `reports(first: 2, filter: { clusterId: $c }${a}) { CONN }`],
      ['clusters', ['clusters'], (a) => `clusters(first: 100${a}) { CONN }`],
      ['Cluster.reports', ['cluster', 'reports'], (a) => `cluster(id: $c) { reports(first: 2${a}) { CONN } }`],
      ['hubIdentifiers', ['hubIdentifiers'], (a) => `hubIdentifiers(first: 100${a}) { CONN }`],
      ['linkJudgements', ['linkJudgements'], (a) => `linkJudgements(first: 100${a}) { CONN }`],
      ['auditLog', ['auditLog'], (a) => `auditLog(first: 2${a}) { CONN }`],
      ['users', ['users'], (a) => `users(first: 1${a}) { CONN }`],
    ];
    const CONN = 'totalCount edges { cursor } pageInfo { hasNextPage endCursor }';
    const usesC = (doc: string) => doc.includes('$c');
    const query = (build: (a: string) => string, after: string, withVar: boolean) => {
      const body = build(after).replace('CONN', CONN);
      const decls = [usesC(body) ? '$c: ID!' : '', withVar ? '$after: String' : ''].filter(Boolean);
      return `query${decls.length ? `(${decls.join(', ')})` : ''} { ${body} }`;
    };
    interface Conn {
      totalCount: number;
      edges: { cursor: string }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    }
    const connAt = (data: unknown, path: string[]): Conn | undefined =>
      path.reduce<unknown>((d, k) => (d as Record<string, unknown> | undefined)?.[k], data) as Conn | undefined;

    it.each(CONNECTIONS)('%s', async (_label, path, build) => {
      const vars = { c: clusterId };
      const inline = await t.gql(query(build, ', after: null', false), vars, admin.headers);
      expect(inline.body.errors).toBeUndefined();
      const first = connAt(inline.body.data, path) as Conn;
      expect(first.totalCount).toBeGreaterThan(0);

      const asVariable = await t.gql(query(build, ', after: $after', true), { ...vars, after: null }, admin.headers);
      expect(asVariable.body.errors).toBeUndefined();
      expect(connAt(asVariable.body.data, path)).toEqual(first);

      const overWs = await subscribeOnce(t.ws(admin.connectionParams), query(build, ', after: $after', true), 10_000, {
        ...vars,
        after: null,
      });
      expect(overWs.errors).toBeUndefined();
      expect(connAt(overWs.data, path)).toEqual(first);

      // the cursor it gave leads on; a cursor that is not one of ours is the client's error, with one code
      if (first.pageInfo.hasNextPage) {
        const next = await t.gql(
          query(build, ', after: $after', true),
          { ...vars, after: first.pageInfo.endCursor },
          admin.headers,
        );
        expect(next.body.errors).toBeUndefined();
        expect(connAt(next.body.data, path)?.edges[0].cursor).not.toBe(first.edges[0].cursor);
      }
      for (const bad of ['', 'not a cursor', '%%%', 'AAAA', 'x'.repeat(401)]) {
        const res = await t.gql(query(build, ', after: $after', true), { ...vars, after: bad }, admin.headers);
        expect(res.body.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          reason: bad.length > 400 ? 'VALIDATION_FAILED' : 'BAD_CURSOR',
          field: 'after',
        });
        expect(res.body.errors?.[0]?.message).not.toContain('x'.repeat(401));
      }
    });
  });

  describe('every optional argument and input field of the schema (walked)', () => {
    let cases: NullCase[];

    beforeAll(async () => {
      const res = await t.gql<{ __schema: IntroSchema }>(INTROSPECTION_QUERY);
      cases = nullCases(
        res.body.data?.__schema as IntroSchema,
        apiSamples({ userId, clusterId, reportId: reportIds[0], password: PASSWORD, emailTag: uniq }),
      );
    });

    interface Outcome {
      errors?: Errors;
      /** The field holding the slot answered (not null, no error). */
      reached: boolean;
    }
    const run = async (c: NullCase, call: Call): Promise<Outcome> => {
      if (c.operation === 'subscription') {
        const res = await subscribeOnce(t.ws(admin.connectionParams), call.query, 1000, call.variables);
        // a subscription that is running sends nothing until an event: accepted
        if (res.closeCode) return { errors: [{ message: `closed ${res.closeCode}` }], reached: false };
        return { errors: res.errors, reached: res.timedOut === true };
      }
      const res = await t.gql(call.query, call.variables, admin.headers);
      let at: unknown = res.body.data;
      for (const k of c.path) at = Array.isArray(at) ? at[0]?.[k] : (at as Record<string, unknown> | null)?.[k];
      return { errors: res.body.errors, reached: !res.body.errors && at !== null && at !== undefined };
    };

    it('walks the schema (sanity: the known slots are there)', () => {
      const labels = cases.map((c) => c.label);
      for (const l of [
        'Query.reports(after)',
        'Query.reports(filter.clusterId)',
        'Query.clusters(filter.minSize)',
        'Query.users(filter.includeDisabled)',
        'Query.auditLog(filter.from)',
        'Query.caseGraph(root.identifier.kind)',
        'Query.lookup(kind)',
        'Cluster.reports(after)',
        'Mutation.submitReport(input.narrative)',
        'Mutation.submitReport(input.identifiers.kind)',
        'Mutation.createUser(input.reason)',
        'Mutation.requestPing(message)',
        'Subscription.clusterUpdated(regionCode)',
        'Subscription.pingCompleted(id)',
      ])
        expect(labels).toContain(l);
    });

    it('answers every null with data or a typed error, and as if it were left out', async () => {
      const wrong: string[] = [];
      const reachedTwins: string[] = [];
      for (const c of cases) {
        const omitted = await run(c, c.omitted);
        if (omitted.reached) reachedTwins.push(c.label);
        for (const [how, call] of [
          ['inline', c.inline],
          ['variable', c.variable],
        ] as const) {
          const got = await run(c, call);
          const bad = untyped(got.errors);
          if (bad.length) wrong.push(`${c.label} ${how}: ${JSON.stringify(bad)}`);
          else if (!c.nonNull && omitted.reached && !got.reached)
            wrong.push(`${c.label} ${how}: left out it works, null gives ${JSON.stringify(got.errors)}`);
        }
      }
      expect(wrong).toEqual([]);
      // the sweep reached the fields it is about (else it would prove nothing)
      for (const l of [
        'Query.reports(after)',
        'Query.clusters(filter.minSize)',
        'Query.caseGraph(root.reportId)',
        'Cluster.reports(after)',
        'Query.users(filter.includeDisabled)',
        'Mutation.submitReport(input.narrative)',
        'Mutation.createUser(input.reason)',
        'Mutation.setUserRoles(input.reason)',
        'Subscription.clusterUpdated(regionCode)',
      ])
        expect(reachedTwins).toContain(l);
    }, 300_000);
  });
});
