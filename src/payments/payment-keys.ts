/**
 * Every deterministic key of the payment stops in one place: the claims (`payment_claims` `_id`s, taken by
 * insert), the case task keys (CaseAccess.addSystemTask is idempotent by key) and the notices' `_id`s.
 */
export const PaymentKeys = {
  /** one of the two stops of a (case, account) */
  slot: (caseId: string, account: string, n: number) => `stopslot:${caseId}:${account}:${n}`,
  /** a bank callback, applied once */
  webhook: (bankCode: string, webhookId: string) => `webhook:${bankCode}:${webhookId}`,
  /** a hold's WARN / EXPIRE, applied once per deadline */
  timer: (kind: 'WARN' | 'EXPIRE', stopId: string, deadline: string) =>
    `${kind === 'WARN' ? 'stop-warned' : 'stop-expired'}:${stopId}:${deadline}`,
  /** the one appeal of a stop */
  appealOfStop: (stopId: string) => `stop-appeal:${stopId}`,
  /** the holder's appeal code → the stop */
  appealCode: (code: string) => `appeal-code:${code}`,
  /** the filer's tracking code → the appeal */
  appealTracking: (code: string) => `appeal-tracking:${code}`,
  /** the case task of a hold about to lapse */
  expiryTask: (stopId: string, deadline: string) => `stop-expiry:${stopId}:${deadline}`,
  /** the case task of an appeal */
  appealTask: (appealId: string) => `appeal:${appealId}`,
  /** a notice to the holder */
  notice: (stopId: string, kind: string) => `${stopId}:${kind}`,
} as const;
