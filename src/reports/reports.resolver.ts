import { UseFilters } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { IsOptional, IsEnum, IsString, MaxLength } from 'class-validator';
import { ArgsType, Field } from '@nestjs/graphql';
import { Public, ReqMeta } from '../auth/decorators';
import type { RequestMeta } from '../auth/principal';
import { SubmitReportInput } from './dto/submit-report.input';
import { IdentifierKind } from './enums';
import { AcceptLanguage, chooseLanguage } from './language';
import { Language } from './notices';
import { LookupService } from './lookup.service';
import { LookupResult, ReportReceipt } from './models/report.models';
import { RefusedSubmissionsFilter } from './refused-submissions.filter';
import { SubmissionService } from './submission.service';

@ArgsType()
class LookupArgs {
  @Field({ description: 'A phone number, account, URL, domain, wallet, ... as written.' })
  @IsString()
  @MaxLength(2048)
  value: string;

  @Field(() => IdentifierKind, { nullable: true, description: 'Omit to detect it.' })
  @IsOptional()
  @IsEnum(IdentifierKind)
  kind?: IdentifierKind | null;

  @Field(() => Language, { nullable: true, description: 'Language of the note; omit to follow Accept-Language.' })
  @IsOptional()
  @IsEnum(Language)
  language?: Language | null;
}

/** The public front door: report, track, look up. No login. */
@Resolver()
export class ReportsResolver {
  constructor(
    private readonly submission: SubmissionService,
    private readonly lookups: LookupService,
  ) {}

  @Public()
  @UseFilters(RefusedSubmissionsFilter)
  @Mutation(() => ReportReceipt, { description: 'Report a fraud (anonymously if you wish); keep the tracking code.' })
  submitReport(
    @Args('input') input: SubmitReportInput,
    @ReqMeta() meta: RequestMeta,
    @AcceptLanguage() accepted: Language | undefined,
  ): Promise<ReportReceipt> {
    return this.submission.submit(input, meta.ip, chooseLanguage(input.language, accepted));
  }

  @Public()
  @Query(() => LookupResult, {
    description: 'Has this number, account, URL or wallet been reported? Check before you pay.',
  })
  lookup(
    @Args() args: LookupArgs,
    @ReqMeta() meta: RequestMeta,
    @AcceptLanguage() accepted: Language | undefined,
  ): Promise<LookupResult> {
    return this.lookups.lookup(args.value, args.kind, meta.ip, chooseLanguage(args.language, accepted));
  }
}
