import { ApiErrorCode } from './api-error-code';
import type { DomainError } from './domain-error';

/** What a domain error may become: any API code but INTERNAL (a domain error is an answer, not a fault). */
export type DomainApiCode = Exclude<ApiErrorCode, ApiErrorCode.INTERNAL>;

/**
 * A feature's code -> API code map. A Record over the feature's code enum, so a code the feature adds and does
 * not map fails to compile (what the one exhaustive switch used to guarantee).
 */
export type ErrorCodeMap<C extends string> = Readonly<Record<C, DomainApiCode>>;

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- keyed by the error class itself
type ErrorClass = Function & { prototype: DomainError };

const maps = new Map<ErrorClass, Readonly<Record<string, DomainApiCode>>>();

/**
 * Registers a feature's error class with its code map. Each `<feature>.errors.ts` calls it beside its class:
 * common/ then knows no feature, and the registration has run before any of the feature's errors can exist
 * (constructing one loads its file). The one mapping is the union of these maps, looked up by error class, so
 * features may share a code name (BAD_CURSOR) without clashing.
 */
export function registerErrorCodes<C extends string>(errorClass: ErrorClass, codes: ErrorCodeMap<C>): void {
  if (maps.has(errorClass)) throw new Error(`${errorClass.name}: its error codes are registered twice`);
  maps.set(errorClass, codes);
}

/** The API code of a domain error (its class, or the nearest registered base class); undefined when unmapped. */
export function apiCodeFor(error: DomainError): DomainApiCode | undefined {
  for (let proto: unknown = Object.getPrototypeOf(error); proto; proto = Object.getPrototypeOf(proto)) {
    const map = maps.get((proto as { constructor: ErrorClass }).constructor);
    if (map) return Object.hasOwn(map, error.code) ? map[error.code] : undefined;
  }
  return undefined;
}

/** Every registered error class with its map (the mapping's spec checks them). */
export function registeredErrorCodes(): ReadonlyMap<ErrorClass, Readonly<Record<string, DomainApiCode>>> {
  return maps;
}
