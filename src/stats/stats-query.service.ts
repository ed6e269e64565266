import { Inject, Injectable } from '@nestjs/common';
import { ALL_UNITS, assertInScope, Scope } from '../auth/scope';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { FraudType } from '../reference/enums';
import { ReferenceService } from '../reference/reference.service';
import { ContactChannel } from '../reports/enums';
import { Bucket, bucketLabel, bucketsOf, dayString, parseDay, spansOf, yearEarlier } from './period';
import { addInto, CellDim, Cube, CUBE_DIMS, docId, Figures, NO_VALUE, parseCellKey, zero } from './rollup';
import { CELL_DIM, StatsComparison, StatsDimension, TIME_BUCKETS } from './stats.enums';
import { invalidStats } from './stats.errors';
import type { StatsInput } from './stats.input';
import { PublicStats, StatsChange, StatsFigures, StatsResult, StatsRow } from './models/stats.model';
import { StatsRepository } from './stats.repository';

/** The longest period one query may ask for (three years and a leap day). */
export const MAX_PERIOD_DAYS = 1_096;

/** A checked query. */
interface Plan {
  from: number;
  to: number;
  dims: CellDim[];
  bucket?: Bucket;
  groupBy: StatsDimension[];
  compareTo?: StatsComparison;
  filters: Partial<Record<CellDim, Set<string>>>;
}

interface Group {
  bucket: number;
  values: string[];
  figures: Figures;
}

interface Folded {
  buckets: string[];
  groups: Map<string, Group>;
  total: Figures;
}

/**
 * `stats`, `GET /stats.csv` and `siqian stats`: checks the input, reads the rollup documents of the period by
 * `_id` (src/stats/rollup.ts: month documents for whole months where the cells suffice), folds their cells into
 * the asked groups and, with a comparison, does the same for the compared period.
 */
@Injectable()
export class StatsQueryService {
  constructor(
    private readonly repo: StatsRepository,
    private readonly reference: ReferenceService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  /**
   * The public figures: reports per region of the reference list, exact from k (LOOKUP_K_ANONYMITY, as the
   * lookup's bands) up, "<k" below it, so that no small count points at a person.
   */
  async publicStats(from: string, to: string): Promise<PublicStats> {
    const k = this.cfg.reports.kAnonymity;
    const res = await this.stats({ from, to, groupBy: [StatsDimension.REGION] }, ALL_UNITS, '');
    const counts = new Map(res.rows.map((r) => [r.regionCode, r.figures.reports]));
    return {
      from: res.from,
      to: res.to,
      k,
      regions: this.reference.regions().map((r) => {
        const n = counts.get(r.code) ?? 0;
        return { regionCode: r.code, reports: n === 0 ? '0' : n < k ? `<${k}` : String(n) };
      }),
    };
  }

  async stats(input: StatsInput, scope: Scope, fieldPrefix = 'input.'): Promise<StatsResult> {
    const plan = this.check(input, scope, fieldPrefix);
    const { current } = await this.repo.generations();
    const cur = await this.fold(current, plan, plan.from, plan.to);
    const result: StatsResult = {
      from: dayString(plan.from),
      to: dayString(plan.to),
      groupBy: plan.groupBy,
      rows: [],
      totals: { figures: figures(cur.total) },
    };
    let cmp: Folded | undefined;
    if (plan.compareTo) {
      const [cf, ct] = comparedPeriod(plan.from, plan.to, plan.compareTo);
      cmp = await this.fold(current, plan, cf, ct);
      result.compareTo = plan.compareTo;
      result.comparedFrom = dayString(cf);
      result.comparedTo = dayString(ct);
      Object.assign(result.totals, compare(cur.total, cmp.total));
    }
    const keys = new Map<string, Group>(cur.groups);
    for (const [k, g] of cmp?.groups ?? [])
      if (!keys.has(k) && g.bucket < Math.max(cur.buckets.length, 1)) keys.set(k, { ...g, figures: zero() });
    if (plan.bucket && plan.dims.length === 0)
      cur.buckets.forEach((_, i) => {
        if (!keys.has(`${i}|`)) keys.set(`${i}|`, { bucket: i, values: [], figures: zero() });
      });
    const ordered = [...keys.entries()].sort(([, a], [, b]) => a.bucket - b.bucket || cmpValues(a.values, b.values));
    for (const [k, g] of ordered) {
      const row: StatsRow = { figures: figures(cur.groups.get(k)?.figures ?? zero()) };
      if (plan.bucket) {
        row.bucket = cur.buckets[g.bucket];
        if (cmp) row.comparedBucket = cmp.buckets[g.bucket];
      }
      plan.dims.forEach((d, i) => setDim(row, d, g.values[i]));
      if (cmp) Object.assign(row, compare(cur.groups.get(k)?.figures ?? zero(), cmp.groups.get(k)?.figures ?? zero()));
      result.rows.push(row);
    }
    return result;
  }

  /** Checks the input (typed errors naming the field) and the caller's scope. */
  check(input: StatsInput, scope: Scope, p = 'input.'): Plan {
    const from = parseDay(String(input.from));
    if (from === undefined) throw invalidStats(`${p}from`, 'a day YYYY-MM-DD');
    const to = parseDay(String(input.to));
    if (to === undefined) throw invalidStats(`${p}to`, 'a day YYYY-MM-DD');
    if (from > to) throw invalidStats(`${p}to`, 'the period ends before it starts (from > to)');
    if (to - from + 1 > MAX_PERIOD_DAYS) throw invalidStats(`${p}to`, `at most ${MAX_PERIOD_DAYS} days`);
    const groupBy = input.groupBy ?? [];
    if (groupBy.length > 2) throw invalidStats(`${p}groupBy`, 'at most two dimensions');
    if (new Set(groupBy).size !== groupBy.length) throw invalidStats(`${p}groupBy`, 'a dimension twice');
    const buckets = groupBy.filter((d) => TIME_BUCKETS.includes(d));
    if (buckets.length > 1) throw invalidStats(`${p}groupBy`, 'at most one time bucket (MONTH, WEEK or DAY)');
    groupBy.forEach((d, i) => {
      if (!Object.values(StatsDimension).includes(d)) throw invalidStats(`${p}groupBy.${i}`, 'unknown dimension');
    });
    const filters: Plan['filters'] = {};
    const regions = input.regionCodes?.length ? input.regionCodes : undefined;
    regions?.forEach((r, i) => {
      if (!this.reference.isRegion(r)) throw invalidStats(`${p}regionCodes.${i}`, 'unknown region (query regions)');
      assertInScope(scope, [r], `region ${r}`);
    });
    if (regions) filters.region = new Set(regions);
    else if (scope.kind === 'UNITS') filters.region = new Set(scope.unitCodes);
    const enumFilter = (name: 'fraudTypes' | 'channels', values: readonly string[]) => {
      const list = input[name];
      if (!list?.length) return undefined;
      list.forEach((v, i) => {
        if (!values.includes(v)) throw invalidStats(`${p}${name}.${i}`, 'unknown value');
      });
      return new Set<string>(list);
    };
    const types = enumFilter('fraudTypes', Object.values(FraudType));
    if (types) filters.fraudType = types;
    const channels = enumFilter('channels', Object.values(ContactChannel));
    if (channels) filters.channel = channels;
    if (input.compareTo && !Object.values(StatsComparison).includes(input.compareTo))
      throw invalidStats(`${p}compareTo`, 'unknown comparison');
    const plan: Plan = {
      from,
      to,
      groupBy,
      dims: groupBy.map((d) => CELL_DIM[d]).filter((d): d is CellDim => d !== undefined),
      filters,
    };
    if (buckets.length === 1) plan.bucket = buckets[0] as Bucket;
    if (input.compareTo) plan.compareTo = input.compareTo;
    return plan;
  }

  private async fold(generation: number, plan: Plan, from: number, to: number): Promise<Folded> {
    const needed = new Set<CellDim>([...plan.dims, ...(Object.keys(plan.filters) as CellDim[])]);
    const cube: Cube = [...needed].every((d) => CUBE_DIMS.RT.includes(d)) ? 'RT' : 'ALL';
    const spans = spansOf(from, to, cube === 'RT' && plan.bucket !== 'DAY' && plan.bucket !== 'WEEK');
    const buckets = plan.bucket ? bucketsOf(from, to, plan.bucket) : [];
    const cells = await this.repo.cellsOf(spans.map((s) => docId(generation, s.period, cube)));
    const groups = new Map<string, Group>();
    const total = zero();
    const filters = Object.entries(plan.filters) as [CellDim, Set<string>][];
    spans.forEach((span, i) => {
      const bucket = plan.bucket ? buckets.indexOf(bucketLabel(span.first, plan.bucket)) : 0;
      for (const cell of cells[i]) {
        const values = parseCellKey(cube, cell.k);
        if (!filters.every(([d, set]) => set.has(values[d] as string))) continue;
        const groupValues = plan.dims.map((d) => values[d] as string);
        const key = `${bucket}|${groupValues.join('|')}`;
        const g = groups.get(key) ?? { bucket, values: groupValues, figures: zero() };
        groups.set(key, g);
        addInto(g.figures, cell);
        addInto(total, cell);
      }
    });
    return { buckets, groups, total };
  }
}

export function comparedPeriod(from: number, to: number, how: StatsComparison): [number, number] {
  switch (how) {
    case StatsComparison.PREVIOUS_PERIOD: {
      const days = to - from + 1;
      return [from - days, to - days];
    }
    case StatsComparison.SAME_PERIOD_LAST_YEAR:
      return [yearEarlier(from), yearEarlier(to)];
  }
}

function figures(f: Figures): StatsFigures {
  return {
    reports: f.r,
    victims: f.v,
    losses: f.l,
    nearMisses: f.n,
    casesOpened: null,
    casesSolved: null,
    clearanceRate: null,
    recovered: null,
  };
}

/** % change; null where the base is 0 (never Infinity or NaN). */
export function percent(cur: number, base: number): number | null {
  return base === 0 ? null : ((cur - base) / base) * 100;
}

function compare(cur: Figures, base: Figures): { compared: StatsFigures; change: StatsChange } {
  return {
    compared: figures(base),
    change: {
      reports: cur.r - base.r,
      reportsPercent: percent(cur.r, base.r),
      victims: cur.v - base.v,
      victimsPercent: percent(cur.v, base.v),
      losses: cur.l - base.l,
      lossesPercent: percent(cur.l, base.l),
      nearMisses: cur.n - base.n,
      nearMissesPercent: percent(cur.n, base.n),
    },
  };
}

function cmpValues(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function setDim(row: StatsRow, d: CellDim, v: string): void {
  switch (d) {
    case 'region':
      row.regionCode = v;
      return;
    case 'fraudType':
      row.fraudType = v as FraudType;
      return;
    case 'channel':
      row.channel = v as ContactChannel;
      return;
    case 'paymentMethod':
      if (v !== NO_VALUE) row.paymentMethod = v as never;
      return;
    case 'ageBand':
      row.ageBand = v as never;
      return;
  }
}
