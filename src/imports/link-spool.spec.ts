import { existsSync } from 'node:fs';
import type { LinkableReportRecord } from '../reports/linked-reports.repository';
import type { LinkHold } from '../linking/linking.service';
import { LinkSpool } from './link-spool';

const record = (id: string, n: number): LinkableReportRecord => ({
  _id: id,
  source: 'jsonl',
  fraudType: 'FAKE_LOAN',
  channel: 'PHONE_CALL',
  occurredAt: new Date(Date.UTC(2026, 0, 1 + n)),
  regionCode: 'DG01',
  lossFen: n * 100,
  reporterKey: `c:${n}`,
  identifiers: [{ kind: 'PHONE', value: `+86138000${n}`, display: '138', key: `PHONE:+86138000${n}`, origin: 'TYPED' }],
  createdAt: new Date(Date.UTC(2026, 10, 28)),
});

async function all(holds: AsyncIterable<LinkHold>): Promise<LinkHold[]> {
  const out: LinkHold[] = [];
  for await (const h of holds) out.push(h);
  return out;
}

describe('LinkSpool', () => {
  it('gives back every id in order, in holds of the asked size, with the records of the fresh ones', async () => {
    const spool = new LinkSpool();
    try {
      // batch 1: r0..r4, of which r1 and r3 inserted; batch 2: r5..r6 and a repeated r1 (already present)
      await spool.add(['r0', 'r1', 'r2', 'r3', 'r4'], [record('r1', 1), record('r3', 3)]);
      await spool.add(['r5', 'r1', 'r6'], [record('r5', 5)]);
      expect(spool.size).toBe(8);
      const holds = await all(spool.holds(3));
      expect(holds.map((h) => h.ids)).toEqual([
        ['r0', 'r1', 'r2'],
        ['r3', 'r4', 'r5'],
        ['r1', 'r6'],
      ]);
      expect(holds.map((h) => [...(h.neverLinked ?? [])])).toEqual([['r1'], ['r3', 'r5'], []]);
      // the records come back equal, dates as Dates
      expect(holds[0].records?.get('r1')).toEqual(record('r1', 1));
      expect(holds[1].records?.get('r5')?.occurredAt).toBeInstanceOf(Date);
      expect(holds[2].records?.size).toBe(0);
    } finally {
      spool.dispose();
    }
  });

  it('removes its file on dispose, also when nothing was read back', async () => {
    const spool = new LinkSpool();
    await spool.add(['r0'], [record('r0', 0)]);
    const { dir, file } = spool as unknown as { dir: string; file: string };
    await new Promise((r) => setTimeout(r, 50)); // the write stream opens its file asynchronously
    expect(existsSync(file)).toBe(true);
    spool.dispose();
    expect(existsSync(dir)).toBe(false);
  });
});
