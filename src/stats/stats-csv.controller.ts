import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { parseBearer } from '../auth/auth-context';
import { hasAnyRole, Role } from '../auth/roles';
import { scopeFor } from '../auth/scope';
import { ApiErrorCode } from '../common/errors/api-error-code';
import { DomainError } from '../common/errors/domain-error';
import { apiCodeFor } from '../common/errors/error-mapping';
import { AuthenticationService } from '../sessions/authentication.service';
import type { StatsComparison, StatsDimension } from './stats.enums';
import type { StatsInput } from './stats.input';
import { StatsQueryService } from './stats-query.service';
import { statsTable, toCsv } from './stats-table';

const STATUS: Partial<Record<string, number>> = {
  [ApiErrorCode.BAD_USER_INPUT]: 400,
  [ApiErrorCode.UNAUTHENTICATED]: 401,
  [ApiErrorCode.FORBIDDEN]: 403,
  [ApiErrorCode.CONFLICT]: 409,
};

/** `a,b` or repeated `?x=a&x=b` -> list; absent or empty -> undefined. */
function list(v: unknown): string[] | undefined {
  const parts = (Array.isArray(v) ? v : [v]).flatMap((x) => (typeof x === 'string' ? x.split(',') : []));
  const out = parts.map((s) => s.trim()).filter((s) => s !== '');
  return out.length > 0 ? out : undefined;
}

/**
 * `GET /stats.csv?from=&to=&groupBy=&compareTo=&regionCodes=&fraudTypes=&channels=` (lists comma-separated):
 * the `stats` query as a spreadsheet, with the same bearer token and roles. Errors answer JSON with the API's
 * code (400 BAD_USER_INPUT naming the field, 401, 403).
 */
@Controller()
export class StatsCsvController {
  constructor(
    private readonly authn: AuthenticationService,
    private readonly query: StatsQueryService,
  ) {}

  @Get('stats.csv')
  async csv(
    @Headers('authorization') authorization: string | undefined,
    @Query() q: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const me = await this.authn.authenticate(parseBearer(authorization));
      if (!hasAnyRole(me.roles, [Role.SUPERVISOR, Role.OUTREACH])) {
        res
          .status(403)
          .json({ error: { code: ApiErrorCode.FORBIDDEN, message: 'stats needs SUPERVISOR or OUTREACH' } });
        return;
      }
      const input: StatsInput = {
        from: typeof q.from === 'string' ? q.from : '',
        to: typeof q.to === 'string' ? q.to : '',
        groupBy: list(q.groupBy) as StatsDimension[] | undefined,
        compareTo: (list(q.compareTo)?.[0] as StatsComparison | undefined) ?? undefined,
        regionCodes: list(q.regionCodes),
        fraudTypes: list(q.fraudTypes) as StatsInput['fraudTypes'],
        channels: list(q.channels) as StatsInput['channels'],
      };
      const result = await this.query.stats(input, scopeFor(me));
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .setHeader('content-disposition', `attachment; filename="stats-${result.from}-${result.to}.csv"`);
      res.send(toCsv(statsTable(result)));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const code = apiCodeFor(e as DomainError<string>);
      if (!code) throw e;
      res.status(STATUS[code] ?? 500).json({ error: { code, message: e.message, field: e.field } });
    }
  }
}
