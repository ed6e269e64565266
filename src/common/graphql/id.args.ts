import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsOptional } from 'class-validator';
import { IsIdText } from './text.rules';

/** `(id: ID!)` of a field that reads one object by id, under the id rule (text.rules.ts). */
@ArgsType()
export class IdArgs {
  @Field(() => ID)
  @IsIdText()
  id: string;
}

/** `(id: ID)`: an optional id, e.g. a subscription narrowed to one object. */
@ArgsType()
export class OptionalIdArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsIdText()
  id?: string;
}
