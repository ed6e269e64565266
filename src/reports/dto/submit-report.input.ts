import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { MoneyScalar } from '../../common/graphql/money.scalar';
import { IsIdText, IsReportText } from '../../common/graphql/text.rules';
import { FraudType } from '../../reference/enums';
import { ReferenceService } from '../../reference/reference.service';
import { AgeBand, ContactChannel, IdentifierKind, PaymentMethod } from '../enums';
import { Language } from '../notices';

export const MAX_IDENTIFIERS = 20;
export const MAX_NARRATIVE = 5_000;
export const MAX_IDENTIFIER_VALUE = 512;
export const MAX_CONTACT = 254;
export const MAX_CLIENT_REQUEST_ID = 128;

/** C0 control characters (NUL ...) and DEL, but tab, CR and LF: imported records are checked with it. */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

const reference = new ReferenceService();
export function IsRegionCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRegionCode',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && reference.isRegion(v),
        defaultMessage: () => 'must be a region code of the `regions` list (e.g. DG01)',
      },
    },
    options,
  );
}

@InputType()
export class IdentifierInput {
  @Field(() => IdentifierKind, { nullable: true, description: 'May be omitted: the kind is detected.' })
  @IsOptional()
  @IsEnum(IdentifierKind)
  kind?: IdentifierKind | null;

  @Field()
  @IsReportText(MAX_IDENTIFIER_VALUE)
  value: string;
}

@InputType({ description: 'A public report. Only fraudType, channel, occurredAt and regionCode are required.' })
export class SubmitReportInput {
  @Field(() => FraudType)
  @IsEnum(FraudType)
  fraudType: FraudType;

  @Field(() => ContactChannel)
  @IsEnum(ContactChannel)
  channel: ContactChannel;

  @Field(() => Date, { description: 'When the fraud happened (not in the future).' })
  @IsDate()
  occurredAt: Date;

  @Field({ description: 'A code of the `regions` list, e.g. DG01.' })
  @IsString()
  @MaxLength(32)
  @IsRegionCode()
  regionCode: string;

  @Field(() => [IdentifierInput], { nullable: true, description: `At most ${MAX_IDENTIFIERS}.` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_IDENTIFIERS)
  @ValidateNested({ each: true })
  @Type(() => IdentifierInput)
  identifiers?: IdentifierInput[] | null;

  @Field(() => String, {
    nullable: true,
    description: `At most ${MAX_NARRATIVE} characters; identifiers are extracted from it.`,
  })
  @IsOptional()
  @IsReportText(MAX_NARRATIVE, true)
  narrative?: string | null;

  /** Integer fen (the Money scalar has parsed "12345.67"). */
  @Field(() => MoneyScalar, { nullable: true, description: 'null or "0": contact without loss (a near miss).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  loss?: number | null;

  @Field(() => PaymentMethod, { nullable: true })
  @IsOptional()
  @IsEnum(PaymentMethod)
  paymentMethod?: PaymentMethod | null;

  @Field(() => AgeBand, { nullable: true })
  @IsOptional()
  @IsEnum(AgeBand)
  victimAgeBand?: AgeBand | null;

  @Field(() => String, { nullable: true, description: 'Optional phone or e-mail for follow-up; encrypted at rest.' })
  @IsOptional()
  @IsReportText(MAX_CONTACT)
  reporterContact?: string | null;

  @Field(() => String, { nullable: true, description: 'Idempotency key: the same key returns the same receipt.' })
  @IsOptional()
  @IsIdText(MAX_CLIENT_REQUEST_ID)
  clientRequestId?: string | null;

  @Field(() => Language, {
    nullable: true,
    description: 'Language of the receipt warnings; omit to follow Accept-Language (else ZH).',
  })
  @IsOptional()
  @IsEnum(Language)
  language?: Language | null;
}
