import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { PageArgsOf } from '../../common/graphql/pagination';
import { IsIdText, IsNameText, IsReasonText } from '../../common/graphql/text.rules';
import { Role } from '../../auth/roles';
import { MIN_PASSWORD_LENGTH } from '../password';

const UNIT_CODE = /^[A-Z]{2}\d{2}$/;

/** Staff work in units: a user without ADMIN needs at least one (an admin sees every unit anyway). */
function UnitsUnlessAdmin(): PropertyDecorator {
  return ValidateBy({
    name: 'unitsUnlessAdmin',
    validator: {
      validate: (units: unknown, args) =>
        !Array.isArray(units) ||
        units.length > 0 ||
        ((args?.object as { roles?: unknown }).roles as Role[] | undefined)?.includes(Role.ADMIN) === true,
      defaultMessage: () => 'unitCodes must name at least one unit unless the user is ADMIN',
    },
  });
}

@InputType()
export class CreateUserInput {
  @Field()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email: string;

  @Field()
  @IsNameText(100)
  displayName: string;

  @Field({ description: `At least ${MIN_PASSWORD_LENGTH} characters.` })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(200)
  password: string;

  @Field(() => [Role], { description: 'At least one.' })
  @IsEnum(Role, { each: true })
  @ArrayNotEmpty({ message: 'roles must name at least one role' })
  @ArrayUnique()
  roles: Role[];

  @Field(() => [String], { description: 'Region codes (DG01..DG33) of the units; at least one unless ADMIN.' })
  @Matches(UNIT_CODE, { each: true, message: 'each unit code must look like DG01' })
  @ArrayUnique()
  @ArrayMaxSize(50)
  @UnitsUnlessAdmin()
  unitCodes: string[];

  @Field({ nullable: true, description: 'Stored encrypted; reading it back is audited.' })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,30}$/, { message: 'contactPhone must be a phone number' })
  contactPhone?: string;

  @Field({ nullable: true, description: 'Why (kept in the audit log).' })
  @IsOptional()
  @IsReasonText(500)
  reason?: string;
}

@InputType()
export class SetUserRolesInput {
  @Field(() => ID)
  @IsIdText(100)
  userId: string;

  @Field(() => [Role], { description: 'The complete new set of roles (at least one; disable a user to end access).' })
  @IsEnum(Role, { each: true })
  @ArrayNotEmpty({ message: 'roles must name at least one role' })
  @ArrayUnique()
  roles: Role[];

  @Field({ nullable: true })
  @IsOptional()
  @IsReasonText(500)
  reason?: string;
}

@InputType()
export class SetUserUnitsInput {
  @Field(() => ID)
  @IsIdText(100)
  userId: string;

  @Field(() => [String], { description: 'The complete new set of unit codes (at least one unless the user is ADMIN).' })
  @Matches(UNIT_CODE, { each: true, message: 'each unit code must look like DG01' })
  @ArrayUnique()
  @ArrayMaxSize(50)
  unitCodes: string[];

  @Field({ nullable: true })
  @IsOptional()
  @IsReasonText(500)
  reason?: string;
}

@InputType()
export class UserStatusInput {
  @Field(() => ID)
  @IsIdText(100)
  userId: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsReasonText(500)
  reason?: string;
}

@InputType()
export class UserFilter {
  @Field(() => Role, { nullable: true })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(UNIT_CODE, { message: 'unitCode must look like DG01' })
  unitCode?: string;

  @Field({ nullable: true, defaultValue: false })
  @IsOptional()
  @IsBoolean()
  includeDisabled?: boolean;
}

@ArgsType()
export class UsersArgs extends PageArgsOf(50, 200) {
  @Field(() => UserFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => UserFilter)
  filter?: UserFilter;
}

@ArgsType()
export class ContactPhoneArgs {
  @Field({ description: 'Why you need it (3..500 characters; kept in the audit log).' })
  @IsReasonText(500, 3)
  reason: string;
}
