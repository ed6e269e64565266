/** Shanghai calendar days as whole numbers (days since 1970-01-01), and the buckets of a period (pure). */

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` -> day number; undefined when it is no real date. */
export function parseDay(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return t / DAY_MS;
}

export function dayString(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The same date a year earlier (29 February: the 28th). */
export function yearEarlier(n: number): number {
  const d = new Date(n * DAY_MS);
  const y = d.getUTCFullYear() - 1;
  const m = d.getUTCMonth();
  const day = Math.min(d.getUTCDate(), new Date(Date.UTC(y, m + 1, 0)).getUTCDate());
  return Date.UTC(y, m, day) / DAY_MS;
}

/** ISO-8601 week label of a day, e.g. `2026-W48` (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(n: number): string {
  const weekday = (new Date(n * DAY_MS).getUTCDay() + 6) % 7; // Monday 0
  const thursday = n - weekday + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1) / DAY_MS) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export type Bucket = 'DAY' | 'WEEK' | 'MONTH';

export function bucketLabel(n: number, bucket: Bucket): string {
  if (bucket === 'DAY') return dayString(n);
  if (bucket === 'WEEK') return isoWeek(n);
  return dayString(n).slice(0, 7);
}

/** The bucket labels of [from, to], in order. */
export function bucketsOf(from: number, to: number, bucket: Bucket): string[] {
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const l = bucketLabel(n, bucket);
    if (out[out.length - 1] !== l) out.push(l);
  }
  return out;
}

/** A rollup period of [from, to]: a whole month (`YYYY-MM`) where allowed, else a day. */
export interface Span {
  period: string;
  /** the first day of the period (its bucket) */
  first: number;
}

/** The periods that cover [from, to] exactly: whole months as months when `months`, the rest as days. */
export function spansOf(from: number, to: number, months: boolean): Span[] {
  const out: Span[] = [];
  let n = from;
  while (n <= to) {
    const d = new Date(n * DAY_MS);
    const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) / DAY_MS;
    if (months && d.getUTCDate() === 1 && monthEnd <= to) {
      out.push({ period: dayString(n).slice(0, 7), first: n });
      n = monthEnd + 1;
    } else {
      out.push({ period: dayString(n), first: n });
      n += 1;
    }
  }
  return out;
}
