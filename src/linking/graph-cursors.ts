/**
 * Where a paged caseGraph walk waits between pages: its state (the ids it returned, its queue, the edges due)
 * in Redis under a random token, for GRAPH_CURSOR_TTL_S. A cursor names one saved state and never changes it:
 * the next page saves a new state under a new token, so asking for a page again answers it again, and the
 * state it came from is kept only a minute longer (enough to retry a lost answer, bounded memory).
 */
import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { CommonError, CommonErrorCode } from '../common/errors/common.errors';
import { decodeAfter, encodeCursor } from '../common/graphql/pagination';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import type { WalkState } from './graph-walk';
import { LinkKeys } from './linking.options';

/** How long a graph cursor can be continued. */
export const GRAPH_CURSOR_TTL_S = 15 * 60;
const RETRY_TTL_S = 60;
const CURSOR = /^cg1:([A-Za-z0-9_-]{16})$/;

interface SavedWalk {
  userId: string;
  /** the root and depth the walk answers (a cursor continues that graph only) */
  graph: string;
  state: WalkState;
}

@Injectable()
export class GraphCursors {
  private readonly keys: LinkKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.keys = new LinkKeys(cfg.queue.prefix);
  }

  /**
   * The state `after` continues: undefined without one (left out or null); BAD_CURSOR for a string that is
   * not a graph cursor, an expired one, or one of another user or another graph (root or depth).
   */
  async load(after: string | null | undefined, userId: string, graph: string): Promise<WalkState | undefined> {
    const token = decodeAfter(after, (key) => CURSOR.exec(key)?.[1]);
    if (token === undefined) return undefined;
    const raw = await this.redis.get(this.keys.graphWalk(token));
    const saved = raw ? (JSON.parse(raw) as SavedWalk) : undefined;
    if (!saved)
      throw new CommonError(CommonErrorCode.BAD_CURSOR, 'after: this graph cursor has expired; start again', 'after');
    if (saved.userId !== userId || saved.graph !== graph)
      throw new CommonError(CommonErrorCode.BAD_CURSOR, 'after is a cursor of another graph', 'after');
    return saved.state;
  }

  /** Saves the state for the next page; returns its cursor. `after`: the cursor this page continued. */
  async save(userId: string, graph: string, state: WalkState, after: string | null | undefined): Promise<string> {
    const token = randomBytes(12).toString('base64url');
    const doc: SavedWalk = { userId, graph, state };
    const pipe = this.redis.pipeline().set(this.keys.graphWalk(token), JSON.stringify(doc), 'EX', GRAPH_CURSOR_TTL_S);
    const previous = decodeAfter(after, (key) => CURSOR.exec(key)?.[1]);
    if (previous) pipe.expire(this.keys.graphWalk(previous), RETRY_TTL_S);
    const res = await pipe.exec();
    const failed = res?.find(([e]) => e)?.[0];
    if (failed) throw failed;
    return encodeCursor(`cg1:${token}`);
  }
}
