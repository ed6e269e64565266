import { registerEnumType } from '@nestjs/graphql';
import { RiskLevelValue } from './risk';

/** How the fraudster reached the victim. */
export enum ContactChannel {
  PHONE_CALL = 'PHONE_CALL',
  SMS = 'SMS',
  WECHAT = 'WECHAT',
  QQ = 'QQ',
  OTHER_IM = 'OTHER_IM',
  WEBSITE = 'WEBSITE',
  APP = 'APP',
  EMAIL = 'EMAIL',
  SOCIAL_MEDIA = 'SOCIAL_MEDIA',
  IN_PERSON = 'IN_PERSON',
  OTHER = 'OTHER',
}
registerEnumType(ContactChannel, { name: 'ContactChannel' });

export enum PaymentMethod {
  NONE = 'NONE',
  BANK_TRANSFER = 'BANK_TRANSFER',
  ALIPAY = 'ALIPAY',
  WECHAT_PAY = 'WECHAT_PAY',
  CRYPTO = 'CRYPTO',
  CASH = 'CASH',
  GIFT_CARD = 'GIFT_CARD',
  OTHER = 'OTHER',
}
registerEnumType(PaymentMethod, { name: 'PaymentMethod' });

/** The GraphQL face of the identifier library's kinds (src/identifiers/kinds.ts: same values). */
export enum IdentifierKind {
  PHONE = 'PHONE',
  BANK_ACCOUNT = 'BANK_ACCOUNT',
  PAYMENT_ACCOUNT = 'PAYMENT_ACCOUNT',
  URL = 'URL',
  DOMAIN = 'DOMAIN',
  WECHAT_ID = 'WECHAT_ID',
  QQ_ID = 'QQ_ID',
  EMAIL = 'EMAIL',
  CRYPTO_WALLET = 'CRYPTO_WALLET',
  IP = 'IP',
  APP = 'APP',
}
registerEnumType(IdentifierKind, { name: 'IdentifierKind' });

export enum AgeBand {
  UNDER_18 = 'UNDER_18',
  AGE_18_29 = 'AGE_18_29',
  AGE_30_44 = 'AGE_30_44',
  AGE_45_59 = 'AGE_45_59',
  AGE_60_PLUS = 'AGE_60_PLUS',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(AgeBand, { name: 'AgeBand' });

export { RiskLevelValue as RiskLevel };
registerEnumType(RiskLevelValue, {
  name: 'RiskLevel',
  description: 'Public risk of an identifier (docs/reporting-and-import.md, "Risk scoring").',
  valuesMap: {
    NONE: { description: 'No report carries the value, or it is warninglisted (an official number).' },
    LOW: { description: 'Reported, with a decayed score below 2.' },
    MEDIUM: { description: 'A decayed score from 2.' },
    HIGH: { description: 'A decayed score from 5 and at least 3 distinct reporters.' },
    CONFIRMED: {
      description: 'Confirmed fraudulent by an investigator. Planned: no operation sets it yet (it comes with cases).',
    },
  },
});

/** Where a report came from: the public API or one of the bulk-import formats. */
export const REPORT_SOURCES = ['public', 'ftc-dnc', 'tw165', 'etherscamdb', 'jsonl'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

/**
 * Public timeline of a report: stored, linked into a series, taken into a case, the case closed.
 */
export enum ReportStatus {
  RECEIVED = 'RECEIVED',
  LINKED = 'LINKED',
  CASE_OPENED = 'CASE_OPENED',
  CLOSED = 'CLOSED',
}
registerEnumType(ReportStatus, {
  name: 'ReportStatus',
  description: 'Where a public report stands.',
  valuesMap: {
    RECEIVED: {
      description: 'Stored (and soon counted into lookups); not, or not yet, in a cluster with any other report.',
    },
    LINKED: {
      description:
        'In a cluster with at least one other report: another report names the same number, account, site or ' +
        'wallet, which helps investigators see a series.',
    },
    CASE_OPENED: { description: 'Investigators are working on it as part of a case.' },
    CLOSED: { description: 'The case that held it is closed (solved, unsolved or transferred to another agency).' },
  },
});

/** What a public date of `lookup` is the start of (Asia/Shanghai). */
export enum DatePrecision {
  MONTH = 'MONTH',
  DAY = 'DAY',
}
registerEnumType(DatePrecision, {
  name: 'DatePrecision',
  description: 'Dates given as the start (00:00 Asia/Shanghai) of their month or day, never as exact times.',
});
