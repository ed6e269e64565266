import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum PingStatus {
  QUEUED = 'QUEUED',
  COMPLETED = 'COMPLETED',
}
registerEnumType(PingStatus, { name: 'PingStatus', description: 'Where a diagnostic ping is.' });

@ObjectType({ description: 'A diagnostic job that goes API -> Redis queue -> worker -> store -> subscription.' })
export class Ping {
  @Field(() => ID)
  id: string;

  @Field()
  message: string;

  @Field(() => PingStatus)
  status: PingStatus;

  @Field()
  requestedAt: Date;

  @Field({ nullable: true })
  completedAt?: Date;

  @Field(() => Int, { nullable: true, description: 'Process id of the worker that ran the job.' })
  workerPid?: number;
}
