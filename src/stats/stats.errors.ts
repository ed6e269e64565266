import { ApiErrorCode } from '../common/errors/api-error-code';
import { DomainError } from '../common/errors/domain-error';
import { registerErrorCodes } from '../common/errors/error-mapping';

export enum StatsErrorCode {
  /** A period, grouping, comparison or filter `stats` cannot answer (`field` names it). */
  INVALID_STATS_INPUT = 'INVALID_STATS_INPUT',
  /** `stats rebuild` while another rebuild holds its lease. */
  REBUILD_RUNNING = 'REBUILD_RUNNING',
}

export class StatsError extends DomainError<StatsErrorCode> {
  constructor(
    readonly code: StatsErrorCode,
    message: string,
    field?: string,
  ) {
    super(message, field);
  }
}

registerErrorCodes<StatsErrorCode>(StatsError, {
  [StatsErrorCode.INVALID_STATS_INPUT]: ApiErrorCode.BAD_USER_INPUT,
  [StatsErrorCode.REBUILD_RUNNING]: ApiErrorCode.CONFLICT,
});

export const invalidStats = (field: string, message: string): StatsError =>
  new StatsError(StatsErrorCode.INVALID_STATS_INPUT, `${field}: ${message}`, field);
