import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LinkingModule } from '../linking/linking.module';
import { ReportsModule } from '../reports/reports.module';
import { ReporterNoticeDoc, ReporterNoticeSchema } from './reporter-notice.schema';
import { ReporterNoticesRepository } from './reporter-notices.repository';
import { ReporterNoticesService } from './reporter-notices.service';

/**
 * Reporter notices (`reporter_notices`): recorded when an identifier a reporter gave is confirmed or frozen,
 * queued for the alerts feature to deliver. Reads the reports carrying an identifier through linking and
 * their sealed contacts through reports (docs/notices.md).
 */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: ReporterNoticeDoc.name, schema: ReporterNoticeSchema }]),
    LinkingModule,
    ReportsModule,
  ],
  providers: [ReporterNoticesRepository, ReporterNoticesService],
  exports: [ReporterNoticesService],
})
export class NoticesModule {}
