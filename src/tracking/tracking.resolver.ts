import { Args, ArgsType, Field, Query, Resolver } from '@nestjs/graphql';
import { IsString, MaxLength } from 'class-validator';
import { Public } from '../auth/decorators';
import { PublicReportStatus } from '../reports/models/report.models';
import { ReportStatusService } from './report-status.service';

@ArgsType()
class ReportStatusArgs {
  @Field({ description: 'The tracking code of the receipt (case, spaces and dashes do not matter).' })
  @IsString()
  @MaxLength(64)
  trackingCode: string;
}

/** The public tracking of a report by its receipt's code. No login. */
@Resolver()
export class TrackingResolver {
  constructor(private readonly statuses: ReportStatusService) {}

  @Public()
  @Query(() => PublicReportStatus, {
    nullable: true,
    description: 'The public timeline of a report; null for an unknown code.',
  })
  reportStatus(@Args() args: ReportStatusArgs): Promise<PublicReportStatus | null> {
    return this.statuses.status(args.trackingCode);
  }
}
