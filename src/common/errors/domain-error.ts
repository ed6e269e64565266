import { IntrinsicException } from '@nestjs/common';

/**
 * Base of every feature's error class (`<feature>.errors.ts`). Services throw these; the mapping in
 * error-mapping.ts turns `code` into the client-facing `extensions.code` from the code map each feature
 * registers beside its class (registerErrorCodes). `field` names the offending input
 * path for validation errors (e.g. `input.identifiers.2.value`). An IntrinsicException: Nest's default filter
 * does not log it — a refused login or a bad input is an answer, not a server fault.
 */
export abstract class DomainError<C extends string = string> extends IntrinsicException {
  abstract readonly code: C;
  constructor(
    message: string,
    readonly field?: string,
    readonly details?: Record<string, string | number | boolean>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
