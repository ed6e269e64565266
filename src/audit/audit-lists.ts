import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Scope } from '../auth/scope';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { ListBuilds } from '../store/list-builds';
import { IndexedEntry, ListIndex, Placement } from '../store/list-index';
import type { AuditEntryDoc } from './audit-entry.schema';
import type { AuditQuery } from './audit.repository';

export const AUDIT_LIST = 'audit';

export type ListedEntry = Pick<AuditEntryDoc, '_id' | 'unitCodes' | 'action' | 'objectType' | 'objectId' | 'actorId'>;

/**
 * The audit log's list index (src/store/list-index.ts): entries in `_id` order, newest first (`_id` starts
 * with the ISO time, so a time window is a key range). Keys: every entry (`_all`), the entries concerning unit
 * u (`u:<u>`), and each of those by object (`:o:`), actor (`:x:`), object type (`:t:`) and action (`:a:`) and by
 * each pair of those. A page with up to two of these filters reads one key per unit; a third and fourth are
 * checked entry by entry.
 */
@Injectable()
export class AuditLists {
  readonly index: ListIndex;
  private buildsOf?: ListBuilds;

  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) cfg: AppConfig) {
    this.index = new ListIndex(redis, `${cfg.queue.prefix}:li`);
  }

  /** The repository gives the build its scan. */
  attach(fill: (add: (batch: readonly ListedEntry[]) => Promise<void>) => Promise<number>): void {
    this.buildsOf = new ListBuilds(this.index, AUDIT_LIST, (index) => fill((batch) => this.add(batch, index)));
  }

  get builds(): ListBuilds {
    if (!this.buildsOf) throw new Error('AuditLists: the audit repository did not attach its scan');
    return this.buildsOf;
  }

  add(entries: readonly ListedEntry[], index = this.index): Promise<void> {
    return index.add(
      AUDIT_LIST,
      entries.map((e) => ({ id: e._id, placement: placementOf(e) })),
    );
  }

  /**
   * The keys and range of a page for `scope` and `q`; `exact` when one key serves every filter (then counts
   * are exact and every entry read is a match).
   */
  plan(scope: Scope, q: AuditQuery): { keys: string[]; lo?: string; hi?: string; exact: boolean; disjoint: boolean } {
    const parts = scope.kind === 'ALL' ? ['_all'] : scope.unitCodes.map((u) => `u:${u}`);
    const given = facetsOf(q);
    // one key holds every pair of facets: a page with up to two filters reads exactly its matches
    const used = given.slice(0, 2);
    const suffix = used.map((f) => `:${f}`).join('');
    return {
      keys: parts.map((p) => `${p}${suffix}`),
      lo: q.from?.toISOString(),
      hi: q.to?.toISOString(),
      exact: given.length <= 2,
      disjoint: parts.length === 1,
    };
  }

  page(q: { keys: string[]; lo?: string; hi?: string; after?: string; limit: number }): Promise<{
    entries: IndexedEntry[];
    hasMore: boolean;
  }> {
    return this.index.page(AUDIT_LIST, { ...q, rev: true }, false);
  }

  count(keys: string[], range: { lo?: string; hi?: string }, disjoint: boolean): Promise<number> {
    return this.index.count(AUDIT_LIST, keys, range, disjoint);
  }
}

/** An entry's (or a query's) facets, most selective first: object, actor, object type, action. */
function facetsOf(e: { objectId?: string; actorId?: string; objectType?: string; action?: string }): string[] {
  return [
    e.objectId ? `o:${e.objectId}` : undefined,
    e.actorId ? `x:${e.actorId}` : undefined,
    e.objectType ? `t:${e.objectType}` : undefined,
    e.action ? `a:${e.action}` : undefined,
  ].filter((f): f is string => f !== undefined);
}

/** Every unit part × (no facet, each facet, each pair of facets in facetsOf order): at most 11 keys a part. */
function placementOf(e: ListedEntry): Placement {
  const parts = ['_all', ...(e.unitCodes ?? []).map((u) => `u:${u}`)];
  const f = facetsOf(e);
  const combos = ['', ...f.map((x) => `:${x}`)];
  for (let i = 0; i < f.length; i++) for (let j = i + 1; j < f.length; j++) combos.push(`:${f[i]}:${f[j]}`);
  return { keys: parts.flatMap((p) => combos.map((c) => `${p}${c}`)) };
}
