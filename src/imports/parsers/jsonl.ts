import { createHash } from 'node:crypto';
import { parseMoneyToFen } from '../../common/graphql/money.scalar';
import { prepareReport, PrepareOptions } from '../../reports/prepare-report';
import { ParsedRecord } from '../import-row';
import { ByteCounter, readLines } from './lines';

/** Rows with a reporter contact weigh like public reports with one; anonymous rows like anonymous reports. */
export const JSONL_WEIGHT_WITH_CONTACT = 1;
export const JSONL_WEIGHT_ANONYMOUS = 0.5;

/**
 * One SubmitReportInput per line (JSON; `loss` as a Money string). The same rules as `submitReport`
 * (prepareReport). externalRef: SHA-256 of the clientRequestId when there is one (re-import and replays are
 * idempotent whatever the file's order), else `L<line number>` (stable only for an unchanged file).
 * Each anonymous row counts as its own reporter (partner files carry no client address).
 */
export async function* parseJsonl(
  file: string,
  opts: Omit<PrepareOptions, 'now'>,
  counter: ByteCounter = { bytes: 0 },
): AsyncGenerator<ParsedRecord> {
  const now = new Date();
  for await (const { line, text } of readLines(file, counter)) {
    if (text.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      yield { line, reason: 'not valid JSON' };
      continue;
    }
    if (typeof raw === 'object' && raw !== null && 'loss' in raw) {
      const r = raw as Record<string, unknown>;
      if (r.loss !== null && r.loss !== undefined) {
        try {
          r.loss = parseMoneyToFen(r.loss);
        } catch (e) {
          yield { line, reason: `input.loss: ${(e as Error).message}` };
          continue;
        }
      }
    }
    const p = prepareReport(raw, { ...opts, now });
    if (!p.ok) {
      yield { line, reason: p.message };
      continue;
    }
    const rep = p.report;
    const externalRef = rep.clientRequestId
      ? createHash('sha256').update(rep.clientRequestId).digest('hex').slice(0, 32)
      : `L${line}`;
    yield {
      line,
      row: {
        externalRef,
        fraudType: rep.fraudType,
        channel: rep.channel,
        occurredAt: rep.occurredAt,
        regionCode: rep.regionCode,
        lossFen: rep.lossFen,
        identifiers: rep.identifiers,
        reporterKey: `jsonl:${externalRef}`,
        weight: rep.contact ? JSONL_WEIGHT_WITH_CONTACT : JSONL_WEIGHT_ANONYMOUS,
        ...(rep.narrative !== undefined ? { narrative: rep.narrative } : {}),
        ...(rep.paymentMethod ? { paymentMethod: rep.paymentMethod } : {}),
        ...(rep.victimAgeBand ? { victimAgeBand: rep.victimAgeBand } : {}),
        ...(rep.contact ? { contact: { canonical: rep.contact.canonical, asTyped: rep.contact.asTyped } } : {}),
        original: rep.original as unknown as Record<string, unknown>,
        ...(rep.warnings.length ? { warnings: rep.warnings } : {}),
      },
    };
  }
}
