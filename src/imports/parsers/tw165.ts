import categoriesFile from '../data/tw165-categories.v1.json';
import { EXTERNAL_REGION } from '../../reference/enums';
import { importIdentifier, ParsedRecord } from '../import-row';
import { ByteCounter, readLines } from './lines';

/** The 165 list is compiled by the police from victims' cases: each entry a distinct reporter of full weight. */
export const TW165_WEIGHT = 1;
export const TW165_CATEGORIES: Record<string, string> = categoriesFile.categories;

const bic8 = (bic: string): string => bic.trim().toUpperCase().slice(0, 8);

/**
 * What an entry's content digest covers (content-key.ts): its fields trimmed and its BIC as the BIC8, so the
 * BIC8 and BIC11 spellings of one entry are one content, as they are one externalRef.
 */
export function tw165Content(original: Record<string, unknown>): Record<string, unknown> {
  const trim = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
  const bic = original.bic;
  return {
    account: trim(original.account),
    category: trim(original.category),
    bic: typeof bic === 'string' ? bic8(bic) : bic,
  };
}

/**
 * Taiwan 165 bank-account list: `account,category,BIC,` per line, no header; the first line `,2023/11/16,,`
 * is the snapshot date, used as every entry's occurredAt. externalRef = `<account>:<BIC8>`, so the BIC8 and
 * BIC11 spellings of one account (DBSSSGSG / DBSSSGSGXXX) are one entry; one account listed under two
 * categories is two entries (two contents of one externalRef: content-key.ts).
 */
export async function* parseTw165(file: string, counter: ByteCounter = { bytes: 0 }): AsyncGenerator<ParsedRecord> {
  let snapshot: Date | undefined;
  for await (const { line, text } of readLines(file, counter)) {
    if (text.trim() === '') continue;
    const [account = '', category = '', bic = ''] = text.split(',');
    if (line === 1) {
      const m = /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(category.trim());
      if (m && account === '') {
        snapshot = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00+08:00`);
        continue;
      }
    }
    const fraudType = TW165_CATEGORIES[category.trim()];
    if (!fraudType) {
      yield { line, reason: `unknown category (not in tw165-categories.v1.json)` };
      continue;
    }
    const id = importIdentifier('BANK_ACCOUNT', account, 1, { bic });
    if ('reason' in id) {
      yield { line, reason: `account: ${id.reason}` };
      continue;
    }
    const externalRef = `${account.trim()}:${bic8(bic)}`;
    yield {
      line,
      row: {
        externalRef,
        fraudType,
        channel: 'OTHER',
        occurredAt: snapshot ?? new Date('2023-11-16T00:00:00+08:00'),
        regionCode: EXTERNAL_REGION,
        lossFen: 0,
        identifiers: id.ids,
        reporterKey: `tw165:${externalRef}`,
        weight: TW165_WEIGHT,
        paymentMethod: 'BANK_TRANSFER',
        original: { account, category, bic },
      },
    };
  }
}
