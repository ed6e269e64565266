import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonError, CommonErrorCode } from '../errors/common.errors';

/**
 * The global pipe for @InputType/@ArgsType DTOs. The first failing constraint becomes a BAD_USER_INPUT error
 * whose `extensions.field` is the input path, prefixed by the argument name (`input.identifiers.2.value`).
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
      return await super.transform(value, metadata);
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
