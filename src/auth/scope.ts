import { AuthError, AuthErrorCode } from './auth.errors';
import { StaffPrincipal } from './principal';
import { Role } from './roles';

/**
 * Which units' data a principal may see. Repositories of unit-scoped data (reports, cases, users, audit
 * entries...) take a Scope as a REQUIRED argument and turn it into their filter, so a query cannot forget it:
 * `ALL` adds no condition; `UNITS` restricts to the listed region codes (an empty list sees nothing).
 */
export type Scope = { readonly kind: 'ALL' } | { readonly kind: 'UNITS'; readonly unitCodes: readonly string[] };

export const ALL_UNITS: Scope = Object.freeze({ kind: 'ALL' as const });

/** ADMIN sees all units; everyone else (investigators, outreach, supervisors) sees their own units. */
export function scopeFor(principal: Pick<StaffPrincipal, 'roles' | 'unitCodes'>): Scope {
  if (principal.roles.includes(Role.ADMIN)) return ALL_UNITS;
  return Object.freeze({ kind: 'UNITS' as const, unitCodes: Object.freeze([...new Set(principal.unitCodes)]) });
}

/** True when data filed under any of `unitCodes` is visible in `scope`. */
export function scopeAllows(scope: Scope, unitCodes: readonly string[]): boolean {
  if (scope.kind === 'ALL') return true;
  return unitCodes.some((u) => scope.unitCodes.includes(u));
}

/** Throws FORBIDDEN (OUT_OF_UNIT) unless `scope` covers one of `unitCodes`. */
export function assertInScope(scope: Scope, unitCodes: readonly string[], what: string): void {
  if (!scopeAllows(scope, unitCodes))
    throw new AuthError(AuthErrorCode.OUT_OF_UNIT, `${what} belongs to a unit outside your units`);
}

/**
 * A mongo filter on `field` (an array or string field of unit codes) for the scope: `{}` for ALL,
 * `{ [field]: { $in: codes } }` otherwise. Usable on MongoDB and FerretDB (where it scans: staff pages only).
 */
export function scopeFilter(scope: Scope, field: string): Record<string, unknown> {
  return scope.kind === 'ALL' ? {} : { [field]: { $in: [...scope.unitCodes] } };
}
