import { Module } from '@nestjs/common';
import { LinkingModule } from '../linking.module';
import { ClusterUpdatedProcessor } from './cluster-updated.processor';
import { ReportLinkProcessor } from './report-link.processor';

/** The worker role of linking: `report.link` (linking queue) and `cluster.updated` (events queue). */
@Module({ imports: [LinkingModule], providers: [ReportLinkProcessor, ClusterUpdatedProcessor] })
export class LinkingJobsModule {}
