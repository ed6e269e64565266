import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ClusterEventType {
  /** a report started a new cluster */
  CREATED = 'CREATED',
  /** a report joined an existing cluster */
  GREW = 'GREW',
  /** clusters merged into `clusterId` (the others are in `mergedFrom`) */
  MERGED = 'MERGED',
  /** `clusterId` was split (a hub crossed its cap, a NEVER policy, a detach): its members are in `splitInto` */
  SPLIT = 'SPLIT',
}
registerEnumType(ClusterEventType, { name: 'ClusterEventType' });

@ObjectType({ description: 'A change of one cluster, as `clusterUpdated` delivers it.' })
export class ClusterEvent {
  @Field(() => ClusterEventType)
  type: ClusterEventType;

  @Field(() => ID, { description: 'The surviving or new cluster; for SPLIT the cluster that no longer exists.' })
  clusterId: string;

  @Field(() => [ID], { description: 'MERGED: the clusters now part of clusterId.' })
  mergedFrom: string[];

  @Field(() => [ID], { description: 'SPLIT: the clusters the members now belong to.' })
  splitInto: string[];

  @Field(() => Int, { description: 'Members of clusterId after the change (SPLIT: before).' })
  size: number;

  @Field(() => [String], { description: 'Regions of the reports concerned (filter of `clusterUpdated(regionCode)`).' })
  regionCodes: string[];

  @Field()
  at: Date;
}
