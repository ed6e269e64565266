import type { ImportedReportsService, ImportRun } from './imported-reports.service';
import type { ReportRecord } from '../reports/reports.repository';
import { contentDigest } from './content-key';
import type { ImportRow } from './import-row';

/** What the insert of one batch of rows came to. */
export interface KeyedBatch {
  inserted: number;
  alreadyPresent: number;
  /** rows whose source id the store holds with another content: each is a report of its own */
  otherContent: number;
  /** every row's report id (the one inserted, or the one found with the same content) */
  ids: string[];
  /** the reports inserted */
  fresh: ReportRecord[];
}

/**
 * Inserts a batch of import rows keyed on source id and content (content-key.ts). Every row is inserted under its
 * plain id first; a row refused there is compared with the stored report of that id: the same content is
 * already present, another content is inserted again under `<id>~<digest>` (refused there too: already
 * present). A first import reads nothing; only ids already in the store are read back, by `_id`.
 * `build(row, alternate)`: the row's report under the plain or the `~<digest>` id.
 */
export async function insertKeyed(
  reports: ImportedReportsService,
  run: ImportRun,
  rows: readonly ImportRow[],
  build: (row: ImportRow, alternate: boolean) => ReportRecord,
): Promise<KeyedBatch> {
  const docs = rows.map((r) => build(r, false));
  const first = await reports.insert(run, docs);
  const ids = docs.map((d) => d._id);
  const inserted = new Set(first.fresh);
  const refused = docs.flatMap((d, i) => (inserted.has(d) ? [] : [i]));
  if (refused.length === 0)
    return { inserted: first.inserted, alreadyPresent: 0, otherContent: 0, ids, fresh: first.fresh };
  const stored = await reports.storedContent([...new Set(refused.map((i) => ids[i]))]);
  const other = refused.filter((i) => {
    const s = stored.get(ids[i]);
    // gone since its insert was refused (nothing deletes imported reports): taken as present
    if (!s) return false;
    return (
      (s.contentDigest ?? contentDigest(docs[i].source, s.original as Record<string, unknown>)) !==
      docs[i].contentDigest
    );
  });
  const alternates = other.map((i) => build(rows[i], true));
  const second = alternates.length > 0 ? await reports.insert(run, alternates) : { inserted: 0, fresh: [] };
  other.forEach((i, j) => (ids[i] = alternates[j]._id));
  return {
    inserted: first.inserted + second.inserted,
    alreadyPresent: refused.length - second.inserted,
    otherContent: other.length,
    ids,
    fresh: [...first.fresh, ...second.fresh],
  };
}
