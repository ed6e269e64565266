import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageArgsOf } from '../../common/graphql/pagination';
import { Role } from '../../auth/roles';
import { MIN_PASSWORD_LENGTH } from '../password';

const UNIT_CODE = /^[A-Z]{2}\d{2}$/;

@InputType()
export class CreateUserInput {
  @Field()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email: string;

  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName: string;

  @Field({ description: `At least ${MIN_PASSWORD_LENGTH} characters.` })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(200)
  password: string;

  @Field(() => [Role])
  @IsEnum(Role, { each: true })
  @ArrayUnique()
  roles: Role[];

  @Field(() => [String], { description: 'Region codes (DG01..DG33) of the units.' })
  @Matches(UNIT_CODE, { each: true, message: 'each unit code must look like DG01' })
  @ArrayUnique()
  @ArrayMaxSize(50)
  unitCodes: string[];

  @Field({ nullable: true, description: 'Stored encrypted; reading it back is audited.' })
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{5,30}$/, { message: 'contactPhone must be a phone number' })
  contactPhone?: string;

  @Field({ nullable: true, description: 'Why (kept in the audit log).' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

@InputType()
export class SetUserRolesInput {
  @Field(() => ID)
  @IsString()
  @MaxLength(100)
  userId: string;

  @Field(() => [Role], { description: 'The complete new set of roles (may be empty).' })
  @IsEnum(Role, { each: true })
  @ArrayUnique()
  roles: Role[];

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

@InputType()
export class SetUserUnitsInput {
  @Field(() => ID)
  @IsString()
  @MaxLength(100)
  userId: string;

  @Field(() => [String], { description: 'The complete new set of unit codes.' })
  @Matches(UNIT_CODE, { each: true, message: 'each unit code must look like DG01' })
  @ArrayUnique()
  @ArrayMaxSize(50)
  unitCodes: string[];

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

@InputType()
export class UserStatusInput {
  @Field(() => ID)
  @IsString()
  @MaxLength(100)
  userId: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
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
