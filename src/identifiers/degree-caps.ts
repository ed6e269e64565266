/**
 * Per-kind degree caps: an identifier seen in more than N reports stops linking (it becomes a HUB). MISP's
 * warninglist default of 100 is the anchor; each kind moves from it according to how shared its values
 * legitimately are and how many victims one real scam identifier reaches.
 */
import { IDENTIFIER_KINDS, isIdentifierKind, type IdentifierKind } from './kinds';

export const DEFAULT_DEGREE_CAPS: Record<IdentifierKind, number> = {
  /** 100 (anchor): scam numbers are rotated within days; beyond ~100 reports it is usually a spoofed or
   * official number that scammers impersonate (the FTC file's most-reported number has 42 complaints a day). */
  PHONE: 100,
  /** 200: a money-mule account collects from many victims before it is frozen, so genuine accounts have a
   * higher degree than phones; settlement accounts of payment processors are what the cap guards against. */
  BANK_ACCOUNT: 200,
  /** 100 (anchor): collection accounts on Alipay/WeChat Pay behave like phones (bound to one, frozen fast). */
  PAYMENT_ACCOUNT: 100,
  /** 500: a full URL names one scam page; mass SMS phishing sends one URL to thousands, and platform URLs are
   * already distinct per post, so a URL can legitimately link many reports. */
  URL: 500,
  /** 200: one scam domain hosts many pages; shared infrastructure (platforms, shorteners) is warninglisted
   * already, so the cap only has to stop unknown shared hosts. */
  DOMAIN: 200,
  /** 100 (anchor): like phones, an IM account is one scammer persona. */
  WECHAT_ID: 100,
  /** 100 (anchor): as WECHAT_ID. */
  QQ_ID: 100,
  /** 100 (anchor): one sender mailbox; free-mail domains are not the identifier, the address is. */
  EMAIL: 100,
  /** 250: laundering wallets (USDT-TRC20 especially) collect from many victims — EtherScamDB's largest cluster
   * has 40 reports — but exchange deposit and hot wallets are shared by unrelated scams and must stop linking. */
  CRYPTO_WALLET: 250,
  /** 20: IPs are shared by NAT, VPNs, cloud and CDN hosting; only a small degree is evidence of one actor. */
  IP: 20,
  /** 50: app display names collide ("XX理财", "客服") and white-label scam apps reuse names across gangs. */
  APP: 50,
};

/**
 * Parses an env value such as 'PHONE=50,URL=200' over the defaults. Whitespace and empty tokens are ignored;
 * every other token must be KIND=positive integer, else an Error naming the bad token is thrown.
 */
export function parseDegreeCaps(spec: string | undefined): Record<IdentifierKind, number> {
  const caps: Record<IdentifierKind, number> = { ...DEFAULT_DEGREE_CAPS };
  if (spec === undefined) return caps;
  for (const raw of spec.split(',')) {
    const token = raw.trim();
    if (!token) continue;
    const m = /^([A-Z_]+)\s*=\s*(\d+)$/.exec(token);
    if (!m || !isIdentifierKind(m[1])) {
      throw new Error(
        `invalid degree cap token "${token}": expected KIND=N with KIND one of ${IDENTIFIER_KINDS.join(', ')}`,
      );
    }
    const n = Number(m[2]);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new Error(`invalid degree cap token "${token}": N must be a positive integer`);
    caps[m[1]] = n;
  }
  return caps;
}
