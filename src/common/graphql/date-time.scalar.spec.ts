import { Kind } from 'graphql';
import { DateTimeScalar } from './date-time.scalar';

describe('DateTimeScalar', () => {
  it('accepts ISO-8601 with an offset and returns UTC', () => {
    const d = DateTimeScalar.parseValue('2026-11-27T20:15:00+08:00');
    expect(d.toISOString()).toBe('2026-11-27T12:15:00.000Z');
    expect(DateTimeScalar.serialize(d)).toBe('2026-11-27T12:15:00.000Z');
  });

  it.each(['2026-11-27T20:15:00', '2026-11-27', 'yesterday', '2026-02-30T10:00:00Z', '', 1732700000000, null])(
    'refuses %j',
    (v) => {
      expect(() => DateTimeScalar.parseValue(v)).toThrow(TypeError);
    },
  );

  it('serialises ISO strings (Dates that crossed Redis as JSON) and refuses junk', () => {
    expect(DateTimeScalar.serialize('2026-11-27T12:15:00.000Z')).toBe('2026-11-27T12:15:00.000Z');
    expect(() => DateTimeScalar.serialize('not a date')).toThrow(TypeError);
    expect(() => DateTimeScalar.serialize({})).toThrow(TypeError);
  });

  it('parses string literals only', () => {
    expect(() => DateTimeScalar.parseLiteral({ kind: Kind.INT, value: '1' })).toThrow(TypeError);
    expect(DateTimeScalar.parseLiteral({ kind: Kind.STRING, value: '2026-01-01T00:00:00Z' }).getTime()).toBe(
      Date.UTC(2026, 0, 1),
    );
  });
});
