/**
 * Payment accounts in free text: Alipay / WeChat Pay / UnionPay QuickPass accounts as people write them in
 * Chinese narratives — "支付宝账号 13800138000 / abc@163.com", "微信收款码：wxid_abc123", "支付宝：abc@163.com",
 * "云闪付 13800138000". A provider keyword (optionally followed by 账号/收款码/号 …, a colon or 是) introduces a
 * list of accounts separated by / 、 , 或; each account becomes a PAYMENT_ACCOUNT `<provider>:<account>` (payment.ts)
 * beside the PHONE, EMAIL or WECHAT_ID it also is. Alipay accounts are a phone or an e-mail (its login ids);
 * WeChat Pay also takes a WeChat ID. A number that is no valid phone, or a masked one ("138****8000"), is none.
 */
import type { ExtractHit } from './extract-types';
import type { NormalizeResult, NormalizedIdentifier } from './kinds';
import { fold } from './text';
import { normalizePhone } from './phone';
import { normalizeEmail } from './email';
import { normalizeWechatId } from './im';
import { normalizePaymentAccount } from './payment';

/** Latin keywords are whole words ("alipay_user@163.com" is an e-mail, not a keyword). */
const latin = (words: string) => `(?<![A-Za-z0-9_.@-])(?:${words})(?![A-Za-z0-9_.@-])`;
const PROVIDER =
  `(支付宝|支付寶|${latin('Alipay|alipay|ALIPAY|zfb|ZFB')})|` +
  `(微信支付|微信收款|微信转账|微信轉賬|微信钱包|财付通|財付通|${latin('WeChat ?Pay|Wechat ?Pay|wechat ?pay')})|(云闪付|雲閃付)`;
const SUFFIX = '(?:的)?(?:收款)?(?:账号|賬號|帐号|账户|賬戶|帐户|二维码|二維碼|码|碼|号|號|ID|id)?';
/** the keyword, then at most 4 separators: what must come before the first account */
const KEYWORD = new RegExp(`(?:${PROVIDER})${SUFFIX}[\\s:：=是为為(（]{0,4}`, 'g');
const DIGIT = '[0-9０-９]';
const ACCOUNT = new RegExp(
  // a phone (digits in at most 4 groups), an e-mail, or a WeChat-ID-shaped word
  `(?:([+＋]?${DIGIT}{2,14}(?:[ \\-－]${DIGIT}{1,8}){0,3})|([A-Za-z0-9._%+\\-]{1,64}[@＠][A-Za-z0-9\\-]{1,63}(?:\\.[A-Za-z0-9\\-]{1,63}){1,8})|([A-Za-z][-_A-Za-z0-9]{5,29}))`,
  'y',
);
/** between two accounts of one list */
const LIST_SEP = /\s*(?:[/／、,，;；]|或者?|or)\s*/y;
const PROVIDERS = ['alipay', 'wechatpay', 'unionpay'] as const;

/** Confidence of a payment account found after its keyword (and of the phone / e-mail / ID it also is). */
const CONFIDENCE = 0.85;

/** The identifier `raw` is, and how many of its characters it took; undefined when it is none. */
function accountOf(
  raw: string,
  kind: 'PHONE' | 'EMAIL' | 'WORD',
  region: string,
): { id: NormalizedIdentifier; length: number } | undefined {
  let r: NormalizeResult;
  let length = raw.length;
  if (kind === 'PHONE') {
    r = normalizePhone(fold(raw), region);
    // "13800138000 2000": the list ran into the next number; the first group alone may be the phone
    if (!r.ok && /[ \-－]/.test(raw)) {
      length = raw.split(/[ \-－]/)[0].length;
      r = normalizePhone(fold(raw.slice(0, length)), region);
    }
    if (r.ok && r.identifier.attributes?.service === true) return undefined;
  } else if (kind === 'EMAIL') r = normalizeEmail(fold(raw));
  else r = normalizeWechatId(raw, region);
  return r.ok ? { id: r.identifier, length } : undefined;
}

/** The payment accounts of `text` (and the phone, e-mail or WeChat ID each is), as extraction hits. */
export function paymentAccountHits(text: string, region: string): ExtractHit[] {
  const hits: ExtractHit[] = [];
  KEYWORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = KEYWORD.exec(text)) !== null) {
    const provider = PROVIDERS[m[1] ? 0 : m[2] ? 1 : 2];
    let at = KEYWORD.lastIndex;
    for (;;) {
      ACCOUNT.lastIndex = at;
      const a = ACCOUNT.exec(text);
      if (!a) break;
      const kind = a[1] ? 'PHONE' : a[2] ? 'EMAIL' : 'WORD';
      // a masked number ("138****8000") is no account; a word is one only for WeChat Pay (a WeChat ID)
      if (text.charCodeAt(ACCOUNT.lastIndex) === 0x2a || (kind === 'WORD' && provider !== 'wechatpay')) break;
      const found = accountOf(a[0], kind, region);
      if (!found) break;
      const end = at + found.length;
      const pay = normalizePaymentAccount(`${provider}:${found.id.value}`, region);
      if (pay.ok) hits.push({ ...pay.identifier, start: at, end, confidence: CONFIDENCE });
      hits.push({ ...found.id, start: at, end, confidence: CONFIDENCE });
      LIST_SEP.lastIndex = end;
      if (!LIST_SEP.test(text)) break;
      at = LIST_SEP.lastIndex;
    }
    KEYWORD.lastIndex = Math.max(KEYWORD.lastIndex, at);
  }
  return hits;
}
