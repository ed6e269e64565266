import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'One of the clusters a split would leave.' })
export class SplitPart {
  @Field(() => Int, { description: 'Its reports.' })
  size: number;

  @Field({
    description:
      'False for the largest part (on a tie, the one holding the smallest report id), which goes on as the cluster; true for the parts that leave it.',
  })
  leaves: boolean;

  @Field(() => [ID], {
    description:
      'Of a part that leaves: its reports you may see, in id order, at most 20 (size counts them all). Empty for the part that stays.',
  })
  reportIds: string[];

  @Field(() => Int, { description: "Its reports you may not see (other units' case data): counted, never shown." })
  hiddenReportCount: number;

  @Field(() => [String], { description: 'Regions of its reports.' })
  regionCodes: string[];
}

@ObjectType({ description: 'A cluster a change would split, and the parts it would split into.' })
export class ClusterSplit {
  @Field(() => ID, {
    nullable: true,
    description: 'The cluster as it is now; null when it is not yours to see (only its counts are shown).',
  })
  clusterId: string | null;

  @Field(() => Int, { description: 'Its reports now.' })
  size: number;

  @Field(() => Int, { description: 'How many clusters it would split into.' })
  partCount: number;

  @Field(() => [SplitPart], { description: 'The parts, largest first, at most 50.' })
  parts: SplitPart[];
}

/**
 * What a judgement would change, computed by the linking engine on a scratch copy of the clusters concerned:
 * the fields every preview shares (linkPolicyPreview, detachPreview).
 */
@ObjectType({ isAbstract: true })
export abstract class JudgementPreview {
  @Field(() => Int, { description: 'Clusters that would be merged into another one.' })
  mergedClusters: number;

  @Field(() => Int, { description: 'Clusters that would be split.' })
  splitClusters: number;

  @Field(() => Int, { description: 'Clusters the splits would leave.' })
  clustersAfterSplits: number;

  @Field(() => Int, { description: 'Reports in the clusters concerned (after a merge, before a split).' })
  reportsAffected: number;

  @Field(() => [String], { description: 'Regions of the reports concerned: the units the change reaches.' })
  regionCodes: string[];

  @Field(() => [ClusterSplit], {
    description: 'Each cluster that would split, and into what (the reports that would leave it).',
  })
  splits: ClusterSplit[];
}

@ObjectType({
  description:
    "What detachIdentifier would do now: the split of the report's cluster when the identifier was a bridge (or the merge when a hub falls back to its cap). Changes nothing.",
})
export class DetachPreview extends JudgementPreview {}
