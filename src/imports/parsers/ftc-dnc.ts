import { createHash } from 'node:crypto';
import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { EXTERNAL_REGION } from '../../reference/enums';
import { importIdentifier, ParsedRecord } from '../import-row';
import type { ByteCounter } from './lines';

/** Every FTC complaint is one consumer: a distinct reporter, with the weight of an unverified source. */
export const FTC_DNC_WEIGHT = 0.5;
const HEADER = [
  'Company_Phone_Number',
  'Created_Date',
  'Violation_Date',
  'Consumer_City',
  'Consumer_State',
  'Consumer_Area_Code',
  'Subject',
  'Recorded_Message_Or_Robocall',
];

/** `2021-07-06 11:48:00` (US Eastern, as the FTC publishes it) -> Date; taken as UTC−5 all year (documented). */
function ftcDate(s: string | undefined): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec((s ?? '').trim());
  if (!m) return undefined;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}-05:00`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * The FTC Do-Not-Call complaint CSV (header row, CRLF). One complaint per row -> one report of the company
 * phone (US numbering). externalRef = the first 24 hex of SHA-256 of the whole row: stable across files and
 * re-downloads (a line number is not); two byte-identical rows are one complaint.
 */
export async function* parseFtcDnc(file: string, counter: ByteCounter = { bytes: 0 }): AsyncGenerator<ParsedRecord> {
  const input = createReadStream(file);
  input.on('data', (chunk: Buffer | string) => (counter.bytes += chunk.length));
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, info: true, raw: true }));
  let first = true;
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
    const line = rec.info.lines;
    if (first) {
      first = false;
      if (rec.record[0] === HEADER[0]) continue;
    }
    const [phone, created, violation, city, state, area, subject, robocall] = rec.record;
    const occurredAt = ftcDate(violation) ?? ftcDate(created);
    if (!occurredAt) {
      yield { line, reason: 'no valid Violation_Date or Created_Date' };
      continue;
    }
    const id = importIdentifier('PHONE', phone ?? '', 1, { defaultRegion: 'US' });
    if ('reason' in id) {
      yield { line, reason: `Company_Phone_Number: ${id.reason}` };
      continue;
    }
    const externalRef = createHash('sha256')
      .update(rec.raw.replace(/\r?\n$/, ''))
      .digest('hex')
      .slice(0, 24);
    const narrative = [subject, robocall === 'Y' ? 'robocall' : ''].filter((s) => s && s.trim()).join('; ');
    yield {
      line,
      row: {
        externalRef,
        fraudType: 'OTHER',
        channel: 'PHONE_CALL',
        occurredAt,
        regionCode: EXTERNAL_REGION,
        lossFen: 0,
        identifiers: id.ids,
        reporterKey: `ftc-dnc:${externalRef}`,
        weight: FTC_DNC_WEIGHT,
        ...(narrative ? { narrative } : {}),
        original: { phone, created, violation, city, state, areaCode: area, subject, robocall },
      },
    };
  }
}
