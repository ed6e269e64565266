/**
 * Dates shown to the public are coarse: the start of their month or day in Asia/Shanghai (UTC+8 all year, no
 * daylight saving), never an exact time — an exact time of a fraud can identify the victim's call.
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export type Precision = 'MONTH' | 'DAY';

/** The instant 00:00 Asia/Shanghai that starts the month or day of `d`. */
export function startInShanghai(d: Date, precision: Precision): Date {
  const local = new Date(d.getTime() + SHANGHAI_OFFSET_MS);
  const day = precision === 'DAY' ? local.getUTCDate() : 1;
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), day) - SHANGHAI_OFFSET_MS);
}

/** "2021-06": the month of `d` in Asia/Shanghai. */
export function monthInShanghai(d: Date): string {
  return new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 7);
}
