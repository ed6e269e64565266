import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CommonError, CommonErrorCode } from '../errors/common.errors';

/** Relay-style page info shared by every connection. */
@ObjectType({ description: 'Where a page ends and whether another follows.' })
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor?: string;
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * A Relay-style connection type `<Name>Connection { edges { node cursor } pageInfo { hasNextPage endCursor }
 * totalCount }` for `node` type T. Use as `@ObjectType() class UserConnection extends Connection(User, 'User') {}`.
 */
export function Connection<T>(node: Type<T>, name: string): Type<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => node)
    node: T;

    @Field()
    cursor: string;
  }

  @ObjectType({ isAbstract: true })
  abstract class ConnectionType {
    @Field(() => [EdgeType])
    edges: EdgeType[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'All matches of the filter (not only this page).' })
    totalCount: number;
  }
  return ConnectionType as unknown as Type<ConnectionShape<T>>;
}

export interface PageArgsShape {
  first?: number;
  after?: string;
}

/**
 * The `first` / `after` arguments of a connection field, as a base class for its @ArgsType:
 * `class UsersArgs extends PageArgsOf(50, 200) { … }`. `first` defaults to `def` and must be 1..max (a typed
 * BAD_USER_INPUT otherwise); `after` is an opaque cursor of at most 400 characters.
 */
export function PageArgsOf(def: number, max: number): Type<PageArgsShape> {
  @ArgsType()
  class PageArgs {
    @Field(() => Int, { nullable: true, defaultValue: def, description: `Page size, 1..${max}.` })
    @IsOptional()
    @IsInt()
    @Min(1)
    @Max(max)
    first?: number;

    @Field({ nullable: true, description: '`pageInfo.endCursor` of the previous page.' })
    @IsOptional()
    @IsString()
    @MaxLength(400)
    after?: string;
  }
  return PageArgs;
}

/** Page sizes: `first` defaults to `def` and is clamped to 1..max. */
export function pageSize(first: number | null | undefined, def: number, max: number): number {
  if (first === null || first === undefined) return def;
  return Math.max(1, Math.min(max, Math.trunc(first)));
}

/**
 * Builds a connection from `limit + 1` fetched rows (the extra row only tells whether a next page exists).
 * Cursors are opaque base64url strings of the row's sort key.
 */
export function toConnection<R, T>(
  rows: R[],
  limit: number,
  totalCount: number,
  key: (r: R) => string,
  map: (r: R) => T,
): ConnectionShape<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((r) => ({ node: map(r), cursor: encodeCursor(key(r)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      endCursor: edges.length ? edges[edges.length - 1].cursor : undefined,
    },
    totalCount,
  };
}

/**
 * THE cursor codec of every connection: a cursor is the base64url of a row's sort key (opaque to clients).
 * `decodeAfter` reads an `after` argument: undefined when none was given (left out or an explicit null, which
 * clients send for unset variables), the key otherwise, and BAD_CURSOR on `after` for anything that is not a
 * cursor this codec wrote — or whose key `parse` refuses (a list with a structured key, e.g. `<page>:<offset>`).
 */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeAfter(after: string | null | undefined): string | undefined;
export function decodeAfter<T>(after: string | null | undefined, parse: (key: string) => T | undefined): T | undefined;
export function decodeAfter<T>(
  after: string | null | undefined,
  parse?: (key: string) => T | undefined,
): T | string | undefined {
  if (after === null || after === undefined) return undefined;
  const key = keyOf(after);
  const parsed = key === undefined ? undefined : parse ? parse(key) : key;
  if (parsed === undefined)
    throw new CommonError(CommonErrorCode.BAD_CURSOR, 'after is not a cursor of this list', 'after');
  return parsed;
}

function keyOf(cursor: string): string | undefined {
  if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  // keys are ids and positions: never control characters (the embedded store refuses NUL in a query)
  // eslint-disable-next-line no-control-regex
  return key.length > 0 && encodeCursor(key) === cursor && !/[\u0000-\u001F\u007F]/.test(key) ? key : undefined;
}

/**
 * A connection from a page of an index (src/store/list-index.ts): `entries` in order with their documents
 * (undefined: the document is gone, left out), `hasNextPage` and `totalCount` from the index. The end cursor is
 * the last entry read, so a page whose last documents are gone still continues after them.
 */
export function indexedConnection<R, T>(
  entries: readonly { member: string; doc: R | undefined }[],
  hasNextPage: boolean,
  totalCount: number,
  map: (r: R) => T,
): ConnectionShape<T> {
  const edges = entries.flatMap((e) =>
    e.doc === undefined ? [] : [{ node: map(e.doc), cursor: encodeCursor(e.member) }],
  );
  const last = entries[entries.length - 1];
  return {
    edges,
    pageInfo: { hasNextPage, endCursor: last ? encodeCursor(last.member) : undefined },
    totalCount,
  };
}
