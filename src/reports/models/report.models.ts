import { Field, ObjectType } from '@nestjs/graphql';
import { FraudType } from '../../reference/enums';
import { IdentifierKind, ReportStatus, RiskLevel } from '../enums';

@ObjectType({ description: 'An identifier in canonical form (value) and as people write it (display).' })
export class NormalizedIdentifier {
  @Field(() => IdentifierKind)
  kind: IdentifierKind;

  @Field({ description: 'Canonical value: the linking key.' })
  value: string;

  @Field()
  display: string;
}

@ObjectType({ description: 'What a reporter gets back: keep the tracking code to follow the report.' })
export class ReportReceipt {
  @Field({ description: 'Tracking code, e.g. K7QX-M2PD-9HTR-4WZC (16 symbols, the last one a check symbol).' })
  trackingCode: string;

  @Field({ description: 'RECEIVED for a new report; the current status when a clientRequestId is replayed.' })
  status: string;

  @Field(() => [NormalizedIdentifier], { description: 'Identifiers typed in and found in the narrative.' })
  identifiers: NormalizedIdentifier[];

  @Field(() => [String])
  warnings: string[];
}

@ObjectType()
export class PublicTimelineEntry {
  @Field(() => ReportStatus)
  status: ReportStatus;

  @Field()
  at: Date;
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

  @Field(() => Date, { nullable: true })
  firstReportedAt: Date | null;

  @Field(() => Date, { nullable: true })
  lastReportedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'e.g. the official owner of a warninglisted number.' })
  note: string | null;
}
