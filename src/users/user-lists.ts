import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Scope } from '../auth/scope';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import { fillInBatches, ListBuilds } from '../store/list-builds';
import { ListIndex, Placement } from '../store/list-index';
import type { UserDoc } from './user.schema';
import type { UserListQuery } from './users.repository';

export const USER_LIST = 'users';

export type ListedUser = Pick<UserDoc, '_id' | 'roles' | 'unitCodes' | 'disabled' | 'updatedAt'>;

/**
 * The staff `users` list on the list index (src/store/list-index.ts), in `_id` order: keys for every user
 * (`any:`) and the enabled ones (`on:`), each for all users (`_all`) or a unit (`u:<unit>`), and each of those by
 * role (`:r:<role>`). A user is placed again whenever it changes (its version: `updatedAt`).
 */
@Injectable()
export class UserLists {
  readonly index: ListIndex;
  private buildsOf?: ListBuilds;

  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) cfg: AppConfig) {
    this.index = new ListIndex(redis, `${cfg.queue.prefix}:li`);
  }

  /** The repository gives the build its scan. */
  attach(scan: () => AsyncIterable<ListedUser>): void {
    this.buildsOf = new ListBuilds(this.index, USER_LIST, (index, onProgress) =>
      fillInBatches(scan(), 1_000, (batch) => this.place(batch, index), onProgress),
    );
  }

  get builds(): ListBuilds {
    if (!this.buildsOf) throw new Error('UserLists: the users repository did not attach its scan');
    return this.buildsOf;
  }

  place(users: readonly ListedUser[], index = this.index): Promise<void> {
    return index.place(
      USER_LIST,
      users.map((u) => ({ id: u._id, version: new Date(u.updatedAt).getTime(), placement: [placementOf(u)] })),
    );
  }

  /** Keys of a page; `exact` unless a unit outside the scope is asked for (then each user is checked). */
  plan(scope: Scope, q: UserListQuery): { keys: string[]; exact: boolean; disjoint: boolean } {
    const status = q.includeDisabled ? 'any' : 'on';
    let parts: string[];
    let exact = true;
    if (q.unitCode) {
      parts = [`u:${q.unitCode}`];
      if (scope.kind !== 'ALL' && !scope.unitCodes.includes(q.unitCode)) exact = false;
    } else parts = scope.kind === 'ALL' ? ['_all'] : scope.unitCodes.map((u) => `u:${u}`);
    const role = q.role ? `:r:${q.role}` : '';
    const keys = parts.map((p) => `${status}:${p}${role}`);
    return { keys, exact, disjoint: keys.length === 1 };
  }

  page(q: { keys: string[]; after?: string; limit: number }) {
    return this.index.page(USER_LIST, q, false);
  }

  count(keys: string[], disjoint: boolean): Promise<number> {
    return this.index.count(USER_LIST, keys, {}, disjoint);
  }
}

function placementOf(u: ListedUser): Placement {
  const parts = ['_all', ...u.unitCodes.map((c) => `u:${c}`)];
  const withRoles = parts.flatMap((p) => [p, ...u.roles.map((r) => `${p}:r:${r}`)]);
  const statuses = u.disabled ? ['any'] : ['any', 'on'];
  return { keys: statuses.flatMap((s) => withRoles.map((k) => `${s}:${k}`)) };
}
