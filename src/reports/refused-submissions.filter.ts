import { ArgumentsHost, Catch, Injectable } from '@nestjs/common';
import { GqlArgumentsHost, GqlExceptionFilter } from '@nestjs/graphql';
import { GqlContext, requestMetaOf } from '../auth/auth-context';
import { ApiErrorCode } from '../common/errors/api-error-code';
import { DomainError } from '../common/errors/domain-error';
import { apiCodeFor } from '../common/errors/error-mapping';
import { SubmissionService } from './submission.service';

/**
 * Counts every refused `submitReport` (BAD_USER_INPUT, whether the validation pipe or the service refused it)
 * against the address's budget of refused attempts, then answers the refusal (or RATE_LIMITED past the budget).
 * An exception filter on the mutation: the pipe runs before the resolver, and a filter costs an accepted report
 * nothing (an interceptor wrapped every call in an Observable).
 */
@Catch()
@Injectable()
export class RefusedSubmissionsFilter implements GqlExceptionFilter {
  constructor(private readonly submission: SubmissionService) {}

  /** What it returns is the mutation's answer: a promise rejected with the refusal or with RATE_LIMITED. */
  catch(e: unknown, host: ArgumentsHost): Promise<never> {
    return this.refused(e, requestMetaOf(GqlArgumentsHost.create(host).getContext<GqlContext>()).ip);
  }

  private async refused(e: unknown, ip: string | undefined): Promise<never> {
    if (e instanceof DomainError && apiCodeFor(e as DomainError) === ApiErrorCode.BAD_USER_INPUT)
      await this.submission.refused(ip); // throws RATE_LIMITED past the budget
    throw e;
  }
}
