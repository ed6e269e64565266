import { warninglistLookup, type IdentifierKind } from '../identifiers';
import { LinkEngineError, type LinkIdentifier, type LinkReport } from './engine';
import { LinkingError, LinkingErrorCode } from './linking.errors';
import { LinkPolicyValue } from './models/linking.models';

/** The checks judgements and their previews share (JudgementsService, ReportLinksService, PolicyPreviewService). */

/**
 * Why a policy change is refused, or null: ALWAYS on a warninglisted value (an official number, a platform
 * domain) would link every victim who was ever called by their bank — it never links, whatever its policy.
 */
export function policyRefusal(key: string, policy: LinkPolicyValue, doc: LinkIdentifier | undefined): string | null {
  if (policy !== LinkPolicyValue.ALWAYS) return null;
  const i = key.indexOf(':');
  const entry = warninglistLookup({ kind: key.slice(0, i) as IdentifierKind, value: key.slice(i + 1) });
  if (!(doc?.warninglisted ?? entry !== undefined)) return null;
  const what = entry ? ` (${entry.noteEn})` : '';
  return `${key.slice(i + 1)} is on the warninglist${what}: a warninglisted value never links reports, whatever its policy`;
}

/** The reason a judgement must give (kept in the judgement log), trimmed; REASON_REQUIRED when blank. */
export function reasonOf(reason: string): string {
  const r = reason.trim();
  if (!r)
    throw new LinkingError(
      LinkingErrorCode.REASON_REQUIRED,
      'reason: say why (it goes into the judgement log)',
      'reason',
    );
  return r;
}

/** A detach names an identifier the report carries (or carried: detaching twice changes nothing). */
export function assertCarries(link: LinkReport | undefined, reportId: string, key: string): void {
  if (link?.identifierKeys.includes(key) || link?.detachedKeys.includes(key)) return;
  throw new LinkingError(
    LinkingErrorCode.IDENTIFIER_NOT_CARRIED,
    `value: report ${reportId} does not carry ${key}`,
    'value',
  );
}

/** The engine's refusals as the API's errors. */
export async function mapEngineErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof LinkEngineError) {
      throw new LinkingError(
        e.code === 'NOT_FOUND' ? LinkingErrorCode.REPORT_NOT_FOUND : LinkingErrorCode.INVALID_IDENTIFIER,
        e.message,
      );
    }
    throw e;
  }
}
