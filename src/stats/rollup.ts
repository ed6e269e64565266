/**
 * The rollup cells (pure): what one report adds to the statistics, and the documents it lands in.
 *
 * A rollup document `_id` is `<generation>|<period>|<cube>`: the period a Shanghai day (`2026-11-27`) or month
 * (`2026-11`), the cube which dimensions its cells keep. A document holds every cell of its period, so a query
 * reads one document per period by `_id` (never a scan) and its cost follows the periods and cells it asks for:
 * - `ALL` (day): region|fraudType|channel|paymentMethod|ageBand, any filter or grouping;
 * - `RT` (day and month): region|fraudType, the common figures (by region, by type, totals), where a month
 *   document answers a whole month at once.
 */

export const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // China keeps UTC+8 all year (no DST since 1991)

export type Cube = 'ALL' | 'RT';
export type PeriodKind = 'day' | 'month';

/** The stored cubes: (period kind, cube). */
export const STORED: readonly { kind: PeriodKind; cube: Cube }[] = [
  { kind: 'day', cube: 'ALL' },
  { kind: 'day', cube: 'RT' },
  { kind: 'month', cube: 'RT' },
];

/** The dimensions of a cell key, in key order, per cube. */
export const CUBE_DIMS: Record<Cube, readonly CellDim[]> = {
  ALL: ['region', 'fraudType', 'channel', 'paymentMethod', 'ageBand'],
  RT: ['region', 'fraudType'],
};
export type CellDim = 'region' | 'fraudType' | 'channel' | 'paymentMethod' | 'ageBand';

/** The part of a report the statistics read (StatsReportsRepository's projection). */
export interface RollupReport {
  _id: string;
  occurredAt: Date;
  regionCode: string;
  fraudType: string;
  channel: string;
  paymentMethod?: string;
  victimAgeBand?: string;
  lossFen: number;
  repeatOf?: string;
}

/** Figures of a cell: reports, victims (reports that are no repeat), loss in fen, near misses (no loss). */
export interface Figures {
  r: number;
  v: number;
  l: number;
  n: number;
}
export const zero = (): Figures => ({ r: 0, v: 0, l: 0, n: 0 });
export const isZero = (f: Figures): boolean => f.r === 0 && f.v === 0 && f.l === 0 && f.n === 0;

export function addInto(into: Figures, f: Figures, sign = 1): void {
  into.r += sign * f.r;
  into.v += sign * f.v;
  into.l += sign * f.l;
  into.n += sign * f.n;
}

/** An absent payment method; an absent age band is UNKNOWN (the enum's own value). */
export const NO_VALUE = '-';

/** The Shanghai day of an instant, `YYYY-MM-DD`. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export function figuresOf(r: RollupReport): Figures {
  return { r: 1, v: r.repeatOf ? 0 : 1, l: r.lossFen, n: r.lossFen === 0 ? 1 : 0 };
}

export function cellValues(r: RollupReport): Record<CellDim, string> {
  return {
    region: r.regionCode,
    fraudType: r.fraudType,
    channel: r.channel,
    paymentMethod: r.paymentMethod ?? NO_VALUE,
    ageBand: r.victimAgeBand ?? 'UNKNOWN',
  };
}

export function cellKey(cube: Cube, values: Record<CellDim, string>): string {
  return CUBE_DIMS[cube].map((d) => values[d]).join('|');
}

export function parseCellKey(cube: Cube, key: string): Partial<Record<CellDim, string>> {
  const parts = key.split('|');
  const out: Partial<Record<CellDim, string>> = {};
  CUBE_DIMS[cube].forEach((d, i) => (out[d] = parts[i]));
  return out;
}

export function docId(generation: number, period: string, cube: Cube): string {
  return `${generation}|${period}|${cube}`;
}

/** Deltas per document `_id`, per cell key. */
export type Deltas = Map<string, Map<string, Figures>>;

/** Adds `sign` × the report to the deltas of every stored cube of its day and month. */
export function addReport(deltas: Deltas, generation: number, r: RollupReport, sign = 1): void {
  const day = shanghaiDay(r.occurredAt);
  const values = cellValues(r);
  const f = figuresOf(r);
  for (const s of STORED) {
    const id = docId(generation, s.kind === 'day' ? day : day.slice(0, 7), s.cube);
    const cells = deltas.get(id) ?? new Map<string, Figures>();
    deltas.set(id, cells);
    const k = cellKey(s.cube, values);
    const c = cells.get(k) ?? zero();
    cells.set(k, c);
    addInto(c, f, sign);
  }
}

/** The month (`YYYY-MM`) of a rollup document `_id`'s period: the unit of the rollup locks. */
export function monthOfDocId(id: string): string {
  return id.split('|')[1].slice(0, 7);
}

/** A stored cell (an array of sub-documents: FerretDB v1 has no nested arrays). */
export interface StoredCell extends Figures {
  k: string;
}

/** Adds deltas to stored cells; cells that come to zero are dropped (a correction moved them away). */
export function applyDeltas(cells: readonly StoredCell[], delta: Map<string, Figures>): StoredCell[] {
  const byKey = new Map(cells.map((c) => [c.k, { ...c }]));
  for (const [k, f] of delta) {
    const c = byKey.get(k) ?? { k, ...zero() };
    addInto(c, f);
    byKey.set(k, c);
  }
  return [...byKey.values()].filter((c) => !isZero(c)).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
}

/**
 * Cells as stored: one string, `<key>,<r>,<v>,<l>,<n>` joined by `;` (keys hold region codes and enum values,
 * never `,` or `;`). FerretDB v1 decodes a document's sub-documents one by one, far slower than one string:
 * a month of cells read as sub-documents cost more than all the round trips of a year's query.
 */
export function encodeCells(cells: readonly StoredCell[]): string {
  return cells.map((c) => `${c.k},${c.r},${c.v},${c.l},${c.n}`).join(';');
}

export function decodeCells(s: string | undefined): StoredCell[] {
  if (!s) return [];
  return s.split(';').map((part) => {
    const [k, r, v, l, n] = part.split(',');
    return { k, r: Number(r), v: Number(v), l: Number(l), n: Number(n) };
  });
}
