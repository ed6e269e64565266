/**
 * Why a value is not an identifier, in words a person understands (Chinese first, then English), for answers
 * that refuse a value (the public lookup). The value itself is never repeated: it may be personal data.
 */
import type { RejectReason } from './kinds';

export const REJECT_REASON_TEXT: Record<RejectReason, { zh: string; en: string }> = {
  EMPTY: { zh: '内容为空', en: 'the value is empty' },
  TOO_SHORT: { zh: '长度太短', en: 'too short for its kind' },
  TOO_LONG: { zh: '长度太长', en: 'too long for its kind' },
  BAD_CHECKSUM: { zh: '校验位不符，可能输错了一位', en: 'its check digits do not match (a mistyped character?)' },
  UNKNOWN_FORMAT: {
    zh: '无法识别为电话、账号、网址、邮箱、钱包等',
    en: 'not readable as a phone number, account, URL, e-mail, wallet or other identifier',
  },
  AMBIGUOUS: {
    zh: '可能是多种类型（如微信号、QQ号、应用名），请选择类型',
    en: 'could be several kinds (a WeChat ID, a QQ number, an app name ...): choose the kind',
  },
  INVALID_PHONE: { zh: '不是有效的电话号码', en: 'not a valid phone number' },
  UNSUPPORTED_KIND: { zh: '不支持的类型', en: 'not a supported kind' },
  PERSONAL_DATA: { zh: '这是身份证号码，属于个人信息，不能查询', en: 'a resident ID number is personal data' },
  INVALID_CHARACTER: { zh: '含有控制字符', en: 'it contains control characters' },
  UNSUPPORTED_SCHEME: {
    zh: '只支持 http/https 网址',
    en: 'only http and https URLs are identifiers (not javascript:, data:, ftp: ...)',
  },
  NOT_REGISTRABLE: {
    zh: '该域名在公共后缀列表中没有可注册域名',
    en: 'the name has no registrable domain under the public suffix list',
  },
  NOT_PUBLIC: { zh: '不是公网 IP 地址', en: 'not a public IP address' },
  MISSING_PROVIDER: { zh: '请写明支付平台，如 alipay:账号', en: 'name the provider, e.g. alipay:<account>' },
  UNKNOWN_PROVIDER: { zh: '未知的支付平台', en: 'unknown payment provider' },
  INVALID_BIC: { zh: 'SWIFT/BIC 代码格式错误', en: 'the SWIFT/BIC code is malformed' },
};
