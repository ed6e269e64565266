/**
 * Runs every line of the hand-written Chinese narrative corpus (narratives.zh.jsonl). Each line gives the text,
 * the exact hits expected as [kind, canonical value, source slice of the original text], the exact slices that
 * must be redacted (resident ID numbers), and substrings that must NOT become a hit (amounts, dates, times,
 * order numbers, codes ...). The hits found must equal the expected ones exactly — no more, no fewer.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { extractIdentifiers } from '../index';

interface Line {
  text: string;
  hits: [string, string, string][];
  redact: string[];
  not: string[];
}

const lines: Line[] = readFileSync(path.join(__dirname, 'narratives.zh.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Line);

function occurrences(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) out.push(i);
  return out;
}

describe('Chinese narrative corpus', () => {
  it('has at least 200 hand-written sentences covering every concern', () => {
    expect(lines.length).toBeGreaterThanOrEqual(200);
    expect(lines.filter((l) => l.redact.length > 0).length).toBeGreaterThanOrEqual(10);
    expect(lines.filter((l) => l.not.length > 0).length).toBeGreaterThanOrEqual(40);
    expect(lines.filter((l) => /[\uFF10-\uFF19]/.test(l.text)).length).toBeGreaterThanOrEqual(5);
    expect(lines.filter((l) => /微信|QQ|vx|VX|扣扣|企鹅|威信|薇信|V信/.test(l.text)).length).toBeGreaterThanOrEqual(20);
  });

  it.each(lines.map((l, i) => [i + 1, l.text, l] as const))('line %i: %s', (_n, text, line) => {
    const r = extractIdentifiers(text);
    const got = r.hits.map((h) => [h.kind, h.value, text.slice(h.start, h.end)].join(' | ')).sort();
    const want = line.hits.map((h) => h.join(' | ')).sort();
    expect(got).toEqual(want);
    for (const h of r.hits) expect(h.confidence).toBeLessThan(1);
    expect(r.redactions.map((x) => text.slice(x.start, x.end)).sort()).toEqual([...line.redact].sort());
    for (const red of line.redact) {
      expect(r.redactedText).not.toContain(red);
      expect(r.redactedText).toContain('*'.repeat(red.length));
    }
    expect(r.redactedText).toHaveLength(text.length);
    for (const n of line.not) {
      const occ = occurrences(text, n);
      expect(occ.length).toBeGreaterThan(0); // the corpus line really contains it
      for (const os of occ) {
        const oe = os + n.length;
        // a hit spanning exactly the occurrence, or starting/ending on it, that is not an expected hit
        const bad = r.hits.filter(
          (h) =>
            h.start < oe &&
            os < h.end &&
            (h.start === os || h.end === oe) &&
            !line.hits.some((x) => x[0] === h.kind && x[1] === h.value && x[2] === text.slice(h.start, h.end)),
        );
        expect(bad).toEqual([]);
      }
    }
  });
});
