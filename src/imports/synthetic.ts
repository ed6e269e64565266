/**
 * Synthetic reports for demos and benchmarks (`siqian generate`): deterministic for a seed, plain TS.
 *
 * - Fraud rings: each ring owns a pool of phones, bank cards, wallets and URLs; a report draws its
 *   identifiers from its ring with a Zipf-like (s ≈ 1.1) reuse, so a few values recur a lot and most rarely.
 * - A handful of hub values (a mule account, a shortener domain) shared across rings.
 * - Near misses: ~30 % of reports without loss.
 * - Confused victims: ~2 % type a warninglisted number (95588, 10086 ...) next to the real one.
 * - Region: one of DG01..DG33; fraud types close to the 2024 national shares; lossFen lognormal (median
 *   ~8,000 yuan); occurredAt spread over the two years before the reference date.
 */
import { FraudType } from '../reference/enums';

/** mulberry32: a tiny, fast 32-bit PRNG; good enough for synthetic data, deterministic per seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** National shares of the 2024 high-frequency types (approximate), OTHER the remainder. */
const FRAUD_MIX: [FraudType, number][] = [
  [FraudType.ORDER_BRUSHING, 0.26],
  [FraudType.FAKE_INVESTMENT, 0.16],
  [FraudType.FAKE_SHOPPING, 0.1],
  [FraudType.FAKE_CUSTOMER_SERVICE, 0.1],
  [FraudType.FAKE_LOAN, 0.09],
  [FraudType.FAKE_CREDIT_REPAIR, 0.06],
  [FraudType.IMPERSONATING_ACQUAINTANCE, 0.06],
  [FraudType.IMPERSONATING_AUTHORITIES, 0.05],
  [FraudType.ONLINE_ROMANCE, 0.05],
  [FraudType.GAME_TRADING, 0.04],
  [FraudType.OTHER, 0.03],
];
const CHANNELS: Record<string, string[]> = {
  default: ['PHONE_CALL', 'SMS', 'WECHAT', 'QQ', 'WEBSITE', 'APP'],
};
const PAYMENTS = ['BANK_TRANSFER', 'ALIPAY', 'WECHAT_PAY', 'BANK_TRANSFER', 'CRYPTO', 'GIFT_CARD'];
const AGES = ['UNDER_18', 'AGE_18_29', 'AGE_30_44', 'AGE_45_59', 'AGE_60_PLUS', 'UNKNOWN'];
const WARNINGLISTED = ['95588', '95533', '10086', '110', '95555'];
const MOBILE_PREFIXES = [
  '138',
  '139',
  '150',
  '151',
  '158',
  '186',
  '187',
  '188',
  '135',
  '136',
  '137',
  '159',
  '182',
  '183',
];

export interface GenerateOptions {
  reports: number;
  seed: number;
  /** end of the two-year window (default 2026-11-01T00:00:00Z, fixed so that output is reproducible) */
  until?: Date;
}

interface Ring {
  phones: string[];
  cards: string[];
  wallets: string[];
  urls: string[];
  fraudType: FraudType;
}

/** Luhn check digit for a card body. */
function luhnComplete(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** Yields one SubmitReportInput (JSON-ready, loss as a Money string) per report. */
export function* generateReports(opts: GenerateOptions): Generator<Record<string, unknown>> {
  const rnd = mulberry32(opts.seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const digits = (n: number) => Array.from({ length: n }, () => String(int(10))).join('');
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  /** Zipf-like index in [0, n): P(i) ∝ 1/(i+1)^1.1, by inverse-CDF on a continuous approximation. */
  const zipf = (n: number) => Math.min(n - 1, Math.floor(Math.pow(n + 1, rnd()) - 1));
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const fraudType = () => {
    let x = rnd();
    for (const [t, p] of FRAUD_MIX) if ((x -= p) < 0) return t;
    return FraudType.OTHER;
  };
  const ringCount = Math.max(3, Math.round(opts.reports / 40));
  const rings: Ring[] = Array.from({ length: ringCount }, () => ({
    phones: Array.from({ length: 2 + int(6) }, () => `${pick(MOBILE_PREFIXES)}${digits(8)}`),
    cards: Array.from({ length: 1 + int(4) }, () => luhnComplete(`622202${digits(12)}`)),
    wallets: Array.from({ length: 1 + int(2) }, () => `0x${hex(40)}`),
    urls: Array.from(
      { length: 1 + int(3) },
      () =>
        `https://${pick(['refund', 'loan', 'invest', 'shop', 'vip'])}-${hex(6)}.top/${pick(['app', 'login', 'pay'])}`,
    ),
    fraudType: fraudType(),
  }));
  const hubs = [luhnComplete(`621700${digits(12)}`), `https://t-${hex(4)}.cn/go`];
  const until = (opts.until ?? new Date('2026-11-01T00:00:00Z')).getTime();
  const twoYears = 2 * 365 * 86_400_000;

  for (let i = 0; i < opts.reports; i++) {
    const ring = rings[zipf(rings.length)];
    const ids: { kind?: string; value: string }[] = [];
    const n = 1 + int(3);
    for (let k = 0; k < n; k++) {
      const what = rnd();
      if (what < 0.5) ids.push({ kind: 'PHONE', value: ring.phones[zipf(ring.phones.length)] });
      else if (what < 0.75) ids.push({ kind: 'BANK_ACCOUNT', value: ring.cards[zipf(ring.cards.length)] });
      else if (what < 0.88) ids.push({ value: ring.urls[zipf(ring.urls.length)] });
      else ids.push({ kind: 'CRYPTO_WALLET', value: ring.wallets[zipf(ring.wallets.length)] });
    }
    if (rnd() < 0.01) ids.push({ value: pick(hubs) });
    if (rnd() < 0.02) ids.push({ kind: 'PHONE', value: pick(WARNINGLISTED) });
    const nearMiss = rnd() < 0.3;
    const lossFen = nearMiss ? 0 : Math.max(100, Math.round(Math.exp(Math.log(800_000) + 1.4 * normal())));
    const capped = Math.min(lossFen, 5_000_000_000);
    const report: Record<string, unknown> = {
      fraudType: rnd() < 0.8 ? ring.fraudType : fraudType(),
      channel: pick(CHANNELS.default),
      occurredAt: new Date(until - Math.floor(rnd() * twoYears)).toISOString(),
      regionCode: `DG${String(1 + int(33)).padStart(2, '0')}`,
      identifiers: ids,
      loss: `${Math.floor(capped / 100)}.${String(capped % 100).padStart(2, '0')}`,
      paymentMethod: nearMiss ? 'NONE' : pick(PAYMENTS),
      victimAgeBand: pick(AGES),
      clientRequestId: `gen-${opts.seed}-${i}`,
    };
    if (rnd() < 0.3)
      report.narrative = `对方${pick(['自称客服', '说可以贷款', '拉我进投资群', '让我刷单返利'])}，电话${ids[0].value}，让我转账。`;
    if (rnd() < 0.4) report.reporterContact = `1${pick(['38', '39', '58'])}${digits(8)}`;
    yield report;
  }
}

/** The seed's headline: reports fell by this fraction year on year in the regions covered by the work. */
export const PLANTED_YOY_FALL = 0.358;

/**
 * `siqian generate --scenario yoy`: about `reports` reports over two years of Shanghai days ending the day
 * before `until` (default 2026-11-01), over the 33 regions DG01..DG33, every one covered: in each region the
 * second year has 35.8% fewer reports than the first (the region counts are rounded by largest remainder, so
 * that the total falls by 35.8% to one decimal). The reports themselves are generateReports' (rings, near
 * misses, losses), with their region and day assigned here. Deterministic for a seed.
 */
export function* generateYoyReports(opts: GenerateOptions): Generator<Record<string, unknown>> {
  const rnd = mulberry32(opts.seed ^ 0x5eed);
  const dayMs = 86_400_000;
  const until = opts.until ?? new Date('2026-11-01T00:00:00Z');
  const lastDay = Math.floor((until.getTime() + 8 * 3_600_000) / dayMs) - 1; // Shanghai day number
  const year2From =
    Date.UTC(
      new Date(lastDay * dayMs).getUTCFullYear() - 1,
      new Date(lastDay * dayMs).getUTCMonth(),
      new Date(lastDay * dayMs).getUTCDate() + 1,
    ) / dayMs;
  const year1From =
    Date.UTC(
      new Date(year2From * dayMs).getUTCFullYear() - 1,
      new Date(year2From * dayMs).getUTCMonth(),
      new Date(year2From * dayMs).getUTCDate(),
    ) / dayMs;
  const first = Math.round(opts.reports / (2 - PLANTED_YOY_FALL));
  const regions = Array.from({ length: 33 }, (_, i) => `DG${String(i + 1).padStart(2, '0')}`);
  const weights = regions.map(() => 0.5 + rnd());
  const sum = weights.reduce((a, b) => a + b, 0);
  const split = (total: number, w: number[]): number[] => {
    const exact = w.map((x) => (total * x) / w.reduce((a, b) => a + b, 0));
    const out = exact.map(Math.floor);
    const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
    const missing = total - out.reduce((a, b) => a + b, 0);
    for (let k = 0; k < missing; k++) out[order[k][1]]++;
    return out;
  };
  const y1 = split(
    first,
    weights.map((w) => w / sum),
  );
  const y2 = split(Math.round(first * (1 - PLANTED_YOY_FALL)), y1);
  const slots: { region: string; from: number; days: number }[] = [];
  regions.forEach((region, i) => {
    for (let k = 0; k < y1[i]; k++) slots.push({ region, from: year1From, days: year2From - year1From });
    for (let k = 0; k < y2[i]; k++) slots.push({ region, from: year2From, days: lastDay + 1 - year2From });
  });
  // interleaved, as reports arrive, not region by region (Fisher-Yates with the seed's generator)
  for (let k = slots.length - 1; k > 0; k--) {
    const j = Math.floor(rnd() * (k + 1));
    [slots[k], slots[j]] = [slots[j], slots[k]];
  }
  let i = 0;
  for (const report of generateReports({ ...opts, reports: slots.length })) {
    const slot = slots[i++];
    const day = slot.from + Math.floor(rnd() * slot.days);
    report.regionCode = slot.region;
    report.occurredAt = new Date(day * dayMs - 8 * 3_600_000 + Math.floor(rnd() * dayMs)).toISOString();
    report.clientRequestId = `gen-yoy-${opts.seed}-${i}`;
    yield report;
  }
}
