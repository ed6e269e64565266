import { IdentifierRiskResolver } from './resolvers/identifier-risk.resolver';
import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { CaseGraphService } from './case-graph.service';
import { GraphCursors } from './graph-cursors';
import { ClusterStreamService } from './cluster-stream.service';
import { JudgementLog } from './judgement-log';
import { JudgementsService } from './judgements.service';
import { LinkEventsService } from './link-events.service';
import { LinkHoldService } from './link-hold.service';
import { LinkLoaderFactory } from './link-loaders';
import { IdentifierQueryService } from './identifier-query.service';
import { LinkQueryService } from './link-query.service';
import { LinkStoreRepository } from './link-store.repository';
import { ClusterLists } from './cluster-lists';
import { ReportsModule } from '../reports/reports.module';
import { LinkingService } from './linking.service';
import { PolicyPreviewService } from './policy-preview.service';
import { ReclusterService } from './recluster.service';
import { ReportLinksService } from './report-links.service';
import { CaseGraphResolver } from './resolvers/case-graph.resolver';
import { ClustersResolver } from './resolvers/clusters.resolver';
import { HubIdentifiersResolver, IdentifiersResolver } from './resolvers/identifiers.resolver';
import { StaffReportsResolver } from './resolvers/staff-reports.resolver';

/**
 * Linking (issue 6): the engine (./engine, plain TS) wired to the store (link_* collections), serialised by a
 * Redis lock with group commit and a redo journal, events to subscriptions and the `events` queue, and the
 * investigators' API. `LinkingService.linkHolds` is the bulk path for imports; `ReclusterService` the CLI's.
 */
@Module({
  imports: [AuditModule, ReportsModule, SessionsModule],
  providers: [
    LinkStoreRepository,
    ClusterLists,
    LinkEventsService,
    LinkHoldService,
    LinkingService,
    LinkLoaderFactory,
    LinkQueryService,
    IdentifierQueryService,
    IdentifierRiskResolver,
    CaseGraphService,
    GraphCursors,
    JudgementLog,
    JudgementsService,
    ReportLinksService,
    ClusterStreamService,
    PolicyPreviewService,
    ReclusterService,
    StaffReportsResolver,
    ClustersResolver,
    IdentifiersResolver,
    HubIdentifiersResolver,
    CaseGraphResolver,
  ],
  exports: [LinkingService, ReclusterService, LinkLoaderFactory, IdentifierQueryService],
})
export class LinkingModule {}
