/**
 * Base of every feature's error class (`<feature>.errors.ts`). Services throw these; the one mapping in
 * error-mapping.ts turns `code` into the client-facing `extensions.code`. `field` names the offending input
 * path for validation errors (e.g. `input.identifiers.2.value`).
 */
export abstract class DomainError<C extends string = string> extends Error {
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
