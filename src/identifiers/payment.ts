/**
 * PAYMENT_ACCOUNT: only with an explicit kind and a provider prefix, `<provider>:<account>`. Providers and the
 * aliases accepted for them: alipay (支付宝, zfb), wechatpay (微信支付, wxpay, weixinpay, tenpay), unionpay (云闪付),
 * paypal. The account part is normalised as a phone (E.164), an e-mail, or kept as written (NFKC, trimmed).
 */
import { accept, reject, type NormalizeResult } from './kinds';
import { fold } from './text';
import { normalizePhone } from './phone';
import { normalizeEmail } from './email';

const PROVIDERS: Record<string, string> = {
  alipay: 'alipay',
  支付宝: 'alipay',
  zfb: 'alipay',
  wechatpay: 'wechatpay',
  微信支付: 'wechatpay',
  wxpay: 'wechatpay',
  weixinpay: 'wechatpay',
  tenpay: 'wechatpay',
  unionpay: 'unionpay',
  云闪付: 'unionpay',
  paypal: 'paypal',
};

export function normalizePaymentAccount(raw: string, region?: string): NormalizeResult {
  const s = fold(raw).trim();
  if (!s) return reject('EMPTY', 'empty payment account');
  const m = /^([^:\s]{2,12})\s*:\s*(.*)$/.exec(s);
  if (!m) return reject('MISSING_PROVIDER', 'expected provider:account, e.g. alipay:13800138000');
  const provider = PROVIDERS[m[1].toLowerCase()];
  if (!provider) return reject('UNKNOWN_PROVIDER', `unknown provider ${m[1]}`);
  const acct = m[2].trim();
  if (!acct) return reject('EMPTY', 'empty account after provider');
  let value: string;
  const phone = /^\+?[\d\s-]{7,20}$/.test(acct) ? normalizePhone(acct, region) : undefined;
  const email = acct.includes('@') ? normalizeEmail(acct) : undefined;
  if (phone?.ok) value = phone.identifier.value;
  else if (email?.ok) value = email.identifier.value;
  else {
    if (acct.length > 128) return reject('TOO_LONG', 'account longer than 128 characters');
    if (/\s/.test(acct)) return reject('UNKNOWN_FORMAT', 'whitespace inside account');
    value = acct;
  }
  return accept({
    kind: 'PAYMENT_ACCOUNT',
    value: `${provider}:${value}`,
    display: `${provider}:${acct}`,
    attributes: { provider },
  });
}
