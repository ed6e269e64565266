import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { catchError, from, Observable } from 'rxjs';
import { GqlContext, requestMetaOf } from '../auth/auth-context';
import { ApiErrorCode } from '../common/errors/api-error-code';
import { DomainError } from '../common/errors/domain-error';
import { apiCodeFor, DomainErrorCode } from '../common/errors/error-mapping';
import { SubmissionService } from './submission.service';

/**
 * Counts every refused `submitReport` (BAD_USER_INPUT, whether the validation pipe or the service refused it)
 * against the address's budget of refused attempts. An interceptor because the pipe runs before the resolver.
 */
@Injectable()
export class RefusedSubmissionsInterceptor implements NestInterceptor {
  constructor(private readonly submission: SubmissionService) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const ip = requestMetaOf(GqlExecutionContext.create(ctx).getContext<GqlContext>()).ip;
    return next.handle().pipe(catchError((e: unknown) => from(this.refused(e, ip))));
  }

  private async refused(e: unknown, ip: string | undefined): Promise<never> {
    if (e instanceof DomainError && apiCodeFor(e.code as DomainErrorCode) === ApiErrorCode.BAD_USER_INPUT)
      await this.submission.refused(ip); // throws RATE_LIMITED past the budget
    throw e;
  }
}
