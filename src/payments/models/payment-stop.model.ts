import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { MoneyScalar } from '../../common/graphql/money.scalar';

export enum PaymentStopStatus {
  REQUESTED = 'REQUESTED',
  SENT = 'SENT',
  CONFIRMED = 'CONFIRMED',
  REJECTED = 'REJECTED',
  EXPIRED = 'EXPIRED',
  RELEASED = 'RELEASED',
  FREEZE_REQUESTED = 'FREEZE_REQUESTED',
  FROZEN = 'FROZEN',
}
registerEnumType(PaymentStopStatus, {
  name: 'PaymentStopStatus',
  description:
    'REQUESTED (queued for the bank) → SENT (the bank took it) → CONFIRMED (money held 48 h) or REJECTED; ' +
    'CONFIRMED → EXPIRED after 48 h, RELEASED on an upheld appeal; FREEZE_REQUESTED (awaiting a second ' +
    'supervisor, then the bank) → FROZEN (6 months, renewable).',
});

export enum StopMessageType {
  STOP = 'STOP',
  FREEZE = 'FREEZE',
  RELEASE = 'RELEASE',
}
registerEnumType(StopMessageType, { name: 'StopMessageType' });

export enum StopMessageStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
  ANSWERED = 'ANSWERED',
}
registerEnumType(StopMessageStatus, {
  name: 'StopMessageStatus',
  description:
    'PENDING (being delivered, retried on timeouts and 5xx), SENT (the bank answered 2xx), FAILED (refused ' +
    'with a 4xx, or every retry used up), ANSWERED (the bank called back).',
});

export enum StopAppealStatus {
  FILED = 'FILED',
  UNDER_REVIEW = 'UNDER_REVIEW',
  RELEASE_SENT = 'RELEASE_SENT',
  RELEASED = 'RELEASED',
  KEPT = 'KEPT',
}
registerEnumType(StopAppealStatus, {
  name: 'StopAppealStatus',
  description:
    'FILED → UNDER_REVIEW (a task on the case) → KEPT, or RELEASE_SENT (asked the bank) → RELEASED (the bank ' +
    'released the money).',
});

export enum PublicAppealState {
  FILED = 'FILED',
  UNDER_REVIEW = 'UNDER_REVIEW',
  RELEASED = 'RELEASED',
  KEPT = 'KEPT',
}
registerEnumType(PublicAppealState, {
  name: 'PublicAppealState',
  description: 'Where an appeal stands, as its filer sees it (a release is UNDER_REVIEW until the bank did it).',
});

@ObjectType({ description: 'One message to the bank (Standard Webhooks v1; `id` is the webhook-id).' })
export class StopMessage {
  @Field(() => ID)
  id: string;

  @Field(() => StopMessageType)
  type: StopMessageType;

  @Field(() => StopMessageStatus)
  status: StopMessageStatus;

  @Field(() => Int)
  attempts: number;

  @Field()
  createdAt: Date;

  @Field({ nullable: true })
  sentAt?: Date;

  @Field({ nullable: true })
  failedAt?: Date;

  @Field({ nullable: true, description: 'Why the last attempt failed (HTTP status or network error).' })
  lastError?: string;

  @Field({ nullable: true, description: 'CONFIRMED or REJECTED, once the bank called back.' })
  outcome?: string;
}

@ObjectType({ description: 'A requested (or renewing) account freeze.' })
export class StopFreeze {
  @Field(() => ID)
  requestedBy: string;

  @Field()
  requestedAt: Date;

  @Field()
  reason: string;

  @Field({ description: 'A renewal of a freeze in force.' })
  renewal: boolean;

  @Field(() => ID, { nullable: true, description: 'The approving supervisor (never the requester).' })
  approvedBy?: string;

  @Field({ nullable: true })
  approvedAt?: Date;
}

@ObjectType({ description: 'An urgent payment stop (紧急止付) on one account, within a case.' })
export class PaymentStop {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  caseId: string;

  @Field()
  caseNumber: string;

  @Field(() => PaymentStopStatus)
  status: PaymentStopStatus;

  @Field({ description: '账号 (digits).' })
  accountNumber: string;

  @Field({ description: '户名.' })
  accountHolderName: string;

  @Field(() => MoneyScalar, { description: '金额 asked to stop.' })
  amount: number;

  @Field(() => MoneyScalar, { nullable: true, description: 'What the bank stopped (may be less than asked).' })
  stoppedAmount?: number;

  @Field({ description: '交易时间.' })
  transactionAt: Date;

  @Field()
  bankCode: string;

  @Field(() => Int, { description: 'The stop’s place among the account’s (at most two) stops in the case.' })
  slot: number;

  @Field(() => ID)
  requestedBy: string;

  @Field()
  requestedAt: Date;

  @Field({ nullable: true })
  sentAt?: Date;

  @Field({ nullable: true })
  confirmedAt?: Date;

  @Field({ nullable: true })
  rejectionReason?: string;

  @Field({ nullable: true, description: 'When the hold in force (stop or freeze) lapses.' })
  expiresAt?: Date;

  @Field({ nullable: true, description: 'When the case owner is (or was) warned of the lapse.' })
  warnAt?: Date;

  @Field({ nullable: true })
  warnedAt?: Date;

  @Field({ nullable: true })
  frozenUntil?: Date;

  @Field({ nullable: true })
  releasedAt?: Date;

  @Field(() => StopFreeze, { nullable: true })
  freeze?: StopFreeze;

  @Field(() => [StopMessage])
  messages: StopMessage[];

  @Field(() => ID, { nullable: true })
  appealId?: string;

  @Field()
  updatedAt: Date;
}

@ObjectType({ description: 'An account holder’s appeal against a stop.' })
export class StopAppeal {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  stopId: string;

  @Field(() => ID)
  caseId: string;

  @Field(() => StopAppealStatus)
  status: StopAppealStatus;

  @Field({ description: 'The filer’s tracking code.' })
  trackingCode: string;

  @Field()
  holderName: string;

  @Field({ description: 'How to reach the filer.' })
  contact: string;

  @Field()
  reason: string;

  @Field()
  filedAt: Date;

  @Field({ description: 'The case task’s deadline.' })
  dueAt: Date;

  @Field(() => ID, { nullable: true })
  resolvedBy?: string;

  @Field({ nullable: true })
  resolvedAt?: Date;

  @Field({ nullable: true })
  release?: boolean;

  @Field({ nullable: true })
  resolution?: string;
}

@ObjectType({ description: 'Keep the tracking code: appealStatus(trackingCode) tells where the appeal stands.' })
export class AppealReceipt {
  @Field({ description: 'e.g. K7QX-M2PD-9HTR-4WZC' })
  trackingCode: string;

  @Field(() => PublicAppealState)
  status: PublicAppealState;

  @Field()
  filedAt: Date;
}

@ObjectType({ description: 'Where an appeal stands (no personal data).' })
export class PublicAppealStatus {
  @Field(() => PublicAppealState)
  status: PublicAppealState;

  @Field()
  filedAt: Date;

  @Field({ description: 'When it last changed.' })
  updatedAt: Date;
}
