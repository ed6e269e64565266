/**
 * Secondary indexes for staff list pages, in Redis: the embedded store serves only exact `_id` reads (STYLE.md
 * "The store"), so a list page with a filter or a sort reads its ids here and then its documents by `_id`.
 *
 * - A list (`reports`, `clusters`, `audit`) has keys, one per filter value a page can ask for (`DG01`,
 *   `DG01:f:FAKE_LOAN`, ...); a key is a sorted set whose members all score 0, so Redis orders them by their
 *   bytes: a member is `<sort>|<id>`, where `<sort>` is a fixed-width encoding of the list's order (see
 *   {@link descNumber}), or the bare id when a list is in id order. A page is `ZRANGE key (<cursor> + BYLEX
 *   LIMIT 0 n` — O(log N + n) at any size — and a count `ZLEXCOUNT` (O(log N)).
 * - Insert-only documents (reports, audit entries) are added once ({@link ListIndex.add}, idempotent). A
 *   document that changes (a cluster) is *placed* ({@link ListIndex.place}): one Lua script replaces its old
 *   members by the new ones, and ignores a placement older than the one stored (the document's version), so
 *   concurrent or replayed writers cannot leave a stale entry.
 * - Everything here is derived: `siqian reindex` rebuilds a list from the records and `--verify` compares.
 *   A list is served only once a build finished ({@link ListIndex.isBuilt}); until then callers scan.
 */
import type Redis from 'ioredis';

/** A member's `<sort>|<id>` separator; sort encodings are digits, so the id is what follows the first one. */
const SEP = '|';
/** Commands per pipeline flush. */
const PIPE = 2_000;

/**
 * KEYS[1] the list's placement hash, ARGV[1] id, ARGV[2] version, ARGV[3] the new placement (`key\tmember`
 * lines; empty: the document leaves the list). Returns 1 when applied, 0 when an as-new placement was stored.
 */
const PLACE = `
local cur = redis.call('hget', KEYS[1], ARGV[1])
local v = tonumber(ARGV[2])
if cur then
  local nl = string.find(cur, '\\n', 1, true)
  local stored = tonumber(string.sub(cur, 1, (nl or 0) - 1)) or tonumber(cur)
  if stored and stored > v then return 0 end
  if nl then
    for line in string.gmatch(string.sub(cur, nl + 1), '[^\\n]+') do
      local tab = string.find(line, '\\t', 1, true)
      redis.call('zrem', string.sub(line, 1, tab - 1), string.sub(line, tab + 1))
    end
  end
end
local body = ARGV[3]
for line in string.gmatch(body, '[^\\n]+') do
  local tab = string.find(line, '\\t', 1, true)
  redis.call('zadd', string.sub(line, 1, tab - 1), 0, string.sub(line, tab + 1))
end
redis.call('hset', KEYS[1], ARGV[1], ARGV[2] .. '\\n' .. body)
return 1`;

/** Where a document sits in a list: the keys it is in and its order string (omitted: id order). */
export interface Placement {
  keys: readonly string[];
  sort?: string;
}

export interface IndexedEntry {
  id: string;
  /** the member: pass back as the cursor of the next page */
  member: string;
}

export interface PageQuery {
  /** keys to merge: a document in several of them is returned once */
  keys: readonly string[];
  limit: number;
  /** the `member` of the previous page's last entry */
  after?: string;
  /** only members >= lo (an order-string prefix bound) */
  lo?: string;
  /** only members < hi */
  hi?: string;
  /** descending member order (default ascending) */
  rev?: boolean;
}

/** `n` descending as a fixed-width string (larger n sorts first); n is clamped to 0..10^width - 1. */
export function descNumber(n: number, width: number): string {
  const max = 10 ** width - 1;
  const v = Math.min(max, Math.max(0, Math.floor(n)));
  return String(max - v).padStart(width, '0');
}

export const memberOf = (id: string, sort?: string): string => (sort === undefined ? id : `${sort}${SEP}${id}`);

export function idOfMember(member: string, sorted: boolean): string {
  return sorted ? member.slice(member.indexOf(SEP) + 1) : member;
}

export class ListIndex {
  constructor(
    readonly redis: Redis,
    /** `<QUEUE_PREFIX>:li` */
    private readonly ns: string,
  ) {}

  /** An empty index beside this one (a verify's scratch copy: drop it with clear). */
  scratch(): ListIndex {
    return new ListIndex(this.redis, `${this.ns}:scratch-${process.pid}-${Date.now().toString(36)}`);
  }

  /** The Redis key of `list`'s key `k`. */
  key(list: string, k: string): string {
    return `${this.ns}:${list}:k:${k}`;
  }

  private placementsKey(list: string): string {
    return `${this.ns}:${list}:at`;
  }

  /** The lock of a build of `list` (src/store/list-builds.ts). */
  buildLockKey(list: string): string {
    return `${this.ns}:${list}:building`;
  }

  private builtKey(list: string): string {
    return `${this.ns}:${list}:built`;
  }

  /** Adds insert-only documents (idempotent). */
  async add(list: string, docs: readonly { id: string; placement: Placement }[]): Promise<void> {
    let pipe = this.redis.pipeline();
    let n = 0;
    for (const { id, placement } of docs)
      for (const k of placement.keys) {
        pipe.zadd(this.key(list, k), 0, memberOf(id, placement.sort));
        if (++n % PIPE === 0) {
          await execOrThrow(pipe);
          pipe = this.redis.pipeline();
        }
      }
    if (n % PIPE !== 0) await execOrThrow(pipe);
  }

  /**
   * Places changing documents: each replaces its previous placement (several key groups, each with its own
   * order; null removes it), unless a higher `version` of it was placed already.
   */
  async place(
    list: string,
    docs: readonly { id: string; version: number; placement: readonly Placement[] | null }[],
  ): Promise<void> {
    for (let i = 0; i < docs.length; i += PIPE / 4) {
      const pipe = this.redis.pipeline();
      for (const { id, version, placement } of docs.slice(i, i + PIPE / 4)) {
        const body = (placement ?? [])
          .flatMap((p) => p.keys.map((k) => `${this.key(list, k)}\t${memberOf(id, p.sort)}`))
          .join('\n');
        pipe.eval(PLACE, 1, this.placementsKey(list), id, String(version), body);
      }
      await execOrThrow(pipe);
    }
  }

  /** A page of ids merged over `keys` in member order, and whether more follow. */
  async page(list: string, q: PageQuery, sorted: boolean): Promise<{ entries: IndexedEntry[]; hasMore: boolean }> {
    const want = q.limit + 1;
    const start = q.after !== undefined ? `(${q.after}` : q.lo !== undefined ? `[${q.lo}` : '-';
    // a cursor below lo (it cannot be from this query): start at lo
    const from = q.after !== undefined && q.lo !== undefined && !q.rev && q.after < q.lo ? `[${q.lo}` : start;
    const pipe = this.redis.pipeline();
    for (const k of q.keys) {
      if (q.rev) {
        const upper = q.after !== undefined && (q.hi === undefined || q.after < q.hi) ? q.after : q.hi;
        const max = upper !== undefined ? `(${upper}` : '+';
        const min = q.lo !== undefined ? `[${q.lo}` : '-';
        pipe.call('ZRANGE', this.key(list, k), max, min, 'BYLEX', 'REV', 'LIMIT', '0', String(want));
      } else {
        const max = q.hi !== undefined ? `(${q.hi}` : '+';
        pipe.call('ZRANGE', this.key(list, k), from, max, 'BYLEX', 'LIMIT', '0', String(want));
      }
    }
    const lists = ((await execOrThrow(pipe)) as string[][]).map((l) => l ?? []);
    // Redis orders members by their UTF-8 bytes; so must the merge (JS's default sort compares UTF-16 units,
    // which differs for characters outside the BMP): one key is already in order
    const merged = lists.length === 1 ? lists[0] : [...new Set(lists.flat())].sort(byBytes);
    if (q.rev && lists.length > 1) merged.reverse();
    const picked = merged.slice(0, want);
    const entries: IndexedEntry[] = [];
    const seen = new Set<string>();
    for (const member of picked) {
      const id = idOfMember(member, sorted);
      // a document in several keys under one member appears once (the Set above); under two members (a
      // placement moving between pages) the first wins
      if (seen.has(id)) continue;
      seen.add(id);
      entries.push({ id, member });
    }
    const hasMore = entries.length > q.limit;
    return { entries: entries.slice(0, q.limit), hasMore };
  }

  /**
   * Members of the union of `keys` within [lo, hi). `disjoint`: no document is in two of them (a sum of
   * ZLEXCOUNTs); otherwise a union in a scratch key (linear in those keys' sizes, inside Redis).
   */
  async count(
    list: string,
    keys: readonly string[],
    range: { lo?: string; hi?: string },
    disjoint: boolean,
  ): Promise<number> {
    const min = range.lo !== undefined ? `[${range.lo}` : '-';
    const max = range.hi !== undefined ? `(${range.hi}` : '+';
    if (keys.length === 0) return 0;
    if (disjoint || keys.length === 1) {
      const pipe = this.redis.pipeline();
      for (const k of keys) pipe.zlexcount(this.key(list, k), min, max);
      return ((await execOrThrow(pipe)) as number[]).reduce((a, b) => a + Number(b), 0);
    }
    const tmp = `${this.ns}:${list}:tmp:${process.pid}:${Math.random().toString(36).slice(2)}`;
    const res = await this.redis
      .multi()
      .zunionstore(tmp, keys.length, ...keys.map((k) => this.key(list, k)))
      .zlexcount(tmp, min, max)
      .unlink(tmp)
      .exec();
    const err = res?.find(([e]) => e)?.[0];
    if (err) throw err;
    return Number(res?.[1]?.[1] ?? 0);
  }

  /** Every member of one key (verify only). */
  async members(list: string, k: string): Promise<string[]> {
    return (await this.redis.call('ZRANGE', this.key(list, k), '-', '+', 'BYLEX')) as string[];
  }

  /** The keys a list holds now (verify / rebuild: a SCAN of the key space). */
  async keysOf(list: string): Promise<string[]> {
    const prefix = this.key(list, '');
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      out.push(...found.map((k) => k.slice(prefix.length)));
    } while (cursor !== '0');
    return [...new Set(out)];
  }

  /** Drops a list (its keys, placements and built marker): the start of a rebuild. */
  async clear(list: string): Promise<void> {
    const keys = (await this.keysOf(list)).map((k) => this.key(list, k));
    keys.push(this.placementsKey(list), this.builtKey(list));
    for (let i = 0; i < keys.length; i += 500) await this.redis.unlink(...keys.slice(i, i + 500));
  }

  async isBuilt(list: string): Promise<boolean> {
    return (await this.redis.exists(this.builtKey(list))) === 1;
  }

  async markBuilt(list: string): Promise<void> {
    await this.redis.set(this.builtKey(list), new Date().toISOString());
  }
}

function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

async function execOrThrow(pipe: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const res = (await pipe.exec()) ?? [];
  const failed = res.find(([e]) => e)?.[0];
  if (failed) throw failed;
  return res.map(([, v]) => v);
}

/** Index entries a page reads at most when a filter the keys do not serve is checked document by document. */
export const MAX_EXAMINED = 2_000;

/**
 * Reads a page through an index: entries from `read`, their documents from `load` (by `_id`), each checked by
 * `matches` (a filter the keys do not serve, or an entry a write is about to replace). `exact`: the keys serve
 * every filter, so entries are read a page at a time; otherwise in chunks, at most {@link MAX_EXAMINED} per
 * page (the page may be short; hasNext says whether entries follow). The end cursor is the last entry read.
 */
export async function readFiltered<D>(o: {
  read: (after: string | undefined, n: number) => Promise<{ entries: IndexedEntry[]; hasMore: boolean }>;
  load: (ids: string[]) => Promise<(D | undefined)[]>;
  matches: (d: D) => boolean;
  limit: number;
  after?: string;
  exact: boolean;
}): Promise<{ found: { member: string; doc: D | undefined }[]; hasNext: boolean }> {
  const found: { member: string; doc: D | undefined }[] = [];
  let cursor = o.after;
  let kept = 0;
  let more = true;
  while (more && kept < o.limit && found.length < MAX_EXAMINED) {
    const chunk = o.exact ? o.limit - kept : Math.min(200, Math.max(o.limit, 50));
    const page = await o.read(cursor, chunk);
    const docs = await o.load(page.entries.map((e) => e.id));
    for (let i = 0; i < page.entries.length && kept < o.limit; i++) {
      const d = docs[i];
      const ok = d !== undefined && o.matches(d);
      if (ok) kept++;
      found.push({ member: page.entries[i].member, doc: ok ? d : undefined });
      cursor = page.entries[i].member;
    }
    more = page.hasMore && page.entries.length > 0;
  }
  // whether any entry follows the last one read (it may yet fail the filter: the next page is then short)
  const hasNext = cursor !== undefined && cursor !== o.after ? (await o.read(cursor, 1)).entries.length > 0 : false;
  return { found, hasNext };
}

/**
 * totalCount of a page whose keys do not serve every filter: `upper` is the keys' count; when at most
 * {@link MAX_EXAMINED} entries are candidates they are checked one by one (exact), else `upper` (a bound).
 */
export async function countFiltered<D>(o: {
  upper: number;
  read: (after: string | undefined, n: number) => Promise<{ entries: IndexedEntry[] }>;
  load: (ids: string[]) => Promise<(D | undefined)[]>;
  matches: (d: D) => boolean;
}): Promise<number> {
  if (o.upper === 0 || o.upper > MAX_EXAMINED) return o.upper;
  const { entries } = await o.read(undefined, o.upper);
  const docs = await o.load(entries.map((e) => e.id));
  return docs.filter((d) => d !== undefined && o.matches(d)).length;
}
