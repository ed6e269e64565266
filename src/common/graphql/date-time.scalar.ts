import { GraphQLScalarType, Kind } from 'graphql';

/** ISO-8601 date-time with an explicit offset (`Z` or ±hh:mm): a time without a zone is ambiguous. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

function parse(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_WITH_OFFSET.test(value)) {
    throw new TypeError('DateTime must be an ISO-8601 string with an offset, e.g. 2026-11-27T20:15:00+08:00');
  }
  const d = new Date(value);
  // Date rolls 2026-02-30 over to March 2: check the calendar date as written.
  const [y, m, day] = value.slice(0, 10).split('-').map(Number);
  const calendar = new Date(Date.UTC(y, m - 1, day));
  const realDay = calendar.getUTCFullYear() === y && calendar.getUTCMonth() === m - 1 && calendar.getUTCDate() === day;
  if (Number.isNaN(d.getTime()) || !realDay) throw new TypeError(`DateTime is not a real date: ${value}`);
  return d;
}

/**
 * `DateTime`: stored and sent as UTC ISO-8601 (`...Z`); accepted with any explicit offset. Serialises both
 * Date objects and ISO strings, because a Date that crossed Redis pub/sub (JSON) arrives as a string.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'ISO-8601 date-time with offset, e.g. 2026-11-27T20:15:00+08:00; always returned in UTC (Z).',
  serialize(value: unknown): string {
    const d =
      value instanceof Date
        ? value
        : typeof value === 'string' || typeof value === 'number'
          ? new Date(value)
          : undefined;
    if (!d || Number.isNaN(d.getTime())) throw new TypeError('DateTime cannot represent a non-date value');
    return d.toISOString();
  },
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError('DateTime must be a string');
    return parse(ast.value);
  },
});
