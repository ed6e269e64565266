import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Scope } from '../auth/scope';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { ListBuilds } from '../store/list-builds';
import { IndexedEntry, ListIndex, PageQuery, Placement } from '../store/list-index';
import type { CaseDoc } from './case.schema';
import { type CasePriorityValue, isClosed, nextDue, PRIORITIES, SlaPolicy } from './case-rules';

export const CASE_LIST = 'cases';

/** The filter of the staff `cases` page (CaseFilter). */
export interface CaseListQuery {
  status?: string;
  priority?: string;
  assigneeId?: string;
  unitCode?: string;
  regionCode?: string;
  fraudType?: string;
  overdue?: boolean;
}

/** Milliseconds as 13 fixed-width digits (until the year 2286): byte order is time order. */
const ms13 = (ms: number) => String(Math.max(0, Math.floor(ms))).padStart(13, '0');
const NONE = 'none';

export function effectivePriority(c: Pick<CaseDoc, 'computedPriority' | 'priorityOverride'>): CasePriorityValue {
  return c.priorityOverride?.priority ?? c.computedPriority;
}

/**
 * The staff `cases` list, the unit inbox and the workload counts on the list index (src/store/list-index.ts).
 * Every key is within one unit (`u:<unit>`; a case is in exactly one unit, so counts over units add up):
 * - id order (case numbers grow with time; pages read them newest first): the unit, and the unit × status,
 *   priority, assignee (`none` when unassigned), fraud type, region; status × priority, × assignee, × fraud type;
 *   `open` and `open:a:<assignee>` for open cases;
 * - `due`, `due:a:<assignee>`: open cases ordered by their next deadline (case-rules.ts nextDue), so "overdue
 *   now" is the range below the clock;
 * - `inbox`: open unassigned cases, highest priority first, then oldest.
 * A case is placed again at every write (its `version`); a merged case leaves the list.
 */
@Injectable()
export class CaseLists {
  readonly index: ListIndex;
  private readonly unitsKey: string;
  private readonly assigneesPrefix: string;
  private buildsOf?: ListBuilds;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly clock: Clock,
  ) {
    const ns = `${cfg.queue.prefix}:li`;
    this.index = new ListIndex(redis, ns);
    this.unitsKey = `${ns}:${CASE_LIST}:units`;
    this.assigneesPrefix = `${ns}:${CASE_LIST}:assignees:`;
  }

  get sla(): SlaPolicy {
    const c = this.cfg.cases;
    return { triageMs: c.slaTriageMs, firstActionMs: c.slaFirstActionMs, closeMs: c.slaCloseMs };
  }

  /** The repository gives the build its scan (cases are written only through it). */
  attach(fill: (index: ListIndex, onProgress?: (n: number) => void) => Promise<number>): void {
    this.buildsOf = new ListBuilds(this.index, CASE_LIST, fill);
  }

  get builds(): ListBuilds {
    if (!this.buildsOf) throw new Error('CaseLists: the cases repository did not attach its scan');
    return this.buildsOf;
  }

  async place(cases: readonly CaseDoc[], index = this.index): Promise<void> {
    if (cases.length === 0) return;
    const pipe = this.redis.pipeline();
    for (const c of cases) {
      pipe.sadd(this.unitsKey, c.unitCode);
      pipe.sadd(this.assigneesPrefix + c.unitCode, c.assigneeId ?? NONE);
    }
    await pipe.exec();
    await index.place(
      CASE_LIST,
      cases.map((c) => ({ id: c._id, version: c.version, placement: c.mergedInto ? null : this.placementsOf(c) })),
    );
  }

  private placementsOf(c: CaseDoc): Placement[] {
    const u = `u:${c.unitCode}`;
    const a = c.assigneeId ?? NONE;
    const s = `${u}:s:${c.status}`;
    const byId = [
      u,
      s,
      `${u}:p:${effectivePriority(c)}`,
      `${u}:a:${a}`,
      ...c.fraudTypes.map((f) => `${u}:f:${f}`),
      ...c.regionCodes.map((g) => `${u}:g:${g}`),
      // the pairs investigators ask for most: a status with a priority, an assignee or a fraud type
      `${s}:p:${effectivePriority(c)}`,
      `${s}:a:${a}`,
      ...c.fraudTypes.map((f) => `${s}:f:${f}`),
    ];
    const closed = isClosed(c.status);
    if (!closed) byId.push(`${u}:open`, `${u}:open:a:${a}`);
    const out: Placement[] = [{ keys: byId }];
    const dues = c.tasks.filter((t) => t.status === 'OPEN' && t.dueAt).map((t) => new Date(t.dueAt as Date));
    const due = nextDue(
      { openedAt: c.openedAt, triagedAt: c.triagedAt, firstActionAt: c.firstActionAt, closedAt: c.closedAt },
      this.sla,
      dues,
      closed,
    );
    if (due) out.push({ keys: [`${u}:due`, `${u}:due:a:${a}`], sort: ms13(due.getTime()) });
    if (!closed && !c.assigneeId)
      out.push({
        keys: [`${u}:inbox`],
        sort: `${PRIORITIES.indexOf(effectivePriority(c))}${ms13(new Date(c.openedAt).getTime())}`,
      });
    return out;
  }

  /** The units a page reads: the scope's (ADMIN: every unit the list holds), narrowed to `unitCode`. */
  async unitsOf(scope: Scope, unitCode: string | undefined): Promise<string[]> {
    if (scope.kind === 'ALL') return unitCode ? [unitCode] : (await this.redis.smembers(this.unitsKey)).sort();
    const mine = [...scope.unitCodes];
    return unitCode ? mine.filter((g) => g === unitCode) : mine;
  }

  /**
   * The keys and order of a page. `exact`: the keys serve every filter (else each case is checked). Overdue
   * pages read the deadline order up to the clock; the others read newest first.
   */
  plan(
    units: readonly string[],
    q: CaseListQuery,
  ): { keys: string[]; exact: boolean; range: Omit<PageQuery, 'keys' | 'limit'>; sorted: boolean } {
    const used = ['status', 'priority', 'assigneeId', 'regionCode', 'fraudType'].filter(
      (k) => q[k as keyof CaseListQuery] !== undefined,
    );
    if (q.overdue === true) {
      const suffix = q.assigneeId ? `:due:a:${q.assigneeId}` : ':due';
      const rest = used.filter((k) => k !== 'assigneeId');
      return {
        keys: units.map((u) => `u:${u}${suffix}`),
        exact: rest.length === 0,
        range: { hi: ms13(this.clock.nowMs()) },
        sorted: true,
      };
    }
    // the key serving the most filters: a status pair, then one filter (the others are checked case by case)
    let suffix = '';
    let served = 1;
    if (q.status && q.assigneeId) suffix = `:s:${q.status}:a:${q.assigneeId}`;
    else if (q.status && q.priority) suffix = `:s:${q.status}:p:${q.priority}`;
    else if (q.status && q.fraudType) suffix = `:s:${q.status}:f:${q.fraudType}`;
    else {
      served = 0;
      if (q.assigneeId) suffix = `:a:${q.assigneeId}`;
      else if (q.status) suffix = `:s:${q.status}`;
      else if (q.fraudType) suffix = `:f:${q.fraudType}`;
      else if (q.regionCode) suffix = `:g:${q.regionCode}`;
      else if (q.priority) suffix = `:p:${q.priority}`;
    }
    // overdue: false (on time) is checked case by case
    const exact = used.length <= 1 + served && q.overdue !== false;
    return { keys: units.map((u) => `u:${u}${suffix}`), exact, range: { rev: true }, sorted: false };
  }

  page(
    keys: readonly string[],
    range: Omit<PageQuery, 'keys' | 'limit'>,
    sorted: boolean,
    after: string | undefined,
    limit: number,
  ) {
    return this.index.page(CASE_LIST, { ...range, keys, after, limit }, sorted);
  }

  count(keys: readonly string[], range: { lo?: string; hi?: string }): Promise<number> {
    return this.index.count(CASE_LIST, keys, range, true);
  }

  /** The first open unassigned case of the units (highest priority, then oldest). */
  async nextInbox(units: readonly string[]): Promise<IndexedEntry | undefined> {
    const { entries } = await this.index.page(CASE_LIST, { keys: units.map((u) => `u:${u}:inbox`), limit: 1 }, true);
    return entries[0];
  }

  /** Workload rows: per unit and assignee (null: unassigned), open and overdue-now counts. */
  async workload(
    units: readonly string[],
  ): Promise<{ unitCode: string; assigneeId: string | null; open: number; overdue: number }[]> {
    const rows: { unitCode: string; assigneeId: string | null; open: number; overdue: number }[] = [];
    const now = ms13(this.clock.nowMs());
    for (const u of units) {
      const assignees = (await this.redis.smembers(this.assigneesPrefix + u)).sort();
      if (assignees.length === 0) continue;
      const pipe = this.redis.pipeline();
      for (const a of assignees) {
        pipe.zcard(this.index.key(CASE_LIST, `u:${u}:open:a:${a}`));
        pipe.zlexcount(this.index.key(CASE_LIST, `u:${u}:due:a:${a}`), '-', `(${now}`);
      }
      const res = ((await pipe.exec()) ?? []).map(([e, v]) => {
        if (e) throw e;
        return Number(v);
      });
      assignees.forEach((a, i) =>
        rows.push({ unitCode: u, assigneeId: a === NONE ? null : a, open: res[2 * i], overdue: res[2 * i + 1] }),
      );
    }
    return rows;
  }
}
