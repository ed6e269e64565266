import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, PageInfo } from '../../common/graphql/pagination';
import { MoneyScalar } from '../../common/graphql/money.scalar';
import { FraudType } from '../../reference/enums';
import { ContactChannel, IdentifierKind, PaymentMethod } from '../../reports/enums';
import { JudgementPreview } from './judgement-preview.models';

/** ../shared/API.md: ACTIVE | HUB | WARNINGLISTED. An investigator's NEVER/ALWAYS is shown in `policy`. */
export enum IdentifierStatusValue {
  ACTIVE = 'ACTIVE',
  HUB = 'HUB',
  WARNINGLISTED = 'WARNINGLISTED',
}
registerEnumType(IdentifierStatusValue, {
  name: 'IdentifierStatus',
  description:
    "WARNINGLISTED: on the warninglist (never links); HUB: carried by more reports than its kind's degree cap; ACTIVE otherwise. Whether it links also depends on `policy` (see `Identifier.linkable`).",
});

export enum LinkPolicyValue {
  DEFAULT = 'DEFAULT',
  NEVER = 'NEVER',
  ALWAYS = 'ALWAYS',
}
registerEnumType(LinkPolicyValue, {
  name: 'LinkPolicy',
  description:
    "An investigator's judgement: DEFAULT follows the degree cap, NEVER never links, ALWAYS links whatever the degree (not a warninglisted value).",
});

export enum ClusterSort {
  SIZE = 'SIZE',
  LOSS = 'LOSS',
  /** reports whose fraud happened (occurredAt) in the last 7 days */
  GROWTH = 'GROWTH',
  /** latest report first */
  RECENT = 'RECENT',
}
registerEnumType(ClusterSort, {
  name: 'ClusterSort',
  valuesMap: {
    GROWTH: {
      description:
        'Most reports whose fraud happened (occurredAt) in the last 7 days first — not when they were linked or imported.',
    },
    RECENT: { description: 'Latest fraud (occurredAt) first.' },
  },
});

@ObjectType({ description: 'An identifier a report carries.' })
export class ReportIdentifier {
  @Field(() => IdentifierKind)
  kind: IdentifierKind;

  @Field({ description: 'Canonical value.' })
  value: string;

  @Field()
  display: string;

  @Field({ description: 'TYPED by the reporter or found in the NARRATIVE.' })
  origin: string;

  @Field({ description: 'An investigator detached it from this report: it no longer links it.' })
  detached: boolean;
}

@ObjectType({ description: 'A report as investigators see it (no reporter contact, no narrative).' })
export class Report {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true, description: 'Public submissions only.' })
  trackingCode: string | null;

  @Field({ description: '`public` or the import format (ftc-dnc, tw165, etherscamdb, jsonl).' })
  source: string;

  @Field(() => String, { nullable: true, description: 'The record id in the imported file.' })
  externalRef: string | null;

  @Field(() => FraudType)
  fraudType: string;

  @Field(() => ContactChannel)
  channel: string;

  @Field(() => PaymentMethod, { nullable: true })
  paymentMethod: string | null;

  @Field()
  occurredAt: Date;

  @Field()
  regionCode: string;

  @Field(() => MoneyScalar)
  loss: number;

  /** filled by the field resolver (detached flags come from the link document) */
  rawIdentifiers: { kind: string; value: string; display: string; key: string; origin: string }[];

  @Field(() => ID, { nullable: true, description: 'Always null until cases exist (a later issue).' })
  caseId: string | null;

  @Field()
  createdAt: Date;
}

@ObjectType({ description: 'A count per key (fraud type, region code, channel, payment method).' })
export class KeyCount {
  @Field()
  key: string;

  @Field(() => Int)
  count: number;
}

@ObjectType({ description: 'An identifier with its linking state.' })
export class Identifier {
  @Field(() => IdentifierKind)
  kind: IdentifierKind;

  @Field({ description: 'Canonical value.' })
  value: string;

  @Field(() => Int, { description: 'Distinct reports carrying it (after detaches).' })
  degree: number;

  @Field(() => IdentifierStatusValue)
  status: IdentifierStatusValue;

  @Field(() => LinkPolicyValue)
  policy: LinkPolicyValue;

  @Field({ description: 'Whether it links the reports carrying it right now.' })
  linkable: boolean;

  /** identifier key `${kind}:${value}` (for field resolvers) */
  key: string;
}

@ObjectType({ description: 'A cluster: reports connected through shared linkable identifiers and investigator links.' })
export class Cluster {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  reportCount: number;

  @Field(() => Int, {
    description: 'Distinct victims (a reporter with a contact counts once; others once per report).',
  })
  victimCount: number;

  @Field(() => MoneyScalar, { description: "Exact sum of the reports' losses." })
  totalLoss: number;

  @Field(() => [KeyCount])
  fraudTypes: KeyCount[];

  @Field(() => [KeyCount])
  regions: KeyCount[];

  @Field(() => [KeyCount])
  channels: KeyCount[];

  @Field(() => [KeyCount])
  paymentMethods: KeyCount[];

  @Field(() => Date, { nullable: true })
  firstReportAt: Date | null;

  @Field(() => Date, { nullable: true })
  lastReportAt: Date | null;

  /** top identifiers with their degrees (the field resolver loads their documents) */
  top: { key: string; degree: number }[];
}

@ObjectType()
export class GraphNode {
  @Field(() => ID, { description: 'Report id, or identifier key `KIND:value`.' })
  id: string;

  @Field({ description: 'REPORT or IDENTIFIER.' })
  type: string;

  @Field()
  label: string;

  @Field(() => ID, { nullable: true })
  clusterId: string | null;

  @Field({ description: 'A non-linkable identifier (hub, NEVER, warninglisted): never expanded.' })
  isHub: boolean;

  @Field(() => Int, {
    description:
      'Neighbours that exist but are not returned on this page nor an earlier one of the walk: farther than `depth`, behind a hub, out of your units, or still to come on a later page.',
  })
  hiddenNeighbourCount: number;
}

@ObjectType()
export class GraphEdge {
  @Field(() => ID)
  source: string;

  @Field(() => ID)
  target: string;
}

@ObjectType({ description: 'How many nodes of one type (identifiers: of one kind).' })
export class GraphNodeCount {
  @Field({ description: 'REPORT or IDENTIFIER.' })
  type: string;

  @Field(() => IdentifierKind, { nullable: true, description: 'Identifiers: their kind; null for reports.' })
  kind: IdentifierKind | null;

  @Field(() => Int)
  count: number;
}

@ObjectType({
  description:
    "What a graph page did not return (on it or an earlier page of the same walk), so an investigator knows what lies beyond: the walk's cluster, and the nodes queued for the next page.",
})
export class GraphRest {
  @Field(() => ID, {
    nullable: true,
    description:
      'The cluster the walk explores: the one of its start node (null when that is a hub, which belongs to no cluster: then its hiddenNeighbourCount says what lies beyond).',
  })
  clusterId: string | null;

  @Field(() => Int, {
    description: 'Reports of that cluster not returned yet: on later pages, or farther from the start than `depth`.',
  })
  reports: number;

  @Field(() => MoneyScalar, { description: 'Their total loss (exact: the cluster total minus the returned reports).' })
  loss: number;

  @Field(() => [GraphNodeCount], {
    description:
      'Nodes found next to returned ones and not returned yet — the next page starts with them — by type, identifiers by kind.',
  })
  queued: GraphNodeCount[];

  @Field({
    description:
      'The cluster grew, merged or split since the first page of this walk: later pages continue over the store as it is now, never repeating a node (docs/linking.md).',
  })
  changed: boolean;
}

@ObjectType({
  description:
    'A connected piece of the graph: every node but the start has an edge to a node returned before it (on this page or an earlier one of the same walk).',
})
export class CaseGraph {
  @Field(() => [GraphNode])
  nodes: GraphNode[];

  @Field(() => [GraphEdge], { description: 'Each edge once, on the page of its later end.' })
  edges: GraphEdge[];

  @Field({ description: 'The walk stopped at `limit` nodes: more follow (pageInfo.hasNextPage).' })
  truncated: boolean;

  @Field(() => ID, {
    nullable: true,
    description:
      'The node the walk starts from: the root report or identifier; for a cluster its most carried linkable identifier (its first member when it has none). Null when the cluster has no members.',
  })
  startId: string | null;

  @Field(() => PageInfo, {
    description:
      'endCursor (null on the last page) continues the same walk: pass it as `after` with the same root and depth.',
  })
  pageInfo: PageInfo;

  @Field(() => GraphRest)
  rest: GraphRest;
}

@ObjectType({ description: 'One step of a link chain.' })
export class LinkStep {
  @Field({ description: 'REPORT or IDENTIFIER.' })
  type: string;

  @Field(() => ID)
  id: string;

  @Field()
  label: string;
}

@ObjectType({
  description:
    'Why two reports are in one cluster: report → identifier → report … (two adjacent reports: an investigator link).',
})
export class LinkExplanation {
  @Field(() => [LinkStep])
  steps: LinkStep[];

  @Field(() => Int, { description: 'Hops between reports.' })
  length: number;

  @Field({ description: 'Linked, but the search stopped before finding the chain (a huge cluster).' })
  truncated: boolean;
}

@ObjectType({ description: 'What setting a hub to ALWAYS would merge.' })
export class HubPreview {
  @Field(() => Int, { description: 'Distinct clusters of the reports carrying it.' })
  clusters: number;

  @Field(() => Int, { description: 'Reports in those clusters (the size of the merged cluster).' })
  reports: number;

  @Field({ description: 'Computed from the first 1,000 carrying reports only.' })
  truncated: boolean;
}

@ObjectType({ description: 'An identifier over its degree cap, not yet judged (policy DEFAULT): the review queue.' })
export class HubIdentifier {
  @Field(() => Identifier)
  identifier: Identifier;

  @Field(() => Int)
  degree: number;

  /** for the preview field resolver */
  key: string;
}

@ObjectType()
export class ReportConnection extends Connection(Report, 'Report') {}

@ObjectType()
export class ClusterConnection extends Connection(Cluster, 'Cluster') {}

@ObjectType()
export class HubIdentifierConnection extends Connection(HubIdentifier, 'HubIdentifier') {}

@ObjectType({
  description:
    'What setIdentifierLinkPolicy would do now, computed by running it on a scratch copy (nothing is changed): the clusters it would merge or split, in every unit.',
})
export class LinkPolicyPreview extends JudgementPreview {
  @Field(() => Identifier, {
    nullable: true,
    description: 'The identifier as it is now; null when no report carries it.',
  })
  identifier: Identifier | null;

  @Field(() => LinkPolicyValue)
  policy: LinkPolicyValue;

  @Field(() => String, {
    nullable: true,
    description: 'Why the mutation would be refused (e.g. ALWAYS on a warninglisted value); null when it would run.',
  })
  refusal: string | null;
}
