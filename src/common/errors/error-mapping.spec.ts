import { Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiErrorCode } from './api-error-code';
import { DomainError } from './domain-error';
import { registeredErrorCodes } from './error-mapping';
import { formatGraphQLError } from './format-error';

type ErrorCtor = new (code: string, message: string) => DomainError;

const SRC = join(__dirname, '..', '..');

/** Every `*.errors.ts` of src/, loaded as the app would (so its registration runs): the features' error files. */
function errorFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? errorFiles(join(dir, e.name)) : e.name.endsWith('.errors.ts') ? [join(dir, e.name)] : [],
  );
}
let modules: { file: string; exports: Record<string, unknown> }[] = [];
let exported: { name: string; value: unknown }[] = [];

describe('error mapping (every feature registers its codes)', () => {
  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    modules = await Promise.all(
      errorFiles().map(async (file) => ({ file, exports: (await import(file)) as Record<string, unknown> })),
    );
    exported = modules.flatMap((m) => Object.entries(m.exports).map(([name, value]) => ({ name, value })));
  });

  it('finds the error files of every feature', () => {
    const names = modules.map((m) => m.file.slice(SRC.length + 1));
    expect(names).toEqual(expect.arrayContaining(['common/errors/common.errors.ts', 'linking/linking.errors.ts']));
    expect(names.length).toBeGreaterThanOrEqual(7);
  });

  it('registers every exported DomainError class', () => {
    const classes = exported.filter(
      (e) => typeof e.value === 'function' && (e.value as { prototype: unknown }).prototype instanceof DomainError,
    );
    expect(classes.length).toBeGreaterThanOrEqual(7);
    for (const c of classes) expect([c.name, registeredErrorCodes().has(c.value as ErrorCtor)]).toEqual([c.name, true]);
  });

  it('maps every value of every exported *ErrorCode enum, in one registered map', () => {
    const maps = [...registeredErrorCodes().values()].map((m) => Object.keys(m).sort().join(','));
    const enums = exported.filter((e) => e.name.endsWith('ErrorCode') && typeof e.value === 'object');
    expect(enums.length).toBeGreaterThanOrEqual(7);
    for (const e of enums) {
      const values = Object.values(e.value as object)
        .sort()
        .join(',');
      expect([e.name, maps.includes(values)]).toEqual([e.name, true]);
    }
  });

  it('answers every registered code with its API code, never INTERNAL', () => {
    let checked = 0;
    for (const [cls, map] of registeredErrorCodes()) {
      for (const [code, api] of Object.entries(map)) {
        const err = new (cls as unknown as ErrorCtor)(code, `${code} happened`);
        const out = formatGraphQLError({ message: err.message }, new GraphQLError(err.message, { originalError: err }));
        expect([cls.name, code, out.extensions?.code]).toEqual([cls.name, code, api]);
        expect(api).not.toBe(ApiErrorCode.INTERNAL);
        expect(out.extensions?.reason).toBe(code);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(40);
  });

  it('answers a domain error of an unregistered class as INTERNAL, with a log id', () => {
    class StrayError extends DomainError<'STRAY'> {
      readonly code = 'STRAY' as const;
    }
    const err = new StrayError('stray');
    const out = formatGraphQLError({ message: err.message }, new GraphQLError(err.message, { originalError: err }));
    expect(out.extensions?.code).toBe('INTERNAL');
    expect(out.extensions?.logId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
