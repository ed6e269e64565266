import { ForbiddenException, Logger, PayloadTooLargeException } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { CommonError, CommonErrorCode } from './common.errors';
import { clip, fieldFromMessage, formatGraphQLError } from './format-error';

const formatted = (message: string, code?: string) => ({ message, extensions: code ? { code } : undefined });
const asResolverError = (e: Error) => new GraphQLError(e.message, { originalError: e, path: ['field'] });

describe('formatGraphQLError', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));

  it('maps a domain error through the one mapping, keeping field and reason', () => {
    const e = new CommonError(CommonErrorCode.VALIDATION_FAILED, 'input.loss: too large', 'input.loss');
    const out = formatGraphQLError(formatted(e.message, 'INTERNAL_SERVER_ERROR'), asResolverError(e));
    expect(out.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'VALIDATION_FAILED', field: 'input.loss' });
    expect(out.message).toBe('input.loss: too large');
  });

  it('turns an unknown error into INTERNAL with a log id and no detail', () => {
    const e = new Error('MongoServerError: E11000 duplicate key error collection: siqian.reports');
    const out = formatGraphQLError(formatted(e.message, 'INTERNAL_SERVER_ERROR'), asResolverError(e));
    expect(out.extensions?.code).toBe('INTERNAL');
    expect(out.extensions?.logId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.message).toBe(`Internal server error (log id ${String(out.extensions?.logId)})`);
    expect(JSON.stringify(out)).not.toMatch(/Mongo|E11000|duplicate/);
  });

  it('maps Nest HTTP exceptions by status', () => {
    expect(formatGraphQLError(formatted('x'), asResolverError(new ForbiddenException())).extensions).toEqual({
      code: 'FORBIDDEN',
    });
    expect(formatGraphQLError(formatted('x'), asResolverError(new PayloadTooLargeException())).extensions).toEqual({
      code: 'BAD_USER_INPUT',
    });
  });

  it('maps malformed-request codes to BAD_USER_INPUT and extracts the field', () => {
    const msg =
      'Variable "$input" got invalid value "X" at "input.fraudType"; Value "X" does not exist in "FraudType" enum.';
    const out = formatGraphQLError(formatted(msg, 'BAD_USER_INPUT'), new GraphQLError(msg));
    expect(out.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.fraudType' });
    expect(
      formatGraphQLError(formatted('Syntax Error', 'GRAPHQL_PARSE_FAILED'), new GraphQLError('Syntax Error'))
        .extensions,
    ).toEqual({
      code: 'BAD_USER_INPUT',
    });
  });

  it('keeps our own API codes that Apollo re-wrapped as validation failures', () => {
    const ours = new GraphQLError('Query is too deep', {
      extensions: { code: 'QUERY_TOO_COMPLEX', depth: 9, maxDepth: 8 },
    });
    const wrapped = new GraphQLError(ours.message, {
      originalError: ours,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(formatGraphQLError(formatted(ours.message, 'GRAPHQL_VALIDATION_FAILED'), wrapped).extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      depth: 9,
      maxDepth: 8,
    });
  });
});

describe('echoed values are clipped', () => {
  const huge = '9'.repeat(10_240);

  it('cuts every long unbroken run and the whole message, in every kind of error', () => {
    const domain = new CommonError(CommonErrorCode.VALIDATION_FAILED, `No user with id ${huge}`, 'id');
    const fromDomain = formatGraphQLError(formatted(domain.message), asResolverError(domain));
    expect(fromDomain.message).toBe(`No user with id ${'9'.repeat(64)}…`);
    const coercion = `Variable "$id" got invalid value "${huge}"; Int cannot represent non-integer value`;
    const fromGraphql = formatGraphQLError(formatted(coercion, 'BAD_USER_INPUT'), new GraphQLError(coercion));
    expect(fromGraphql.message.length).toBeLessThan(200);
    expect(fromGraphql.message).toMatch(/^Variable "\$id" got invalid value "9{63}… Int cannot represent/);
    expect(
      formatGraphQLError(
        formatted('x'),
        asResolverError(new CommonError(CommonErrorCode.VALIDATION_FAILED, 'a '.repeat(5000))),
      ).message.length,
    ).toBeLessThanOrEqual(601);
  });

  it('leaves ordinary messages and non-strings alone, and never splits a character', () => {
    expect(clip('input.loss: too large')).toBe('input.loss: too large');
    expect(clip(42)).toBe(42);
    expect(clip('电'.repeat(100))).toBe(`${'电'.repeat(64)}…`);
    expect(clip('😀'.repeat(100))).toBe(`${'😀'.repeat(64)}…`);
  });
});

describe('fieldFromMessage', () => {
  it.each([
    [
      'Variable "$input" got invalid value 5 at "input.identifiers[0].value"; String cannot represent',
      'input.identifiers[0].value',
    ],
    ['Variable "$id" of required type "ID!" was not provided.', 'id'],
    [
      'Variable "$input" got invalid value {}; Field "fraudType" of required type "FraudType!" was not provided.',
      'input.fraudType',
    ],
    ['Argument "id" of required type "ID!" was not provided.', 'id'],
    ['Syntax Error: Unexpected <EOF>.', undefined],
  ])('%s -> %s', (message, field) => {
    expect(fieldFromMessage(message)).toBe(field);
  });
});
