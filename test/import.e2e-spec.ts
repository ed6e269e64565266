import { parse } from 'csv-parse/sync';
import yaml from 'js-yaml';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeIdentifier } from '../src/identifiers';
import { PiiCipher } from '../src/common/crypto/pii-cipher';
import { importDoc, ImportOptionError, ImportService, ImportSummary } from '../src/imports/import.service';
import { parseEtherScamDb } from '../src/imports/parsers/etherscamdb';
import type { ReportRecord } from '../src/reports/reports.repository';
import { generateReports } from '../src/imports/synthetic';
import { LOOKUP, storeOf } from './support/reports';
import { cliOf } from './support/cli';
import { startTestApp, TestApp } from './support/test-app';

// The three real files are imported and linked in bulk on the embedded store: on 2 shared cores one import
// took over 120 s in CI (a timed-out import then skews the re-import test), so each test gets 10 minutes.
jest.setTimeout(600_000);

const DATA = process.env.SHARED_DATA_DIR ?? join(__dirname, '..', '..', 'shared', 'data');
const DNC = join(DATA, 'dnc_complaint_numbers_2021-07-08.csv');
const TW165 = join(DATA, 'GetFromGovernmentInf_BankAccount.txt');
const SCAMS = join(DATA, 'scams.yaml');

/** What an import of records should come to, given each kept record's source id and content. */
interface Keyed {
  imported: number;
  alreadyPresent: number;
  duplicateIdDifferentContent: number;
}

/**
 * The import's keying rule, computed here on its own: a record is a report unless one with the same source id and
 * the same content came before; "duplicate id, different content" are the records whose id the first record of
 * that id holds with another content.
 */
function keyed(records: { ref: string; content: string }[]): Keyed {
  const firstContent = new Map<string, string>();
  const seen = new Set<string>();
  let other = 0;
  for (const { ref, content } of records) {
    if (!firstContent.has(ref)) firstContent.set(ref, content);
    else if (firstContent.get(ref) !== content) other++;
    seen.add(JSON.stringify([ref, content]));
  }
  return { imported: seen.size, alreadyPresent: records.length - seen.size, duplicateIdDifferentContent: other };
}

const splitOf = (s: ImportSummary) => ({
  read: s.read,
  imported: s.imported,
  alreadyPresent: s.alreadyPresent,
  duplicateIdDifferentContent: s.duplicateIdDifferentContent,
  rejected: s.rejectedCount,
});

/** The split of a small file's import without rejections (read, imported, already present, duplicate id). */
const small = (read: number, imported: number, alreadyPresent: number, duplicateIdDifferentContent: number) => ({
  read,
  imported,
  alreadyPresent,
  duplicateIdDifferentContent,
  rejected: 0,
});

/** Expected counts, derived from the files with the identifier library (its real-data spec pins those outcomes). */
function expectedDnc(): { rows: number; rejected: number; imported: number } {
  const text = readFileSync(DNC, 'utf8');
  const lines = text.split('\r\n').slice(1, -1);
  const rows = parse<Record<string, string>>(text, { columns: true, bom: true });
  expect(lines).toHaveLength(rows.length);
  const ok = rows.map(
    (r) => normalizeIdentifier({ kind: 'PHONE', value: r.Company_Phone_Number }, { defaultRegion: 'US' }).ok,
  );
  // byte-identical rows are one complaint (externalRef = hash of the row)
  const imported = new Set(lines.filter((_, i) => ok[i])).size;
  return { rows: rows.length, rejected: ok.filter((x) => !x).length, imported };
}

function expectedTw165(): { rows: number; rejected: number } & Keyed {
  const rows = readFileSync(TW165, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => l.split(','));
  const ok = rows.filter(
    ([account, , bic]) => normalizeIdentifier({ kind: 'BANK_ACCOUNT', value: account }, { bic }).ok,
  );
  // an entry is its account and BIC8 (DBSSSGSG = DBSSSGSGXXX); its content adds the category
  const bic8 = (bic: string) => bic.trim().toUpperCase().slice(0, 8);
  const split = keyed(
    ok.map(([account, category, bic]) => ({
      ref: `${account.trim()}:${bic8(bic)}`,
      content: `${account.trim()}|${category.trim()}|${bic8(bic)}`,
    })),
  );
  return { rows: rows.length, rejected: rows.length - ok.length, ...split };
}

interface Scam {
  id: number;
  url?: string;
  coin?: string;
  addresses?: unknown[];
}

/** The EtherScamDB records, and those the import keeps (a URL or an address the identifier library reads). */
function scamRecords(): { records: Scam[]; usable: Scam[] } {
  const records = yaml.load(readFileSync(SCAMS, 'utf8'), { schema: yaml.JSON_SCHEMA }) as Scam[];
  const usable = records.filter(
    (r) =>
      (typeof r.url === 'string' && normalizeIdentifier({ kind: 'URL', value: r.url }).ok) ||
      (r.addresses ?? []).some(
        (a) => normalizeIdentifier({ kind: 'CRYPTO_WALLET', value: String(a) }, { coin: r.coin }).ok,
      ),
  );
  return { records, usable };
}

function expectedScams(): { rows: number; rejected: number } & Keyed {
  const { records, usable } = scamRecords();
  // the file gives some ids to more than one record (id 4131: xn--myetherrwalet-5hc.net and idice.epizy.com):
  // each record is its content, whatever the order of its fields
  const split = keyed(usable.map((r) => ({ ref: String(r.id), content: JSON.stringify(Object.entries(r).sort()) })));
  return { rows: records.length, rejected: records.length - usable.length, ...split };
}

/** Source ids the file gives to more than one record, with how many records (of `records`) each has. */
function sharedIds(records: Scam[]): Map<number, number> {
  const n = new Map<number, number>();
  for (const r of records) n.set(r.id, (n.get(r.id) ?? 0) + 1);
  return new Map([...n].filter(([, c]) => c > 1));
}

/** A small EtherScamDB file: one top-level list, each item from column 0 (as the real file is). */
function scamsFile(records: Record<string, unknown>[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'siqian-scams-')), 'scams.yaml');
  writeFileSync(file, records.map((r) => yaml.dump([r])).join(''));
  return file;
}

const SCAM = (id: number, host: string) => ({
  id,
  name: host,
  url: `http://${host}`,
  coin: 'ETH',
  category: 'Phishing',
  subcategory: 'MyEtherWallet',
  description: `Fake MyEtherWallet at ${host}`,
  reporter: 'MyCrypto',
});

describe('import of the three real files in ../shared/data, and of generated JSONL', () => {
  let t: TestApp;
  let imports: ImportService;
  const first: Record<string, ImportSummary> = {};

  beforeAll(async () => {
    t = await startTestApp({ LOOKUP_RATE_PER_IP: '10000' });
    imports = t.app.get(ImportService);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('ftc-dnc: imports every usable complaint, rejects the rest with line numbers and reasons', async () => {
    const want = expectedDnc();
    expect(want).toEqual({ rows: 14034, rejected: 924, imported: 13109 }); // 13,110 valid phones; one byte-identical row pair
    const s = await imports.run('ftc-dnc', DNC);
    first.dnc = s;
    expect(splitOf(s)).toEqual({
      read: want.rows,
      imported: want.imported,
      alreadyPresent: 1,
      duplicateIdDifferentContent: 0, // its source id is a digest of the whole row
      rejected: want.rejected,
    });
    expect(s.indexed).toBe(want.imported);
    expect(s.rejected.filter((r) => /EMPTY/.test(r.reason))).toHaveLength(669);
    for (const r of s.rejected) expect(r.line).toBeGreaterThan(1);
    const blank = s.rejected.find((r) => /EMPTY/.test(r.reason));
    expect(readFileSync(DNC, 'utf8').split('\r\n')[(blank?.line ?? 0) - 1].startsWith(',')).toBe(true);
  });

  it('after the DNC import, lookup("+1 315-232-8257") answers the band of its 42 complaints', async () => {
    const res = await t.gql<{
      lookup: { identifier: { value: string }; reportCountBand: string; riskLevel: string; fraudTypes: string[] };
    }>(LOOKUP, {
      value: '+1 315-232-8257',
    });
    expect(res.body.data?.lookup).toMatchObject({
      identifier: { value: '+13152328257' },
      reportCountBand: '20-99',
      fraudTypes: ['OTHER'],
    });
    const stats = await storeOf(t)
      .collection('identifier_stats')
      .findOne({ _id: 'PHONE:+13152328257' as never });
    expect(stats).toMatchObject({ reportCount: 42, reporterCount: 42, weightedReporters: 21 });
  });

  it('tw165: maps all 32 categories, collapses BIC8/BIC11 spellings of one entry, keeps an account listed under two categories twice', async () => {
    const want = expectedTw165();
    const s = await imports.run('tw165', TW165);
    first.tw165 = s;
    process.stdout.write(`tw165: ${JSON.stringify(splitOf(s))}\n`);
    expect(splitOf(s)).toEqual({
      read: want.rows,
      imported: want.imported,
      alreadyPresent: want.alreadyPresent,
      duplicateIdDifferentContent: want.duplicateIdDifferentContent,
      rejected: want.rejected,
    });
    expect(want.duplicateIdDifferentContent).toBeGreaterThan(0);
    expect(
      s.rejected.every((r) => /^account: BANK_ACCOUNT (INVALID_BIC|BAD_CHECKSUM|UNKNOWN_FORMAT)$/.test(r.reason)),
    ).toBe(true);
    const dbs = await storeOf(t)
      .collection('reports')
      .findOne({ _id: 'tw165:0003012847013022:DBSSSGSG' as never });
    expect(dbs).toMatchObject({
      source: 'tw165',
      regionCode: 'EXTERNAL',
      identifiers: [expect.objectContaining({ key: 'BANK_ACCOUNT:DBSSSGSG:0003012847013022' })],
    });
  });

  it('etherscamdb: every record with an identifier is a report, ids shared by different records included', async () => {
    const { records, usable } = scamRecords();
    // the file's own facts: 6,912 records, all of distinct content, 24 ids given to 49 of them
    const shared = sharedIds(records);
    expect({
      records: records.length,
      sharedIds: shared.size,
      sharing: [...shared.values()].reduce((a, b) => a + b, 0),
    }).toEqual({ records: 6912, sharedIds: 24, sharing: 49 });
    const want = expectedScams();
    expect(want.alreadyPresent).toBe(0); // no two records have the same content
    // every record carries an identifier (the 152 once rejected for a URL on a retired TLD are kept)
    expect({ rejected: want.rejected, imported: want.imported }).toEqual({ rejected: 0, imported: 6912 });
    const s = await imports.run('etherscamdb', SCAMS);
    first.scams = s;
    process.stdout.write(`etherscamdb: ${JSON.stringify(splitOf(s))}\n`);
    expect(splitOf(s)).toEqual({
      read: 6912,
      imported: want.imported,
      alreadyPresent: 0,
      duplicateIdDifferentContent: want.duplicateIdDifferentContent,
      rejected: want.rejected,
    });
    // said in the summary: 153 records keep a URL without a DOMAIN, one a wallet no check knows (Cardano)
    expect(s.notices).toEqual({ URL_WITHOUT_DOMAIN: 153, WALLET_NOT_VALIDATED: 1 });
    const abarth = await storeOf(t).collection('reports').findOne({ 'original.url': 'http://myetherwallet.abarth' });
    expect(abarth?.identifiers).toEqual([expect.objectContaining({ key: 'URL:https://myetherwallet.abarth' })]);
    expect(abarth?.warnings.join(' ')).toMatch(/no DOMAIN is derived/);
    // the NEO address of 19 records is counted once per record
    const neo = await storeOf(t)
      .collection('identifier_stats')
      .findOne({ _id: 'CRYPTO_WALLET:ATVMaR3SXKRBtwCNgPjV5k2YzEgzMDYeaf' as never });
    expect(neo).toMatchObject({ reportCount: 19 });
    // the kept records of the shared ids: one report each
    const keptShared = usable.filter((r) => shared.has(r.id));
    const stored = await storeOf(t)
      .collection('reports')
      .find({ source: 'etherscamdb', externalRef: { $in: [...shared.keys()].map(String) } })
      .toArray();
    expect(stored).toHaveLength(keptShared.length);
    expect(new Set(stored.map((r) => r._id)).size).toBe(keptShared.length);
    expect(want.duplicateIdDifferentContent).toBe(keptShared.length - sharedIds(keptShared).size);
    // idice.epizy.com is only in the second record of id 4131: it was lost when the first took the id
    const idice = await t.gql<{ lookup: { reportCountBand: string } }>(LOOKUP, { value: 'http://idice.epizy.com' });
    expect(idice.body.data?.lookup.reportCountBand).toBe('<5');
  });

  it('etherscamdb: the URL and all addresses of a record are its identifiers; the twitter.com trap is warninglisted', async () => {
    const twitter = await storeOf(t)
      .collection('identifier_stats')
      .findOne({ _id: 'DOMAIN:twitter.com' as never });
    expect(twitter).toBeNull();
    const look = await t.gql<{ lookup: { riskLevel: string; note: string } }>(LOOKUP, { value: 'twitter.com' });
    expect(look.body.data?.lookup.riskLevel).toBe('NONE');
  });

  // one test per file: a re-import reads back every report already present (to compare contents), and each
  // file's re-import gets the whole timeout on a busy machine
  it.each([
    ['ftc-dnc', DNC, 'dnc'],
    ['tw165', TW165, 'tw165'],
    ['etherscamdb', SCAMS, 'scams'],
  ] as const)('re-importing %s adds nothing', async (format, file, key) => {
    const reports = storeOf(t).collection('reports');
    const before = await reports.countDocuments({});
    const statsOf = () =>
      storeOf(t)
        .collection('identifier_stats')
        .findOne({ _id: 'PHONE:+13152328257' as never });
    const statsBefore = await statsOf();
    const s = await imports.run(format, file);
    process.stdout.write(`re-import ${format}: ${JSON.stringify(splitOf(s))}\n`);
    expect(splitOf(s)).toEqual({
      ...splitOf(first[key]),
      imported: 0,
      alreadyPresent: first[key].imported + first[key].alreadyPresent,
    });
    expect(s.indexed).toBe(0);
    expect(await reports.countDocuments({})).toBe(before);
    expect((await statsOf())?.reportCount).toBe(statsBefore?.reportCount);
  });

  it('jsonl: generated reports import once; bad lines are rejected with their line number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siqian-jsonl-'));
    const file = join(dir, 'gen.jsonl');
    const lines = [...generateReports({ reports: 300, seed: 42, until: new Date() })].map((r) => JSON.stringify(r));
    lines.splice(
      10,
      0,
      '{not json',
      JSON.stringify({ fraudType: 'FAKE_LOAN' }),
      JSON.stringify({ ...JSON.parse(lines[0]), loss: '1e9', clientRequestId: 'x' }),
    );
    writeFileSync(file, `${lines.join('\n')}\n`);
    const s = await imports.run('jsonl', file);
    expect({ imported: s.imported, rejected: s.rejectedCount }).toEqual({ imported: 300, rejected: 3 });
    expect(s.rejected.map((r) => r.line)).toEqual([11, 12, 13]);
    expect(s.rejected[1].reason).toMatch(/input.channel/);
    expect(s.rejected[2].reason).toMatch(/input.loss/);
    const again = await imports.run('jsonl', file);
    expect({ imported: again.imported, alreadyPresent: again.alreadyPresent }).toEqual({
      imported: 0,
      alreadyPresent: 300,
    });
  });

  describe('imported reports are keyed on the source id and the content; an import may name a region', () => {
    const reports = () => storeOf(t).collection<ReportRecord>('reports');

    it('a store imported before reports carried a digest: a re-import adds only the records the old key lost', async () => {
      const [a, b, c] = [
        SCAM(990001, 'siqian-e2e-legacy-a.com'),
        SCAM(990001, 'siqian-e2e-legacy-b.com'),
        SCAM(990002, 'siqian-e2e-legacy-c.com'),
      ];
      const file = scamsFile([a, b, c]);
      // what the import kept before digests: the first record of each id under `etherscamdb:<id>`, without a digest
      const cipher = t.app.get(PiiCipher);
      const now = new Date();
      const legacy: ReportRecord[] = [];
      for await (const rec of parseEtherScamDb(file))
        if ('row' in rec && rec.row.original.name !== b.name) {
          const { contentDigest: _digest, ...doc } = importDoc('etherscamdb', rec.row, now, cipher);
          legacy.push(doc);
        }
      expect(legacy.map((d) => d._id)).toEqual(['etherscamdb:990001', 'etherscamdb:990002']);
      await reports().insertMany(legacy);

      const s = await imports.run('etherscamdb', file);
      expect(splitOf(s)).toEqual(small(3, 1, 2, 1));
      const of990001 = await reports()
        .find({ externalRef: '990001' }, { projection: { _id: 1, 'original.name': 1, reporterKey: 1 } })
        .toArray();
      expect(of990001).toHaveLength(2);
      const second = of990001.find((d) => String(d._id) !== 'etherscamdb:990001');
      expect(second?._id).toMatch(/^etherscamdb:990001~[0-9a-f]{16}$/);
      expect(second).toMatchObject({ original: { name: b.name }, reporterKey: second?._id }); // its own reporter
      const look = await t.gql<{ lookup: { reportCountBand: string } }>(LOOKUP, { value: 'siqian-e2e-legacy-b.com' });
      expect(look.body.data?.lookup.reportCountBand).toBe('<5');

      const again = await imports.run('etherscamdb', file);
      expect(splitOf(again)).toEqual(small(3, 0, 3, 1));
      expect(await reports().countDocuments({ externalRef: { $in: ['990001', '990002'] } })).toBe(3);
    });

    it('the same rule in one batch and in any field order: the same content once, another content apart', async () => {
      const [a, b] = [SCAM(990101, 'siqian-e2e-batch-a.com'), SCAM(990101, 'siqian-e2e-batch-b.com')];
      const reordered = Object.fromEntries(Object.entries(a).reverse());
      const file = scamsFile([a, b, reordered, b]);
      const s = await imports.run('etherscamdb', file);
      // b twice: both hold id 990101 with another content than a, the second is b already present
      expect(splitOf(s)).toEqual(small(4, 2, 2, 2));
      expect(await reports().countDocuments({ externalRef: '990101' })).toBe(2);
    });

    it('jsonl: two rows with one clientRequestId and different contents are two reports; a re-import adds none', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'siqian-jsonl-')), 'same-id.jsonl');
      const [row] = [...generateReports({ reports: 1, seed: 7, until: new Date() })];
      const lines = [
        { ...row, clientRequestId: 'partner-42', narrative: '对方自称客服，让我转账到安全账户' },
        { ...row, clientRequestId: 'partner-42', narrative: '对方自称公安，让我转账到安全账户' },
      ];
      writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      const s = await imports.run('jsonl', file);
      expect(splitOf(s)).toEqual(small(2, 2, 0, 1));
      const again = await imports.run('jsonl', file);
      expect(splitOf(again)).toEqual(small(2, 0, 2, 1));
    });

    it('report text of every format is stored without bidi controls, as submitReport stores it; the original keeps them', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'siqian-bidi-'));
      const jsonl = join(dir, 'bidi.jsonl');
      const [row] = [...generateReports({ reports: 1, seed: 11, until: new Date() })];
      writeFileSync(jsonl, `${JSON.stringify({ ...row, narrative: '点开\u202Egnp.exe\u202C 就被骗了' })}\n`);
      expect((await imports.run('jsonl', jsonl)).imported).toBe(1);
      const scam = { ...SCAM(990401, 'siqian-e2e-bidi.com'), description: 'fake wallet \u2066site\u2069' };
      expect((await imports.run('etherscamdb', scamsFile([scam]))).imported).toBe(1);
      const stored = await reports()
        .find({ $or: [{ externalRef: '990401' }, { narrative: { $regex: '就被骗了' } }] })
        .toArray();
      expect(stored).toHaveLength(2);
      for (const d of stored) expect(d.narrative).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
      expect(stored.map((d) => d.narrative)).toEqual(
        expect.arrayContaining(['点开gnp.exe 就被骗了', expect.stringContaining('fake wallet site')]),
      );
      expect(JSON.stringify(stored.find((d) => d.externalRef === '990401')?.original)).toContain('\u2066');
    });

    it('--region files the reports under a reference region; an unknown region, or one for jsonl, is refused before anything is written', async () => {
      const file = scamsFile([SCAM(990201, 'siqian-e2e-region-a.com'), SCAM(990202, 'siqian-e2e-region-b.com')]);
      const runs = () => storeOf(t).collection('import_runs').countDocuments({});
      const before = await runs();
      await expect(imports.run('etherscamdb', file, { regionCode: 'XX99' })).rejects.toThrow(
        new ImportOptionError('unknown region "XX99": use a region code of the reference list (query regions)'),
      );
      await expect(imports.run('jsonl', file, { regionCode: 'DG05' })).rejects.toThrow(/jsonl import takes no region/);
      expect(await runs()).toBe(before);

      const s = await imports.run('etherscamdb', file, { regionCode: 'DG05' });
      expect({ imported: s.imported, regionCode: s.regionCode }).toEqual({ imported: 2, regionCode: 'DG05' });
      expect(await reports().distinct('regionCode', { externalRef: { $in: ['990201', '990202'] } })).toEqual(['DG05']);
      // the region is not part of a report's key: imported again elsewhere, nothing is added or moved
      const again = await imports.run('etherscamdb', file, { regionCode: 'DG06' });
      expect({ imported: again.imported, alreadyPresent: again.alreadyPresent }).toEqual({
        imported: 0,
        alreadyPresent: 2,
      });
      expect(await reports().distinct('regionCode', { externalRef: { $in: ['990201', '990202'] } })).toEqual(['DG05']);
      // an explicit null is the default
      const external = await imports.run('etherscamdb', scamsFile([SCAM(990203, 'siqian-e2e-region-c.com')]), {
        regionCode: null,
      });
      expect(external.regionCode).toBe('EXTERNAL');
      expect(await reports().findOne({ externalRef: '990203' })).toMatchObject({ regionCode: 'EXTERNAL' });
    });

    it('siqian import --region: the command line files under the region and prints the summary; a bad region exits 1', async () => {
      const file = scamsFile([SCAM(990301, 'siqian-e2e-cli-a.com'), SCAM(990301, 'siqian-e2e-cli-b.com')]);
      const cli = cliOf(t);
      const bad = await cli('import', '--format', 'etherscamdb', '--region', 'DG99', '--no-progress', file);
      expect({ status: bad.status, stderr: bad.stderr.trim() }).toEqual({
        status: 1,
        stderr: 'siqian: unknown region "DG99": use a region code of the reference list (query regions)',
      });
      const ok = await cli('import', '--format', 'etherscamdb', '--region', 'DG07', '--no-progress', file);
      expect(ok.status).toBe(0);
      expect(ok.stdout).toMatch(/^ {2}imported: {8}2$/m);
      expect(ok.stdout).toMatch(/^ {2}duplicate id, different content: 1 /m);
      expect(ok.stdout).toMatch(/^ {2}region: {10}DG07$/m);
      expect(await reports().distinct('regionCode', { externalRef: '990301' })).toEqual(['DG07']);
    });
  });
});
