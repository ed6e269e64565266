import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../common/graphql/pagination';

@ObjectType({ description: 'A key/value fact of an audit entry.' })
export class AuditDetail {
  @Field()
  key: string;

  @Field()
  value: string;
}

@ObjectType({
  description: 'One entry of the append-only audit log: who did what, to which object, when, from where, why.',
})
export class AuditEntry {
  @Field(() => ID, { description: 'Time-sortable id (`<ISO time>-<random>`).' })
  id: string;

  @Field()
  at: Date;

  @Field(() => ID, { nullable: true, description: 'User id of the actor; null for anonymous attempts.' })
  actorId?: string;

  @Field({ description: 'What happened, UPPER_SNAKE (LOGIN_SUCCEEDED, READ_PII, USER_ROLES_SET, ...).' })
  action: string;

  @Field({ description: 'Kind of object acted on (User, Session, Report, ...).' })
  objectType: string;

  @Field(() => ID, { nullable: true })
  objectId?: string;

  @Field(() => [String], { description: 'Units the entry concerns.' })
  unitCodes: string[];

  @Field({ nullable: true, description: 'The reason the user gave.' })
  reason?: string;

  @Field({ nullable: true, description: 'Client address the request came from.' })
  ip?: string;

  @Field({ nullable: true })
  userAgent?: string;

  @Field(() => [AuditDetail], { description: 'Small non-personal facts about the action.' })
  details: AuditDetail[];
}

@ObjectType()
export class AuditEntryConnection extends Connection(AuditEntry, 'AuditEntry') {}
