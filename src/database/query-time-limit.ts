import { AsyncLocalStorage } from 'node:async_hooks';
import { AbstractCursor, Collection, MongoServerError } from 'mongodb';

/**
 * The store's time limit for the queries of a request (STORE_QUERY_TIMEOUT_MS). Code serving a request runs
 * inside {@link withQueryTimeLimit}; every read it sends — through mongoose models and through raw driver
 * collections alike — carries `maxTimeMS`, so the store itself stops a query nobody may be waiting for any more
 * (the HTTP client gone, or a scan that would run for minutes). Background work (jobs, imports, recluster, the
 * CLI) runs outside any request and keeps no limit: its scans are meant to take as long as they take.
 *
 * One mechanism for every read: the driver's read entry points are wrapped once (mongoose's queries end in
 * them too), so no repository has to remember an option. A query that already names its own `maxTimeMS`
 * keeps it. Writes are not limited: a write stopped half-way helps nobody, and they are primary-key writes.
 */
const limitOfRequest = new AsyncLocalStorage<number>();

/** Runs `fn` (and everything it starts) with a time limit of `ms` per store read; 0 = no limit. */
export function withQueryTimeLimit<T>(ms: number, fn: () => T): T {
  return ms > 0 ? limitOfRequest.run(ms, fn) : fn();
}

/** Runs `fn` (and everything it starts) outside any request's limit: background work a request only starts. */
export function withoutQueryTimeLimit<T>(fn: () => T): T {
  return limitOfRequest.exit(fn);
}

type Options = { maxTimeMS?: number } | undefined;

function limited(options: Options): Options {
  const ms = limitOfRequest.getStore();
  if (ms === undefined || options?.maxTimeMS !== undefined) return options;
  return { ...options, maxTimeMS: ms };
}

/**
 * The read methods of the driver's Collection and where their options argument is. findOne goes through find
 * and countDocuments through aggregate, so they are covered by those.
 */
const READS = { find: 1, aggregate: 1, distinct: 2, count: 1, estimatedDocumentCount: 0 } as const;
const CURSORS = new Set(['find', 'aggregate']);

let installed = false;

/** Wraps the driver's read methods (idempotent; called when the connection module loads). */
export function installQueryTimeLimit(): void {
  if (installed) return;
  installed = true;
  if (typeof (AbstractCursor.prototype as unknown as Cursor).getMore !== 'function')
    throw new Error('mongodb AbstractCursor.getMore is missing: the time limit of cursors needs it');
  const proto = Collection.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [method, at] of Object.entries(READS)) {
    const original = proto[method];
    if (typeof original !== 'function') throw new Error(`mongodb Collection.${method} is missing`);
    proto[method] = function (this: unknown, ...args: unknown[]) {
      const ms = limitOfRequest.getStore();
      if (ms === undefined) return original.apply(this, args);
      while (args.length < at) args.push(undefined);
      args[at] = limited(args[at] as Options);
      const result = original.apply(this, args);
      return CURSORS.has(method)
        ? limitGetMores(result as Cursor, (args[at] as { maxTimeMS: number }).maxTimeMS)
        : result;
    };
  }
}

interface Cursor {
  getMore(): Promise<unknown>;
}

/**
 * MongoDB counts a cursor's getMores into its maxTimeMS; FerretDB v1 limits only the first batch, and an
 * unsorted scan does most of its work in the getMores that follow (250 documents each). So the driver refuses
 * a getMore once the cursor has outlived its limit, with the error MongoDB would give (the cursor is then
 * closed, and FerretDB drops it). getMore is the driver's internal batch call, checked at install.
 */
function limitGetMores(cursor: Cursor, ms: number): Cursor {
  const deadline = Date.now() + ms;
  const getMore = cursor.getMore.bind(cursor);
  cursor.getMore = () => {
    if (Date.now() <= deadline) return getMore();
    return Promise.reject(
      new MongoServerError({ ok: 0, code: 50, codeName: 'MaxTimeMSExpired', errmsg: 'operation exceeded time limit' }),
    );
  };
  return cursor;
}
