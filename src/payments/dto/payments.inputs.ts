import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsDate, IsInt, IsString, Matches, MaxLength, Min } from 'class-validator';
import { MoneyScalar } from '../../common/graphql/money.scalar';
import { IsIdText, IsLineText, IsNameText, IsReasonText } from '../../common/graphql/text.rules';

@InputType({ description: 'An urgent payment stop (紧急止付): the four fields the bank verifies, and the bank.' })
export class PaymentStopInput {
  @Field(() => ID)
  @IsIdText(100)
  caseId: string;

  @Field({
    description: '账号: account or card number (digits; spaces and dashes are ignored; cards are Luhn-checked).',
  })
  @IsString()
  @MaxLength(64)
  accountNumber: string;

  @Field({ description: '户名: the account holder’s name as the bank has it.' })
  @IsNameText(100)
  accountHolderName: string;

  /** Integer fen (the Money scalar has parsed the decimal yuan). */
  @Field(() => MoneyScalar, { description: '金额: the amount to stop (more than 0).' })
  @IsInt()
  @Min(1, { message: 'amount must be more than 0' })
  amount: number;

  @Field(() => Date, { description: '交易时间: when the money left (not in the future, at most 90 days ago).' })
  @IsDate()
  transactionAt: Date;

  @Field({ description: 'The bank, by its configured code (BANK_ENDPOINTS).' })
  @IsString()
  @MaxLength(20)
  bankCode: string;
}

@ArgsType()
export class RequestFreezeArgs {
  @Field(() => ID)
  @IsIdText(100)
  stopId: string;

  @Field({ description: 'Why the account must be frozen (kept in the audit log and on the case).' })
  @IsReasonText(500, 3)
  reason: string;
}

@ArgsType()
export class StopIdArgs {
  @Field(() => ID)
  @IsIdText(100)
  stopId: string;
}

@ArgsType()
export class ResolveAppealArgs {
  @Field(() => ID)
  @IsIdText(100)
  appealId: string;

  @Field({ description: 'true: ask the bank to release the stopped money; false: keep the stop.' })
  @IsBoolean()
  release: boolean;

  @Field()
  @IsReasonText(1000, 3)
  reason: string;
}

@InputType({ description: 'An account holder’s appeal against a payment stop (public, no login).' })
export class StopAppealInput {
  @Field({ description: 'The appeal code from the notice the bank passed on (e.g. K7QX-M2PD-9HTR-4WZC).' })
  @IsString()
  @MaxLength(64)
  appealCode: string;

  @Field({ description: 'The account holder’s name (as on the account).' })
  @IsNameText(100)
  holderName: string;

  @Field({ description: 'A phone number or e-mail address to reach you (stored encrypted).' })
  @IsLineText(200)
  @Matches(/^(\+?[0-9 ()-]{5,30}|[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{1,63})$/, {
    message: 'contact must be a phone number or an e-mail address',
  })
  contact: string;

  @Field({ description: 'Why the money should be released (10-2000 characters).' })
  @IsReasonText(2000, 10)
  reason: string;
}

@ArgsType()
export class AppealStatusArgs {
  @Field()
  @IsString()
  @MaxLength(64)
  trackingCode: string;
}
