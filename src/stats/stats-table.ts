import { formatFen } from '../common/graphql/money.scalar';
import type { StatsFigures, StatsResult, StatsRow } from './models/stats.model';
import { StatsDimension } from './stats.enums';

const COLUMN: Record<StatsDimension, (r: StatsRow) => string | undefined> = {
  [StatsDimension.MONTH]: (r) => r.bucket,
  [StatsDimension.WEEK]: (r) => r.bucket,
  [StatsDimension.DAY]: (r) => r.bucket,
  [StatsDimension.REGION]: (r) => r.regionCode,
  [StatsDimension.FRAUD_TYPE]: (r) => r.fraudType,
  [StatsDimension.CHANNEL]: (r) => r.channel,
  [StatsDimension.PAYMENT_METHOD]: (r) => r.paymentMethod,
  [StatsDimension.AGE_BAND]: (r) => r.ageBand,
};

const pct = (p: number | null | undefined): string => (p === null || p === undefined ? '' : p.toFixed(1));
const figureCells = (f: StatsFigures): string[] => [
  String(f.reports),
  String(f.victims),
  formatFen(f.losses),
  String(f.nearMisses),
];

/**
 * The table of a `stats` result, the same for `GET /stats.csv` and `siqian stats`: one column per grouping,
 * the figures, and with a comparison the compared figures and the changes (% to one decimal, empty where the
 * base is 0); the totals last. Cases and recovered amounts are left out until cases exist.
 */
export function statsTable(res: StatsResult): string[][] {
  const compared = res.compareTo !== undefined;
  const header = [
    ...res.groupBy.map((d) => d.toLowerCase()),
    'reports',
    'victims',
    'losses',
    'near_misses',
    ...(compared
      ? [
          'compared_reports',
          'compared_victims',
          'compared_losses',
          'compared_near_misses',
          'change_reports',
          'change_reports_pct',
          'change_victims_pct',
          'change_losses',
          'change_losses_pct',
          'change_near_misses_pct',
        ]
      : []),
  ];
  const line = (r: StatsRow, label?: string): string[] => [
    ...res.groupBy.map((d, i) => (label !== undefined && i === 0 ? label : (COLUMN[d](r) ?? ''))),
    ...figureCells(r.figures),
    ...(compared && r.compared && r.change
      ? [
          ...figureCells(r.compared),
          String(r.change.reports),
          pct(r.change.reportsPercent),
          pct(r.change.victimsPercent),
          formatFen(r.change.losses),
          pct(r.change.lossesPercent),
          pct(r.change.nearMissesPercent),
        ]
      : []),
  ];
  return [header, ...res.rows.map((r) => line(r)), line(res.totals, res.groupBy.length > 0 ? '合计 total' : undefined)];
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** UTF-8 with a BOM (so that Excel reads Chinese right), CRLF line ends. */
export function toCsv(table: string[][]): string {
  return `\uFEFF${table.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** Columns aligned with spaces, for a terminal. */
export function toText(table: string[][]): string {
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => [...(r[i] ?? '')].length)));
  return table
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
