import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportService } from '../src/imports/import.service';
import { generateReports } from '../src/imports/synthetic';
import { ReclusterService } from '../src/linking/recluster.service';
import { ImportedReportsService } from '../src/imports/imported-reports.service';
import { storeOf } from './support/reports';
import { startTestApp, TestApp } from './support/test-app';
import { NO_FINDINGS, verifyFindings } from './support/verify';

jest.setTimeout(600_000);

interface Counts {
  reportCount: number;
  reporterCount: number;
  lossFen: number;
  fraudTypes: Record<string, number>;
}

/** The lookup statistics recomputed from the stored reports, independently of how imports count them. */
async function countsFromReports(t: TestApp): Promise<Map<string, Counts>> {
  const out = new Map<string, Counts>();
  const reporters = new Map<string, Set<string>>();
  const cursor = storeOf(t)
    .collection('reports')
    .find({}, { projection: { identifiers: 1, reporterKey: 1, lossFen: 1, fraudType: 1, repeatOf: 1 } });
  for await (const r of cursor) {
    if (r.repeatOf) continue;
    const ids = r.identifiers as { key: string; warninglisted?: true }[];
    for (const key of new Set(ids.filter((i) => !i.warninglisted).map((i) => i.key))) {
      const c = out.get(key) ?? { reportCount: 0, reporterCount: 0, lossFen: 0, fraudTypes: {} };
      c.reportCount += 1;
      c.lossFen += r.lossFen as number;
      c.fraudTypes[r.fraudType as string] = (c.fraudTypes[r.fraudType as string] ?? 0) + 1;
      const seen = reporters.get(key) ?? new Set<string>();
      if (!seen.has(r.reporterKey as string)) c.reporterCount += 1;
      seen.add(r.reporterKey as string);
      reporters.set(key, seen);
      out.set(key, c);
    }
  }
  return out;
}

/** The same fields of every stored identifier_stats document. */
async function storedCounts(t: TestApp): Promise<Map<string, Counts>> {
  const out = new Map<string, Counts>();
  for await (const s of storeOf(t).collection('identifier_stats').find({})) {
    const { reportCount, reporterCount, lossFen, fraudTypes } = s as unknown as Counts;
    out.set(String(s._id), { reportCount, reporterCount, lossFen, fraudTypes });
  }
  return out;
}

function generatedFile(reports: number, seed: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'siqian-recovery-')), `gen-${seed}.jsonl`);
  const lines = [...generateReports({ reports, seed, until: new Date() })].map((r) => JSON.stringify(r));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const runs = (t: TestApp) => storeOf(t).collection<{ _id: string; state: string }>('import_runs').find({}).toArray();

describe('import runs: a run that dies is recovered by the next import, counted once and linked', () => {
  let t: TestApp;
  let imports: ImportService;

  beforeAll(async () => {
    t = await startTestApp();
    imports = t.app.get(ImportService);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a run stopped after inserting part of its file: the next import counts and links what it inserted', async () => {
    const file = generatedFile(2_000, 5);
    await expect(
      imports.run('jsonl', file, {
        batchSize: 250,
        onProgress: (p) => {
          // the outcome of the fourth batch (the fifth is being read: one insert is in flight at a time)
          if (p.phase === 'insert' && p.rows >= 1_250) throw new Error('stopped');
        },
      }),
    ).rejects.toThrow('stopped');
    expect(await storeOf(t).collection('reports').countDocuments({})).toBe(1_000);
    expect(await storeOf(t).collection('identifier_stats').countDocuments({})).toBe(0);
    const [dead] = await runs(t);
    expect(dead).toMatchObject({ state: 'COUNTING', rounds: 0, counted: 0 });

    const s = await imports.run('jsonl', file);
    expect(s.recovered).toEqual([
      { run: dead._id, source: 'jsonl', file: 'gen-5.jsonl', reports: 1_000, counted: 1_000 },
    ]);
    expect({ imported: s.imported, alreadyPresent: s.alreadyPresent, indexed: s.indexed }).toEqual({
      imported: 1_000,
      alreadyPresent: 1_000,
      indexed: 1_000,
    });
    const want = await countsFromReports(t);
    expect(want.size).toBeGreaterThan(100);
    expect(await storedCounts(t)).toEqual(want);
    expect((await runs(t)).map((r) => r.state)).toEqual(['DONE', 'DONE']);
    expect(verifyFindings(await t.app.get(ReclusterService).verify())).toEqual(NO_FINDINGS);
  });

  it('a run stopped while adding its counts: the recovery adds the rest, nothing twice', async () => {
    const file = generatedFile(4_000, 6);
    const before = await storeOf(t).collection('identifier_stats').countDocuments({});
    await expect(
      imports.run('jsonl', file, {
        onProgress: (p) => {
          if (p.phase === 'index') throw new Error('stopped while counting');
        },
      }),
    ).rejects.toThrow('stopped while counting');
    // the first thousand identifiers of the round are in, the rest not
    const partial = await storeOf(t).collection('identifier_stats').countDocuments({});
    expect(partial).toBeGreaterThan(before);
    expect(await storedCounts(t)).not.toEqual(await countsFromReports(t));

    const s = await imports.run('jsonl', generatedFile(1, 7));
    expect(s.recovered).toHaveLength(1);
    expect(s.recovered[0]).toMatchObject({ reports: 4_000, counted: 4_000 });
    expect(await storeOf(t).collection('identifier_stats').countDocuments({})).toBeGreaterThan(partial);
    expect(await storedCounts(t)).toEqual(await countsFromReports(t));
    expect(verifyFindings(await t.app.get(ReclusterService).verify())).toEqual(NO_FINDINGS);
  });

  it('a run counted in several rounds and stopped in one of them: the recovery counts that round only', async () => {
    const file = generatedFile(2_000, 10);
    // rounds of 500 identifiers: one or more are counted and recorded while the file is read; the run stops
    // once the round in progress holds at least 200 inserted reports (rows read include the batch being read)
    await expect(
      imports.run('jsonl', file, {
        batchSize: 100,
        roundKeys: 500,
        onProgress: (p) => {
          if (p.phase === 'insert' && p.indexed > 0 && p.rows - p.indexed >= 300) throw new Error('stopped in a round');
        },
      }),
    ).rejects.toThrow('stopped in a round');
    const dead = (await runs(t)).find((r) => r.state !== 'DONE') as unknown as {
      _id: string;
      rounds: number;
      counted: number;
    };
    const inserted = await storeOf(t).collection('reports').countDocuments({ importRun: dead._id });
    expect(dead.rounds).toBeGreaterThanOrEqual(1);
    expect(dead.counted).toBeGreaterThan(0);
    expect(dead.counted).toBeLessThan(inserted);

    const s = await imports.run('jsonl', generatedFile(1, 11));
    expect(s.recovered).toEqual([
      expect.objectContaining({ run: dead._id, reports: inserted, counted: inserted - dead.counted }),
    ]);
    expect(await storedCounts(t)).toEqual(await countsFromReports(t));
    expect(verifyFindings(await t.app.get(ReclusterService).verify())).toEqual(NO_FINDINGS);
  });

  it('a run that holds its lease is left alone; once it lets go, the next import recovers it', async () => {
    const service = t.app.get(ImportedReportsService);
    const alive = await service.startRun('jsonl', 'alive.jsonl');
    const s = await imports.run('jsonl', generatedFile(1, 8));
    expect(s.recovered).toEqual([]);
    await service.abandon(alive);
    const after = await imports.run('jsonl', generatedFile(1, 9));
    expect(after.recovered).toEqual([{ run: alive.id, source: 'jsonl', file: 'alive.jsonl', reports: 0, counted: 0 }]);
    expect((await runs(t)).every((r) => r.state === 'DONE')).toBe(true);
  });
});
