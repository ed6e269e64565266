/**
 * WECHAT_ID and QQ_ID.
 * WeChat IDs (微信号) are 6–20 characters, start with a letter, then letters, digits, '_' or '-'; WeChat treats
 * them case-insensitively, so the canonical value is lower-case. Internal `wxid_…` ids are accepted as they are.
 * A WeChat account may be found by its bound mobile number: a valid phone number given as a WeChat ID is keyed by
 * its E.164 form (`attributes.phoneNumber = true`), so "微信同号" and the PHONE share the same digits.
 * QQ numbers are 5–11 digits without a leading zero (10000 is the smallest); `123456@qq.com` also gives 123456.
 */
import { accept, reject, type NormalizeResult } from './kinds';
import { fold } from './text';
import { normalizePhone } from './phone';

export function normalizeWechatId(raw: string, region?: string): NormalizeResult {
  const s = fold(raw).trim();
  if (!s) return reject('EMPTY', 'empty WeChat ID');
  if (/^\+?[\d\s-]{7,20}$/.test(s)) {
    const phone = normalizePhone(s, region);
    if (phone.ok && !phone.identifier.value.startsWith('CN:')) {
      return accept({
        kind: 'WECHAT_ID',
        value: phone.identifier.value,
        display: phone.identifier.display,
        attributes: { phoneNumber: true },
      });
    }
    return reject('UNKNOWN_FORMAT', 'digits that are not a valid mobile number');
  }
  if (/^wxid_[a-z0-9]{6,30}$/i.test(s)) return accept({ kind: 'WECHAT_ID', value: s.toLowerCase(), display: s });
  if (!/^[A-Za-z][-_A-Za-z0-9]*$/.test(s)) return reject('UNKNOWN_FORMAT', 'not a WeChat ID');
  if (s.length < 6) return reject('TOO_SHORT', `${s.length} characters, 6–20 expected`);
  if (s.length > 20) return reject('TOO_LONG', `${s.length} characters, 6–20 expected`);
  return accept({ kind: 'WECHAT_ID', value: s.toLowerCase(), display: s });
}

export function normalizeQqId(raw: string): NormalizeResult {
  let s = fold(raw).trim().replace(/[\s-]/g, '');
  const mail = /^(\d+)@qq\.com$/i.exec(s);
  if (mail) s = mail[1];
  if (!s) return reject('EMPTY', 'empty QQ number');
  if (!/^\d+$/.test(s)) return reject('UNKNOWN_FORMAT', 'a QQ number has digits only');
  if (s.startsWith('0')) return reject('UNKNOWN_FORMAT', 'leading zero');
  if (s.length < 5) return reject('TOO_SHORT', `${s.length} digits, 5–11 expected`);
  if (s.length > 11) return reject('TOO_LONG', `${s.length} digits, 5–11 expected`);
  return accept({ kind: 'QQ_ID', value: s, display: s });
}
