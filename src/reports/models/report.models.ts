import { Field, ObjectType } from '@nestjs/graphql';
import { FraudType } from '../../reference/enums';
import { DatePrecision, IdentifierKind, ReportStatus, RiskLevel } from '../enums';

@ObjectType({ description: 'An identifier in canonical form (value) and as people write it (display).' })
export class NormalizedIdentifier {
  @Field(() => IdentifierKind)
  kind: IdentifierKind;

  @Field({ description: 'Canonical value: the linking key.' })
  value: string;

  @Field()
  display: string;
}

@ObjectType({ description: 'A public text in both languages, with a stable code (e.g. REPEAT_REPORT).' })
export class Notice {
  @Field({ description: 'Stable code of the kind of text, e.g. WARNINGLISTED_IDENTIFIER, RISK_DECAYED.' })
  code: string;

  @Field({ description: '简体中文' })
  zh: string;

  @Field({ description: 'English' })
  en: string;
}

@ObjectType({ description: 'What a reporter gets back: keep the tracking code to follow the report.' })
export class ReportReceipt {
  @Field({ description: 'Tracking code, e.g. K7QX-M2PD-9HTR-4WZC (16 symbols, the last one a check symbol).' })
  trackingCode: string;

  @Field({ description: 'RECEIVED: the report is stored. Follow it with reportStatus(trackingCode).' })
  status: string;

  @Field(() => [NormalizedIdentifier], { description: 'Identifiers typed in and found in the narrative.' })
  identifiers: NormalizedIdentifier[];

  @Field(() => [String], { description: 'What to know about the report as stored, in the chosen Language.' })
  warnings: string[];

  @Field(() => [Notice], { description: 'The same warnings in both languages, each with its code.' })
  notices: Notice[];
}

@ObjectType()
export class PublicTimelineEntry {
  @Field(() => ReportStatus)
  status: ReportStatus;

  @Field(() => Date, {
    nullable: true,
    description: 'When the report reached this state; null for LINKED (the moment of linking is not recorded).',
  })
  at: Date | null;
}

@ObjectType({ description: 'The public view of a report: its timeline only, nothing about other reports or staff.' })
export class PublicReportStatus {
  @Field()
  trackingCode: string;

  @Field(() => ReportStatus)
  status: ReportStatus;

  @Field()
  receivedAt: Date;

  @Field(() => FraudType)
  fraudType: FraudType;

  @Field(() => [PublicTimelineEntry])
  timeline: PublicTimelineEntry[];
}

@ObjectType()
export class LookupResult {
  @Field(() => NormalizedIdentifier, {
    nullable: true,
    description:
      'The value as read. A value that is not a recognisable identifier is refused instead: BAD_USER_INPUT with ' +
      'extensions.reason NOT_AN_IDENTIFIER and extensions.identifierReason (EMPTY, UNKNOWN_FORMAT, AMBIGUOUS, ' +
      'UNSUPPORTED_SCHEME, INVALID_PHONE ...).',
  })
  identifier: NormalizedIdentifier | null;

  @Field(() => RiskLevel)
  riskLevel: RiskLevel;

  @Field({ description: 'k-anonymous band of distinct reporters: "0", "<5", "5-19", "20-99", "100+" (k = 5).' })
  reportCountBand: string;

  @Field(() => [FraudType])
  fraudTypes: FraudType[];

  @Field(() => Date, {
    nullable: true,
    description:
      'When the earliest reported fraud happened, never as an exact time: the start (00:00 Asia/Shanghai) of ' +
      'its month while fewer than k people reported the identifier (reportCountBand "<5"), of its day from k ' +
      'reporters on (see reportedAtPrecision). null without reports.',
  })
  firstReportedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'The latest reported fraud, as firstReportedAt.' })
  lastReportedAt: Date | null;

  @Field(() => DatePrecision, {
    nullable: true,
    description: 'What firstReportedAt/lastReportedAt are the start of: MONTH below k reporters, else DAY.',
  })
  reportedAtPrecision: DatePrecision | null;

  @Field(() => String, {
    nullable: true,
    description:
      'In the chosen Language: the official owner of a warninglisted value, or why the risk is low although ' +
      'many people reported the identifier (their reports are old: risk decays).',
  })
  note: string | null;

  @Field(() => Notice, { nullable: true, description: 'The note in both languages, with its code.' })
  notice: Notice | null;
}
