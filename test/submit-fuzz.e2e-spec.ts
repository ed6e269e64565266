import fc from 'fast-check';
import { countReports, SUBMIT } from './support/reports';
import { startTestApp, TestApp } from './support/test-app';

/** Hostile strings: NUL and control bytes, operator injection, emoji, RTL marks, nested JSON, huge, empty. */
const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.constantFrom(
    '{"$gt": ""}',
    '{"$ne": null}',
    '$where',
    '$gt',
    'a\u0000b',
    '\u0000',
    '13912345678\u0000',
    '\u202Eevil.com\u202C',
    '\u200F13912345678\u200E',
    '😈📞13912345678',
    '{"identifiers":[{"value":"13912345678"}]}',
    '"; db.dropDatabase(); //',
    '<script>alert(1)</script>',
    'http://evil.example.com/?q={"$gt":""}',
    '0x52908400098527886E0F7030069857D2E4169EE7',
    '110101199003074514',
    '95588',
    '\uD800',
    'DG01',
    '',
    ' ',
  ),
  fc.nat({ max: 20_000 }).map((n) => 'A'.repeat(n)),
);
/** Any JSON value, including operator-injection objects where a string is expected. */
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant({ $gt: '' }),
  fc.constant(['13912345678']),
  fc.jsonValue({ maxDepth: 3 }),
);
const anyValue = fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 1, arbitrary: wrongType });

const validBase = fc.record({
  fraudType: fc.constantFrom('FAKE_LOAN', 'ORDER_BRUSHING', 'OTHER'),
  channel: fc.constantFrom('PHONE_CALL', 'SMS', 'WECHAT'),
  occurredAt: fc.integer({ min: 1, max: 300 }).map((d) => new Date(Date.now() - d * 86_400_000).toISOString()),
  regionCode: fc.constantFrom('DG01', 'DG17', 'DG33'),
  identifiers: fc.array(
    fc.record({ value: fc.integer({ min: 0, max: 99_999_999 }).map((n) => `139${String(n).padStart(8, '0')}`) }),
    { minLength: 1, maxLength: 3 },
  ),
  narrative: fc.option(hostileString, { nil: undefined }),
  loss: fc.option(
    fc
      .integer({ min: 0, max: 10_000_000 })
      .map((fen) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`),
    {
      nil: undefined,
    },
  ),
  clientRequestId: fc.oneof(
    { weight: 9, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('crid-1', 'crid-2', 'crid-3') },
  ),
});
const FIELDS = [
  'fraudType',
  'channel',
  'occurredAt',
  'regionCode',
  'identifiers',
  'narrative',
  'loss',
  'paymentMethod',
  'victimAgeBand',
  'reporterContact',
  'clientRequestId',
  '$where',
];
/** A valid report with 0-3 fields replaced by hostile values (identifiers sometimes a list of hostile items). */
const hostileInput = fc
  .tuple(
    validBase,
    fc.oneof(
      { weight: 1, arbitrary: fc.constant([] as [string, unknown][]) },
      {
        weight: 2,
        arbitrary: fc.array(fc.tuple(fc.constantFrom(...FIELDS), anyValue), { minLength: 1, maxLength: 3 }),
      },
    ),
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.array(fc.record({ kind: fc.option(anyValue, { nil: undefined }), value: anyValue }), {
          maxLength: 25,
        }),
      },
    ),
  )
  .map(([base, mutations, ids]) => {
    const input: Record<string, unknown> = { ...base };
    for (const [k, v] of mutations) input[k] = v;
    if (ids) input.identifiers = ids;
    return input;
  });

const ALLOWED_CODES = new Set(['BAD_USER_INPUT', 'RATE_LIMITED', 'CONFLICT', 'QUERY_TOO_COMPLEX']);

describe('submitReport fuzz: >= 1,000 random and hostile inputs over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SUBMIT_RATE_PER_IP: '1000000', SUBMIT_RATE_PER_REPORTER: '1000000' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('never answers 500, always a receipt or a typed error, and stores exactly the accepted reports', async () => {
    const trackingCodes = new Set<string>();
    let runs = 0;
    let typedErrors = 0;
    await fc.assert(
      fc.asyncProperty(hostileInput, async (input) => {
        runs++;
        const res = await fetch(`${t.baseUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: SUBMIT, variables: { input } }),
        });
        expect(res.status).toBeLessThan(500);
        const body = (await res.json()) as {
          data?: { submitReport?: { trackingCode: string } } | null;
          errors?: { extensions?: { code?: string } }[];
        };
        const receipt = body.data?.submitReport;
        if (receipt) {
          expect(body.errors).toBeUndefined();
          expect(receipt.trackingCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
          trackingCodes.add(receipt.trackingCode);
        } else {
          expect(body.errors?.length).toBeGreaterThan(0);
          const code = body.errors?.[0].extensions?.code ?? 'none';
          if (!ALLOWED_CODES.has(code))
            throw new Error(`unexpected error code ${code}: ${JSON.stringify(body).slice(0, 500)}`);
          typedErrors++;
        }
      }),
      { numRuns: 1000, seed: Number(process.env.FUZZ_SEED ?? 20261127) },
    );
    expect(runs).toBeGreaterThanOrEqual(1000);
    // both outcomes were exercised
    expect(trackingCodes.size).toBeGreaterThan(50);
    expect(typedErrors).toBeGreaterThan(100);
    expect(await countReports(t)).toBe(trackingCodes.size);
  }, 300_000);
});
