import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonError, CommonErrorCode } from '../errors/common.errors';

/**
 * The global pipe for @InputType/@ArgsType DTOs. The first failing constraint becomes a BAD_USER_INPUT error
 * whose `extensions.field` is the input path, prefixed by the argument name (`input.identifiers.2.value`).
 *
 * An explicit `null` for an optional argument or input field means what leaving it out means: clients send
 * null for every unset variable, and services then see one "not given" (undefined) rather than two. (GraphQL
 * itself refuses null for a required one before this pipe runs.)
 */
@Injectable()
export class GraphQLValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidUnknownValues: false,
      stopAtFirstError: true,
      exceptionFactory: (errors: ValidationError[]) => {
        const { path, constraint } = firstError(errors, []);
        return new CommonError(CommonErrorCode.VALIDATION_FAILED, constraint, path.join('.'));
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(withoutNulls(value), metadata);
    } catch (e) {
      if (!(e instanceof CommonError)) throw e;
      // @Args('input') -> 'input.fraudType'; @Args() ArgsType classes already start at the argument name.
      const field = metadata.data ? `${metadata.data}.${e.field}` : e.field;
      throw new CommonError(e.code, `${field}: ${e.message}`, field, e.details);
    }
  }
}

function firstError(errors: ValidationError[], prefix: string[]): { path: string[]; constraint: string } {
  const e = errors[0];
  const path = [...prefix, e.property];
  const msg = e.constraints ? Object.values(e.constraints)[0] : undefined;
  if (msg) return { path, constraint: msg };
  if (e.children && e.children.length > 0) return firstError(e.children, path);
  return { path, constraint: `${e.property} is invalid` };
}

/** A copy of an argument value without null-valued input fields (in nested inputs and list items too). */
export function withoutNulls(value: unknown): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(withoutNulls);
  // plain objects only (graphql-js builds inline input objects without a prototype); Dates etc. stay as given
  if (typeof value !== 'object' || value === undefined) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}
