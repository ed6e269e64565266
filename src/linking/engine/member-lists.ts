/**
 * Member lists: an ordered list of page ids (held by a cluster or an identifier), each page a document of at
 * most `pageSize` ids. Everything is addressed by _id; no list is ever read as a whole unless asked for.
 *
 * Cluster lists keep the "adjacent pair" invariant: every two adjacent pages hold more than pageSize items
 * together, hence #pages ≤ 2·size/pageSize + 1. Appending fills the tail page first; concatenating (a merge)
 * folds the smaller list's first page into the larger list's tail when both fit in one page — at most one fold
 * is ever possible (the smaller list's own pairs already exceed pageSize), so a merge reads at most two pages
 * and otherwise only concatenates page ids: O(#pages of the smaller list), not O(members).
 * Identifier lists only append and remove (detach); a page that becomes empty is deleted.
 */
import type { LinkStore } from './store';

export class MemberLists {
  constructor(
    private readonly store: LinkStore,
    readonly pageSize: number,
  ) {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error('pageSize must be a positive integer');
  }

  /** Appends `item` to the list (mutates `pages` when a page is added; the caller stores the owner). */
  async append(pages: string[], item: string): Promise<void> {
    const tailId = pages[pages.length - 1];
    if (tailId !== undefined) {
      const tail = await this.store.getPage(tailId);
      if (tail && tail.items.length < this.pageSize) {
        tail.items.push(item);
        await this.store.putPage(tail);
        return;
      }
    }
    const id = this.store.newId('pg');
    await this.store.putPage({ _id: id, items: [item] });
    pages.push(id);
  }

  /** Moves every page of `from` to the end of `into` (the caller stores both owners). */
  async concat(into: string[], from: readonly string[]): Promise<void> {
    if (from.length === 0) return;
    const tailId = into[into.length - 1];
    if (tailId !== undefined) {
      const [tail, head] = await this.store.getManyPages([tailId, from[0]]);
      if (tail && head && tail.items.length + head.items.length <= this.pageSize) {
        tail.items.push(...head.items);
        await this.store.putPage(tail);
        await this.store.deletePage(head._id);
        into.push(...from.slice(1));
        return;
      }
    }
    into.push(...from);
  }

  /** Removes `item` (mutates `pages` when a page is deleted). Returns whether it was found. O(#pages). */
  async remove(pages: string[], item: string): Promise<boolean> {
    for (let i = 0; i < pages.length; i++) {
      const page = await this.store.getPage(pages[i]);
      if (!page) continue;
      const at = page.items.indexOf(item);
      if (at < 0) continue;
      page.items.splice(at, 1);
      if (page.items.length === 0) {
        await this.store.deletePage(page._id);
        pages.splice(i, 1);
      } else {
        await this.store.putPage(page);
      }
      return true;
    }
    return false;
  }

  async readAll(pages: readonly string[]): Promise<string[]> {
    const docs = await this.store.getManyPages(pages);
    const out: string[] = [];
    for (const d of docs) if (d) out.push(...d.items);
    return out;
  }

  /** Writes `items` as fresh full pages and returns their ids (used when a split builds new clusters). */
  async create(items: readonly string[]): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < items.length; i += this.pageSize) {
      const id = this.store.newId('pg');
      await this.store.putPage({ _id: id, items: items.slice(i, i + this.pageSize) });
      ids.push(id);
    }
    return ids;
  }

  async deleteAll(pages: readonly string[]): Promise<void> {
    for (const id of pages) await this.store.deletePage(id);
  }
}
