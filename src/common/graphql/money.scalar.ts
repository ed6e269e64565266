import { GraphQLScalarType, Kind } from 'graphql';

/** The largest amount the scalar represents: fen must stay an exact JavaScript integer. */
export const MAX_MONEY_FEN = Number.MAX_SAFE_INTEGER;

const DECIMAL = /^(0|[1-9]\d{0,17})(?:\.(\d{1,2}))?$/;

/**
 * Parses exact decimal yuan ("12345.67", "0", "12", "0.5") into integer fen without ever going through a
 * float: the integer and fraction digits are combined as a BigInt. Refuses signs, exponents, more than two
 * decimals, leading zeros, whitespace, thousands separators and anything above {@link MAX_MONEY_FEN}.
 */
export function parseMoneyToFen(value: unknown): number {
  if (typeof value !== 'string') {
    throw new TypeError('Money must be a string of decimal yuan, e.g. "12345.67"');
  }
  const m = DECIMAL.exec(value);
  if (!m) {
    throw new TypeError(
      'Money must be decimal yuan with at most two decimals, no sign, exponent or separators, e.g. "12345.67"',
    );
  }
  const fen = BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
  if (fen > BigInt(MAX_MONEY_FEN)) throw new TypeError('Money is too large');
  return Number(fen);
}

/** Integer fen -> "12345.67" (always two decimals). */
export function formatFen(fen: number | bigint): string {
  const n = BigInt(fen);
  if (typeof fen === 'number' && !Number.isSafeInteger(fen)) throw new TypeError('Money: fen must be an integer');
  const sign = n < 0n ? '-' : '';
  const abs = n < 0n ? -n : n;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/**
 * `Money`: exact decimal yuan as a string on the wire (e.g. "12345.67"); integer fen inside the server and in
 * the store (STYLE.md rule 6). Input is parsed by {@link parseMoneyToFen}; output serialises integer fen.
 */
export const MoneyScalar = new GraphQLScalarType<number, string>({
  name: 'Money',
  description:
    'Exact decimal yuan as a string, e.g. "12345.67" (at most two decimals, no sign); stored as integer fen.',
  serialize(value: unknown): string {
    if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value)))
      return formatFen(value);
    throw new TypeError('Money cannot represent a non-integer fen value');
  },
  parseValue: parseMoneyToFen,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError('Money must be a string, e.g. "12345.67"');
    return parseMoneyToFen(ast.value);
  },
});
