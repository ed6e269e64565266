/**
 * The tokenizer of scanner.ts must find exactly the matches of the global regex it replaces: same starts, same
 * ends, same alternative — on random, hostile, edge-case and corpus text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { SCANNER_ALTERNATIVES, SCANNER_SOURCE, Scanner, Tok } from './scanner';

type Match = [start: number, end: number, kind: number];

/** The reference: the global regex, each match labelled with the alternative whose group (or word) matched. */
function byRegex(text: string): Match[] {
  const groupsBefore: number[] = [];
  let g = 1;
  for (const alt of SCANNER_ALTERNATIVES) {
    groupsBefore.push(g);
    g += new RegExp(`${alt}|`).exec('')!.length - 1;
  }
  const re = new RegExp(SCANNER_SOURCE, 'g');
  const out: Match[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    let kind = Tok.WORD as number;
    for (let k = 0; k < SCANNER_ALTERNATIVES.length - 1; k++) {
      const next = k + 1 < groupsBefore.length ? groupsBefore[k + 1] : g;
      let hit = false;
      for (let j = groupsBefore[k]; j < next; j++) if (m[j] !== undefined) hit = true;
      if (hit) {
        kind = k + 1;
        break;
      }
    }
    out.push([m.index, m.index + m[0].length, kind]);
  }
  return out;
}

function byTokenizer(text: string): Match[] {
  const out: Match[] = [];
  let from = 0;
  let kind: number;
  const scanner = new Scanner(text);
  while ((kind = scanner.next(from)) !== Tok.NONE) {
    out.push([scanner.start, scanner.end, kind]);
    from = scanner.end;
  }
  return out;
}

const rep = (s: string, n: number): string => s.repeat(n);
const fragments = fc.constantFrom(
  'http://',
  'HTTPS：／／',
  'ｈｔｔｐ://',
  'www.',
  '.com',
  '．ｃｏｍ',
  '点com',
  '[.]',
  '(.)',
  '[dot]',
  '(dot)',
  '。',
  '@',
  '＠',
  'qq.com',
  '微信',
  '威信',
  'V信',
  'ｖ信',
  'WeiXin',
  'wechat',
  'WECHAT',
  'QQ',
  'Qq',
  'ＱＱ',
  '扣扣',
  '企鹅',
  'vx',
  'Wx',
  '号码',
  'ID',
  '：',
  '是',
  '0x',
  '0X',
  'bc1q',
  'BC1',
  'T',
  'r',
  '1',
  '3',
  'APP',
  'App',
  'ＡＰＰ',
  '软件',
  '客户端',
  '应用',
  '名称',
  '“',
  '”',
  '"',
  '「',
  '」',
  '《',
  '》',
  '『',
  '的',
  '+',
  '＋',
  '(',
  '（',
  ')',
  '）',
  '-',
  '－',
  '—',
  ' ',
  '\u3000',
  '.',
  '．',
  ':',
  '/',
  '／',
  'X',
  'ｘ',
  '_',
  '%',
  '１２３',
  'ａｂｃ',
  'ＡＢＣ',
  '元',
  '\n',
  '\u0000',
  '\ud800',
  rep('a', 62),
  rep('a', 63),
  rep('a', 64),
  rep('1', 3),
  rep('1', 4),
  rep('f', 4),
  rep('f', 5),
  rep('9', 24),
  rep('2', 38),
  rep('2', 40),
  rep('z', 200),
  rep('Z', 201),
  rep('-', 3),
  rep(' ', 4),
);
const alnum = fc.stringMatching(/^[0-9A-Fa-z]{1,12}$/);
const text = fc
  .array(fc.oneof(fragments, fragments, alnum, fc.string({ maxLength: 4 })), { maxLength: 60 })
  .map((a) => a.join(''));
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

describe('scanner tokenizer', () => {
  it('is the global regex on identifier-like random text', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(byTokenizer(t)).toEqual(byRegex(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('is the global regex on any UTF-16 text', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyUnit, maxLength: 200 }), (t) => {
        expect(byTokenizer(t)).toEqual(byRegex(t));
      }),
      { numRuns: 1000 },
    );
  });

  it('is the global regex at the length limits of every alternative', () => {
    const cases: string[] = [];
    for (let n = 1; n <= 70; n++) {
      cases.push(`${rep('a', n)}@b.cn`, `${rep('a', n)}.com`, `${rep('1', n)}.com`, `x${rep('b', n)}-c.top`);
      cases.push(`${rep('1', n % 6)}.2.3.4`, `${rep('f', n % 7)}::1`, `${rep('3', n)}`, `T${rep('z', n % 40)}`);
      cases.push(`${rep('1 ', n)}`, `+(${rep('1-', n)}X`, `${rep('a', n * 3)}1`, `0x${rep('A', n)}`);
      cases.push(`bc1${rep('q', n)}`, `应用“${rep('名', n % 35)}”`, `“${rep('名', n % 35)}”APP`);
      cases.push(`“${rep('\u0000', n % 33)}”的App`, `“a${rep('\r', n % 2)}b”软件`, `${rep(':f', n % 9)}:`);
      cases.push(`客户端${rep('是', n % 5)}“x”`, `ＡＰＰ名字叫做：“${rep('y', n % 32)}』`, `:${rep('a', n % 7)}:`);
    }
    for (const c of cases) expect(byTokenizer(`前${c}后 ${c}`)).toEqual(byRegex(`前${c}后 ${c}`));
  });

  it('is the global regex on the narrative corpus', () => {
    const corpus = readFileSync(path.join(__dirname, 'testdata/narratives.zh.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { text: string }).text);
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const all = corpus.join('\n');
    const matches = byRegex(all);
    expect(matches.length).toBeGreaterThan(200);
    expect(byTokenizer(all)).toEqual(matches);
  });
});
