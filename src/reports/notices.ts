import { registerEnumType } from '@nestjs/graphql';
import { NOTICE_TEXT, type IdentifierNotice } from '../identifiers';

/** The language of the texts of the public answers (receipt warnings, lookup notes). */
export enum Language {
  ZH = 'ZH',
  EN = 'EN',
}
registerEnumType(Language, {
  name: 'Language',
  description:
    'Language of the public texts (receipt warnings, lookup note). Chosen by the `language` argument, else the ' +
    "request's Accept-Language (zh or en, the client's first preference), else ZH.",
  valuesMap: { ZH: { description: '简体中文' }, EN: { description: 'English' } },
});

/**
 * One public text in both languages, with a stable code a client may key on (e.g. to show its own wording).
 * Every warning of a receipt and the note of a lookup is one of the notices built below: a new kind of
 * warning is a new function here, with both texts.
 */
export interface Notice {
  code: string;
  zh: string;
  en: string;
}

export const notices = {
  warninglisted: (display: string, kind: string, noteZh: string, noteEn: string): Notice => ({
    code: 'WARNINGLISTED_IDENTIFIER',
    zh: `${display}：${noteZh}；作为证据保留，不计入该${KIND_ZH[kind] ?? '标识'}的举报`,
    en: `${display}: ${noteEn}; it is kept as evidence and never counted against this ${kind.toLowerCase()}`,
  }),
  /** An identifier kept in a weaker form than usual: a URL without a DOMAIN, a wallet no check knows. */
  identifierKept: (display: string, notice: IdentifierNotice): Notice => ({
    code: notice,
    zh: `${display}：${NOTICE_TEXT[notice].zh}`,
    en: `${display}: ${NOTICE_TEXT[notice].en}`,
  }),
  idNumberRemoved: (): Notice => ({
    code: 'ID_NUMBER_REMOVED',
    zh: '描述中的身份证号已删除：身份证号从不保存',
    en: 'ID card numbers were removed from the narrative: they are never stored',
  }),
  narrativeIdentifiersCapped: (max: number): Notice => ({
    code: 'NARRATIVE_IDENTIFIERS_CAPPED',
    zh: `只保留了描述中的前 ${max} 个标识`,
    en: `only the first ${max} identifiers of the narrative were kept`,
  }),
  repeatReport: (): Notice => ({
    code: 'REPEAT_REPORT',
    zh: '您在 24 小时内举报过相同的标识：本次记为您上次举报的重复，不另计一名受害人',
    en: 'You reported the same identifiers within 24 hours: recorded as a repeat of your earlier report',
  }),
  /** A warninglisted identifier looked up: whose official number/site it is. */
  officialIdentifier: (noteZh: string, noteEn: string): Notice => ({
    code: 'WARNINGLISTED_IDENTIFIER',
    zh: noteZh,
    en: noteEn,
  }),
  /** Many reports, a low risk: the reports are old and their weight has decayed. */
  riskDecayed: (band: string, lastMonth: string, was: string, now: string, halfLifeDays: number): Notice => ({
    code: 'RISK_DECAYED',
    zh:
      `${band} 人举报过，最近一次在 ${lastMonth}。举报的分量随时间减弱（每 ${halfLifeDays} 天减半）：` +
      `当时风险为${RISK_ZH[was] ?? was}，现在为${RISK_ZH[now] ?? now}。号码可能已换人使用，仍请谨慎。`,
    en:
      `Reported by ${band} people, most recently in ${lastMonth}. Reports weigh less as they age (half as much ` +
      `every ${halfLifeDays} days): the risk was ${was} then and is ${now} today. The number may have a new ` +
      'owner; stay careful.',
  }),
};

/** A stored receipt warning from before notices had codes (English only). */
export const legacyNotice = (text: string): Notice => ({ code: 'NOTE', zh: text, en: text });

export const textOf = (n: Notice, lang: Language): string => (lang === Language.EN ? n.en : n.zh);

const KIND_ZH: Record<string, string> = {
  PHONE: '号码',
  BANK_ACCOUNT: '银行账户',
  PAYMENT_ACCOUNT: '支付账户',
  URL: '网址',
  DOMAIN: '域名',
  WECHAT_ID: '微信号',
  QQ_ID: 'QQ 号',
  EMAIL: '邮箱',
  CRYPTO_WALLET: '钱包地址',
  IP: 'IP 地址',
  APP: '应用',
};
const RISK_ZH: Record<string, string> = { NONE: '无', LOW: '低', MEDIUM: '中', HIGH: '高', CONFIRMED: '已确认' };
