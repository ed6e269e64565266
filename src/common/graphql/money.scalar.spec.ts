import { Kind } from 'graphql';
import fc from 'fast-check';
import { formatFen, MAX_MONEY_FEN, MoneyScalar, parseMoneyToFen } from './money.scalar';

describe('Money scalar', () => {
  it.each([
    ['0', 0],
    ['12', 1200],
    ['12345.67', 1234567],
    ['0.5', 50],
    ['0.05', 5],
    ['1.10', 110],
    ['90071992547409.91', 9007199254740991],
  ])('parses %s into %d fen', (s, fen) => {
    expect(parseMoneyToFen(s)).toBe(fen);
    expect(MoneyScalar.parseValue(s)).toBe(fen);
  });

  it.each([
    '-1',
    '+1',
    '1e3',
    '1E3',
    '1.234',
    '.5',
    '5.',
    '01',
    '00.5',
    ' 1',
    '1 ',
    '1,000',
    '１２',
    '',
    'NaN',
    'Infinity',
    '0x10',
    '90071992547409.92',
    '99999999999999999999',
  ])('rejects %j', (s) => {
    expect(() => parseMoneyToFen(s)).toThrow(TypeError);
  });

  it('rejects non-strings, including numbers (floats are never accepted)', () => {
    for (const v of [12, 12.5, null, undefined, {}, ['1'], true, 10n])
      expect(() => parseMoneyToFen(v)).toThrow(TypeError);
    expect(() => MoneyScalar.parseLiteral({ kind: Kind.FLOAT, value: '1.5' })).toThrow(TypeError);
    expect(MoneyScalar.parseLiteral({ kind: Kind.STRING, value: '1.5' })).toBe(150);
  });

  it('serialises integer fen with two decimals and refuses fractions of a fen', () => {
    expect(MoneyScalar.serialize(0)).toBe('0.00');
    expect(MoneyScalar.serialize(5)).toBe('0.05');
    expect(MoneyScalar.serialize(1234567)).toBe('12345.67');
    expect(MoneyScalar.serialize(MAX_MONEY_FEN)).toBe('90071992547409.91');
    expect(formatFen(-150)).toBe('-1.50');
    expect(() => MoneyScalar.serialize(1.5)).toThrow(TypeError);
    expect(() => MoneyScalar.serialize('12.00')).toThrow(TypeError);
  });

  it('round-trips every fen amount exactly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MONEY_FEN }), (fen) => {
        expect(parseMoneyToFen(formatFen(fen))).toBe(fen);
      }),
      { numRuns: 2000 },
    );
  });
});
