/**
 * The texts bench:extract reads, built deterministically (seeded PRNG) from generated identifiers and the real
 * data (../shared/data: FTC Do-Not-Call complaints, the Taiwan 165 bank-account list, EtherScamDB; and the
 * hand-written narratives of src/identifiers/testdata).
 *
 * narrative and dense: every identifier is generated fresh per occurrence (random but valid phones, Luhn cards,
 * URLs, checksummed wallets, QQ/WeChat IDs, e-mails) and the filler's amounts, dates, times and order numbers are
 * random too, so candidate strings rarely repeat; corpus sentences and real-data values are mixed in. One text.
 *
 * stream: one text per report, the same filler, and identifiers that recur as they do in a real report stream:
 * each is drawn from the real values ranked by how often the real data reports them, with Zipf probability
 * 1/rank^s (see {@link ZIPF_S}).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import bs58check from 'bs58check';
import { bech32 } from 'bech32';
import { luhnValid } from '../../src/identifiers';
import { toEip55 } from '../../src/identifiers/crypto-wallet';
import { mulberry32 } from '../../src/imports/synthetic';

const ROOT = path.resolve(__dirname, '../..');
const DATA = process.env.SHARED_DATA_DIR ?? path.resolve(ROOT, '../shared/data');
const TARGET_BYTES = Number(process.env.BENCH_EXTRACT_MB ?? 10.5) * 1e6;

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
  '事后我才发现被骗了，赶紧报了警，希望大家不要上当，',
  '他们先让我做几单小额刷单任务，返利很快到账，后来要求垫付的金额越来越大，',
  '群里的“导师”每天推荐股票，说跟着操作稳赚不赔，',
  '我们在网上认识了两个月，他说自己在国外做工程，',
  '对方知道我的姓名和住址，说我涉嫌一宗洗钱案件，要求我保密，',
  '他发来一份盖着公章的“通缉令”，我一下子就慌了。',
];

type Rnd = () => number;
const int = (rnd: Rnd, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
const digits = (rnd: Rnd, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(rnd() * 10));
  return s;
};
const pad2 = (n: number): string => String(n).padStart(2, '0');
const pickOf = <T>(rnd: Rnd, a: readonly T[]): T => a[Math.floor(rnd() * a.length)];

/** Filler with fresh numbers that must NOT become identifiers: amounts, dates, times, counts, order numbers, codes. */
const NUMERIC_FILLER: ((r: Rnd) => string)[] = [
  (r) => `我在${int(r, 2019, 2025)}年${int(r, 1, 12)}月${int(r, 1, 28)}日下午${int(r, 1, 11)}点左右接到这个电话，`,
  (r) => `前后一共转了${int(r, 2, 9)}笔，合计${int(r, 1000, 300000)}元，`,
  (r) => `对方说我的征信有问题，需要先交${int(r, 500, 20000)}元保证金才能放款，`,
  (r) => `晚上${int(r, 18, 23)}:${pad2(int(r, 0, 59))}他又发来消息，说还差最后一笔解冻费${int(r, 100, 9999)}元，`,
  (r) => `我用手机银行分${int(r, 2, 9)}次转出，每次不超过${int(r, 10, 50) * 1000}元，`,
  (r) => `客服说操作失误把我设成了会员，每月要扣费${int(r, 100, 999)}元，不取消会影响征信，`,
  (r) => `直到${int(r, 2019, 2025)}-${pad2(int(r, 1, 12))}-${pad2(int(r, 1, 28))}我去银行查流水才发现问题，`,
  (r) => `他说订单号${digits(r, int(r, 12, 20))}的快递丢了，要给我理赔，`,
  (r) => `对方让我报一下验证码${digits(r, 6)}，我就告诉他了，`,
  (r) => `他让我在平台上充值，前几次提现都很顺利，第${int(r, 3, 9)}次就提不出来了，`,
  (r) => `一共损失了${int(r, 1, 99)}.${digits(r, 2)}万元，`,
  (r) => `他的工号是${digits(r, int(r, 4, 8))}，说自己是${int(r, 2, 30)}号窗口的，`,
];

// ---- fresh identifiers (random but valid: Luhn, base58check, bech32, EIP-55; rarely repeated) --------------------
const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '170',
  '171',
  '173',
  '175',
  '176',
  '177',
  '178',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '198',
  '199',
];
const AREA_CODES = ['10', '20', '21', '22', '23', '24', '25', '27', '28', '29', '755', '769', '571', '591', '371'];
const TLDS = ['com', 'cn', 'net', 'top', 'xyz', 'vip', 'cc', 'org', 'com.cn', 'io'];
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const word = (r: Rnd, lo: number, hi: number, alphabet = ALNUM): string => {
  const n = int(r, lo, hi);
  let s = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(r() * 26)];
  for (let i = 1; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
};
const bytes = (r: Rnd, n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(r() * 256));

function mobile(r: Rnd): string {
  const d = pickOf(r, MOBILE_PREFIXES) + digits(r, 8);
  switch (int(r, 0, 5)) {
    case 0:
      return `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`;
    case 1:
      return `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}`;
    case 2:
      return `+86 ${d}`;
    default:
      return d;
  }
}
function luhnComplete(body: string): string {
  for (let c = 0; c < 10; c++) if (luhnValid(body + c)) return body + c;
  return body;
}
function card(r: Rnd): string {
  const iin = pickOf(r, ['622202', '622848', '621700', '622588', '603367', '621226', '436742', '524094']);
  const n = pickOf(r, [16, 19]);
  return luhnComplete(iin + digits(r, n - iin.length - 1));
}
const eth = (r: Rnd): string => {
  const hex = Array.from(bytes(r, 20), (b) => b.toString(16).padStart(2, '0')).join('');
  return r() < 0.5 ? `0x${hex}` : toEip55(hex);
};
const tron = (r: Rnd): string => bs58check.encode(Uint8Array.from([0x41, ...bytes(r, 20)]));
const btc = (r: Rnd): string =>
  r() < 0.5
    ? bs58check.encode(Uint8Array.from([0x00, ...bytes(r, 20)]))
    : bech32.encode('bc', [0, ...bech32.toWords(bytes(r, 20))]);

/** One sentence carrying one fresh identifier (or a real-data value), in the ways reporters write them. */
const IDENTIFIER_SENTENCE: ((r: Rnd) => string)[] = [
  (r) => `骗子的电话是${mobile(r)}，说是快递理赔，`,
  (r) => `对方手机${mobile(r)}，让我下载会议软件，`,
  (r) => `他用${mobile(r)}给我打过三次电话，`,
  (r) => `来电显示0${pickOf(r, AREA_CODES)}-${int(r, 2, 8)}${digits(r, 7)}，自称公安局的，`,
  (r) => `他让我加微信${word(r, 6, 16, `${ALNUM}_-`)}，说有内部消息，`,
  (r) => `对方QQ号${int(r, 1, 9)}${digits(r, int(r, 5, 9))}，拉我进了一个群，`,
  (r) => `vx：${word(r, 6, 14, `${ALNUM}_`)} 拉你进群，`,
  (r) => `收款卡号${card(r)}，户名是个人，`,
  (r) => `让我把钱转到${card(r)}这张卡上，`,
  (r) => `网址是https://${word(r, 4, 12)}.${pickOf(r, TLDS)}/${word(r, 2, 8)}?id=${digits(r, 5)}，让我注册账号，`,
  (r) => `让我登录www.${word(r, 4, 12)}.${pickOf(r, TLDS)}充值，`,
  (r) => `网站是${word(r, 5, 12)}.${pickOf(r, TLDS)}，`,
  (r) => `让我把USDT打到${tron(r)}，`,
  (r) => `ETH地址${eth(r)}，`,
  (r) => `比特币地址：${btc(r)}，`,
  (r) => `他的邮箱是${word(r, 5, 12)}@${pickOf(r, ['qq.com', '163.com', 'gmail.com', 'outlook.com'])}，`,
];

export type TextMix = 'narrative' | 'dense';

/**
 * narrative: report-like texts — 3 to 6 filler sentences (half with fresh amounts, dates, times, order numbers),
 * one sentence with a freshly generated identifier, one time in four a corpus sentence and one time in
 * four a value from the real data files (about one identifier per 150 characters, as in submitted narratives).
 * dense: short pieces where most are identifiers (about one per 40 characters) — a stress test, reported for
 * information.
 */
export function buildText(mix: TextMix): string {
  const rnd = mulberry32(20251127);
  const { corpus, values } = loadSources();
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)];
  const value = (): string => `对方提供的是 ${pick(values)} ，请核实。`;
  const filler = (): string => (rnd() < 0.5 ? pick(FILLER) : pick(NUMERIC_FILLER)(rnd));
  const ident = (): string => pick(IDENTIFIER_SENTENCE)(rnd);
  const parts: string[] = [];
  let bytes = 0;
  while (bytes < TARGET_BYTES) {
    let piece: string;
    if (mix === 'dense') {
      const r = rnd();
      piece = r < 0.15 ? pick(corpus) : r < 0.3 ? filler() : r < 0.4 ? value() : ident();
    } else {
      const n = 3 + Math.floor(rnd() * 4);
      const sentences: string[] = [];
      for (let i = 0; i < n; i++) sentences.push(filler());
      sentences.splice(Math.floor(rnd() * n), 0, ident());
      if (rnd() < 0.25) sentences.splice(Math.floor(rnd() * n), 0, pick(corpus));
      if (rnd() < 0.25) sentences.splice(Math.floor(rnd() * n), 0, value());
      piece = sentences.join('');
    }
    parts.push(piece);
    bytes += Buffer.byteLength(piece, 'utf8') + 1;
  }
  return parts.join('\n');
}

// ---- the stream mix ---------------------------------------------------------------------------------------------
/**
 * Zipf exponent s of the stream mix. The real data's recurrences fit a discrete power law of reports per value
 * with α ≈ 2.1–2.3 (maximum likelihood: FTC complaints per phone number, EtherScamDB reports per wallet), which is
 * a Zipf rank law with s = 1/(α − 1) ≈ 0.76–0.89 ({@link fittedExponents} prints both); one day of complaints
 * undercounts the head, so the middle of that range is taken rather than the lowest.
 */
export const ZIPF_S = 0.8;

/** Maximum-likelihood α of a discrete power law over counts ≥ 1 (continuous approximation, x_min − ½). */
function powerLawAlpha(counts: Iterable<number>): number {
  let n = 0;
  let sum = 0;
  for (const k of counts) {
    n++;
    sum += Math.log(k / 0.5);
  }
  return 1 + n / sum;
}

interface Counted {
  phones: Map<string, number>;
  accounts: Map<string, number>;
  wallets: Map<string, number>;
  urls: Map<string, number>;
}

function countReal(): Counted {
  const bump = (m: Map<string, number>, k: string, by = 1): void => {
    m.set(k, (m.get(k) ?? 0) + by);
  };
  const c: Counted = { phones: new Map(), accounts: new Map(), wallets: new Map(), urls: new Map() };
  const dnc = readFileSync(path.join(DATA, 'dnc_complaint_numbers_2021-07-08.csv'), 'utf8').split(/\r?\n/).slice(1);
  for (const l of dnc) {
    const p = l.split(',')[0];
    if (/^\d{10}$/.test(p)) bump(c.phones, p);
  }
  const bank = readFileSync(path.join(DATA, 'GetFromGovernmentInf_BankAccount.txt'), 'utf8').split(/\r?\n/).slice(1);
  for (const l of bank) if (l) bump(c.accounts, l.split(',')[0]);
  const scams = yaml.load(readFileSync(path.join(DATA, 'scams.yaml'), 'utf8')) as {
    url?: string;
    addresses?: unknown[];
  }[];
  const perDomain = new Map<string, number>();
  const domainOf = (u: string): string => (/^https?:\/\/([^/?#]+)/i.exec(u)?.[1] ?? u).toLowerCase();
  for (const s of scams) if (typeof s.url === 'string') bump(perDomain, domainOf(s.url));
  for (const s of scams) {
    // a URL is as frequent as the reports of its site: the pages of one scam site differ, the site recurs
    if (typeof s.url === 'string') c.urls.set(s.url, perDomain.get(domainOf(s.url)) ?? 1);
    for (const a of s.addresses ?? []) bump(c.wallets, String(a));
  }
  return c;
}

/** The fitted exponents, for the bench's output. */
export function fittedExponents(): string {
  const c = countReal();
  const s = (m: Map<string, number>): string => (1 / (powerLawAlpha(m.values()) - 1)).toFixed(2);
  return `fitted from the real data: s = ${s(c.phones)} (FTC complaints per number), ${s(c.wallets)} (EtherScamDB reports per wallet)`;
}

/** Values ranked most reported first; ties in a seeded random order. */
function ranked(counts: Map<string, number>, rnd: Rnd): string[] {
  const order = new Map([...counts.keys()].map((k) => [k, rnd()] as const));
  return [...counts.keys()].sort(
    (a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || (order.get(a) ?? 0) - (order.get(b) ?? 0),
  );
}

/** Draws ranks 0..n-1 with probability ∝ 1/(rank+1)^s. */
function zipf(n: number, s: number): (rnd: Rnd) => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) cdf[r] = total += 1 / Math.pow(r + 1, s);
  return (rnd) => {
    const x = rnd() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * Report texts until TARGET_BYTES: 3 to 6 filler sentences as in the narrative mix, and one identifier sentence
 * (and a second in three reports of ten) from one of five sources — the hand-written corpus sentences (Chinese phones,
 * WeChat, QQ, cards, sites as reporters write them), FTC phone numbers, 165 bank accounts, EtherScamDB wallets and
 * URLs — each drawn by Zipf rank within its source. A phone is written in one of the two usual spellings.
 */
export function buildStream(): string[] {
  const rnd = mulberry32(20251203);
  const { corpus } = loadSources();
  const real = countReal();
  const corpusRanked = ranked(new Map(corpus.map((t) => [t, 1])), rnd);
  const sources: { weight: number; items: string[]; write: (v: string, r: Rnd) => string }[] = [
    { weight: 0.25, items: corpusRanked, write: (t) => t },
    {
      weight: 0.3,
      items: ranked(real.phones, rnd),
      write: (p, r) =>
        r() < 0.5 ? `来电号码+1 ${p.slice(0, 3)}-${p.slice(3, 6)}-${p.slice(6)}，` : `对方电话是+1${p}，`,
    },
    { weight: 0.15, items: ranked(real.accounts, rnd), write: (a) => `让我转账到账号${a}，` },
    { weight: 0.15, items: ranked(real.wallets, rnd), write: (w) => `让我把币打到${w}，` },
    { weight: 0.15, items: ranked(real.urls, rnd), write: (u) => `网址是${u} ，让我登录，` },
  ];
  const draws = sources.map((src) => zipf(src.items.length, ZIPF_S));
  const ident = (): string => {
    let x = rnd();
    let i = 0;
    while (i < sources.length - 1 && x >= sources[i].weight) x -= sources[i++].weight;
    return sources[i].write(sources[i].items[draws[i](rnd)], rnd);
  };
  const filler = (): string =>
    rnd() < 0.5 ? FILLER[Math.floor(rnd() * FILLER.length)] : pickOf(rnd, NUMERIC_FILLER)(rnd);
  const texts: string[] = [];
  let bytes = 0;
  while (bytes < TARGET_BYTES) {
    const n = 3 + Math.floor(rnd() * 4);
    const sentences: string[] = [];
    for (let i = 0; i < n; i++) sentences.push(filler());
    sentences.splice(Math.floor(rnd() * n), 0, ident());
    if (rnd() < 0.3) sentences.splice(Math.floor(rnd() * n), 0, ident());
    const text = sentences.join('');
    texts.push(text);
    bytes += Buffer.byteLength(text, 'utf8');
  }
  return texts;
}
