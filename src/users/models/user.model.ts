import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Role } from '../../auth/roles';
import { Connection } from '../../common/graphql/pagination';

@ObjectType({ description: 'A staff user (investigator, outreach worker, supervisor or admin).' })
export class User {
  @Field(() => ID)
  id: string;

  @Field()
  email: string;

  @Field()
  displayName: string;

  @Field(() => [Role])
  roles: Role[];

  @Field(() => [String], { description: 'Region codes of the units the user belongs to (supervisors: covers).' })
  unitCodes: string[];

  @Field()
  disabled: boolean;

  @Field()
  createdAt: Date;

  @Field({ description: 'Whether a contact phone is on file (reading it is audited: see contactPhone).' })
  hasContactPhone: boolean;

  /** Sealed value for the `contactPhone` field resolver; not a GraphQL field. */
  contactPhoneSealed?: string;
}

@ObjectType()
export class UserConnection extends Connection(User, 'User') {}
