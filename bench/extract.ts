/**
 * bench:extract — MB/s of extractIdentifiers() on ≥ 10 MB of mixed narrative text, against one combined-regex
 * scan (a single alternation of simple identifier patterns, no validation) over the same text in the same run.
 * Best of 3 for each. Goal: extract ≥ 0.5 × the regex scan. MB = 10^6 bytes of UTF-8.
 *
 * The text is built deterministically (seeded PRNG) from the narrative test corpus and from values of the real
 * data files (FTC phone numbers, 165 bank accounts, EtherScamDB wallets and URLs).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { extractIdentifiers } from '../src/identifiers';
import { memoStats } from '../src/identifiers/extract';

const ROOT = path.resolve(__dirname, '..');
const DATA = process.env.SHARED_DATA_DIR ?? path.resolve(ROOT, '../shared/data');
const TARGET_BYTES = Number(process.env.BENCH_EXTRACT_MB ?? 10.5) * 1e6;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function loadSources(): { corpus: string[]; values: string[] } {
  const corpus = readFileSync(path.join(ROOT, 'src/identifiers/testdata/narratives.zh.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const values: string[] = [];
  const dnc = readFileSync(path.join(DATA, 'dnc_complaint_numbers_2021-07-08.csv'), 'utf8').split(/\r?\n/).slice(1);
  for (const l of dnc) {
    const p = l.split(',')[0];
    if (/^\d{10}$/.test(p)) values.push(`+1 ${p.slice(0, 3)}-${p.slice(3, 6)}-${p.slice(6)}`);
  }
  const bank = readFileSync(path.join(DATA, 'GetFromGovernmentInf_BankAccount.txt'), 'utf8').split(/\r?\n/).slice(1);
  for (const l of bank) if (l) values.push(`账号${l.split(',')[0]}`);
  const scams = yaml.load(readFileSync(path.join(DATA, 'scams.yaml'), 'utf8')) as {
    url?: string;
    addresses?: unknown[];
  }[];
  for (const s of scams) {
    if (typeof s.url === 'string') values.push(s.url);
    for (const a of s.addresses ?? []) values.push(String(a));
  }
  return { corpus, values };
}

/** Narrative filler: the prose around identifiers, with the amounts, dates, times and counts that must not match. */
const FILLER = [
  '对方自称是某电商平台的客服，说我的订单出了问题需要退款，',
  '我当时没有多想，就按照他的要求下载了会议软件并开启了屏幕共享，',
  '后来他又让我把钱转到所谓的安全账户，说是为了配合调查，',
  '我在2023年5月12日下午3点左右接到这个电话，前后一共转了3笔，合计12000元，',
  '事后我才发现被骗了，赶紧报了警，希望大家不要上当，',
  '他们先让我做几单小额刷单任务，返利很快到账，后来要求垫付的金额越来越大，',
  '群里的“导师”每天推荐股票，说跟着操作稳赚不赔，',
  '对方说我的征信有问题，需要先交8000元保证金才能放款，',
  '晚上21:30他又发来消息，说还差最后一笔解冻费3500元，',
  '我们在网上认识了两个月，他说自己在国外做工程，',
  '他让我在平台上充值，前几次提现都很顺利，第4次就提不出来了，',
  '对方知道我的姓名和住址，说我涉嫌一宗洗钱案件，要求我保密，',
  '我用手机银行分5次转出，每次不超过50000元，',
  '客服说操作失误把我设成了会员，每月要扣费800元，不取消会影响征信，',
  '直到2023-06-01我去银行查流水才发现问题，',
  '他发来一份盖着公章的“通缉令”，我一下子就慌了。',
];

type Mix = 'narrative' | 'dense';

/**
 * narrative: report-like texts — 3 to 6 filler sentences, one corpus sentence and, one time in two, a value
 * from the real data files (about one identifier per 150 characters, as in submitted narratives).
 * dense: short pieces where most are identifiers (about one per 40 characters) — a stress test, reported for
 * information.
 */
function buildText(mix: Mix): string {
  const rnd = mulberry32(20251127);
  const { corpus, values } = loadSources();
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)];
  const value = (): string => `对方提供的是 ${pick(values)} ，请核实。`;
  const parts: string[] = [];
  let bytes = 0;
  while (bytes < TARGET_BYTES) {
    let piece: string;
    if (mix === 'dense') {
      const r = rnd();
      piece = r < 0.45 ? pick(corpus) : r < 0.75 ? pick(FILLER) : value();
    } else {
      const n = 3 + Math.floor(rnd() * 4);
      const sentences: string[] = [];
      for (let i = 0; i < n; i++) sentences.push(pick(FILLER));
      sentences.splice(Math.floor(rnd() * n), 0, pick(corpus));
      if (rnd() < 0.5) sentences.splice(Math.floor(rnd() * n), 0, value());
      piece = sentences.join('');
    }
    parts.push(piece);
    bytes += Buffer.byteLength(piece, 'utf8') + 1;
  }
  return parts.join('\n');
}

/** The comparison: one big alternation of simple patterns for the same kinds, no validation. */
const COMBINED = new RegExp(
  [
    'https?://[^\\s"<>]+',
    '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}',
    '0x[0-9a-fA-F]{40}',
    'bc1[a-z0-9]{8,87}',
    '[13Tr][1-9A-HJ-NP-Za-km-z]{25,34}',
    '(?:微信|QQ|qq|vx|VX|wx)[:：\\s]*[A-Za-z0-9_-]{5,20}',
    '(?:www\\.)?[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:com|cn|net|top|org|io|xyz|vip)',
    '\\d{1,3}(?:\\.\\d{1,3}){3}',
    '\\+?\\d[\\d -]{4,}\\d',
  ].join('|'),
  'g',
);

function time(fn: () => number): { ms: number; n: number } {
  const t0 = process.hrtime.bigint();
  const n = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, n };
}

function best(fn: () => number): { ms: number; n: number } {
  let b = { ms: Infinity, n: 0 };
  for (let i = 0; i < 3; i++) {
    const r = time(fn);
    if (r.ms < b.ms) b = r;
  }
  return b;
}

function run(mix: Mix): number {
  const text = buildText(mix);
  const mb = Buffer.byteLength(text, 'utf8') / 1e6;
  const regex = best(() => {
    let n = 0;
    COMBINED.lastIndex = 0;
    while (COMBINED.exec(text) !== null) n++;
    return n;
  });
  memoStats.hits = 0;
  memoStats.misses = 0;
  const extract = best(() => extractIdentifiers(text).hits.length);
  const regexMBs = mb / (regex.ms / 1000);
  const extractMBs = mb / (extract.ms / 1000);
  const ratio = extractMBs / regexMBs;
  const lines = [
    `[${mix} mix] text: ${mb.toFixed(2)} MB UTF-8 (${text.length} UTF-16 units), seed 20251127, best of 3`,
    `  combined regex scan: ${regexMBs.toFixed(1)} MB/s (${regex.ms.toFixed(0)} ms, ${regex.n} matches, no validation)`,
    `  extractIdentifiers:  ${extractMBs.toFixed(1)} MB/s (${extract.ms.toFixed(0)} ms, ${extract.n} hits = ${(extract.n / mb).toFixed(0)} hits/MB)`,
    `  extract memo: ${memoStats.hits} candidate windows answered from the memo, ${memoStats.misses} validated (3 runs)`,
    `  ratio extract/regex: ${ratio.toFixed(2)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return ratio;
}

function main(): void {
  const ratio = run('narrative');
  run('dense');
  process.stdout.write(
    `goal: extract/regex >= 0.5 on the narrative mix: ${ratio.toFixed(2)} ${ratio >= 0.5 ? 'PASS' : 'FAIL'}\n`,
  );
}

main();
