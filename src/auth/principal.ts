import { Role } from './roles';

/**
 * The authenticated staff user of one GraphQL operation. Built by AuthenticationService from a verified
 * access token AND the stored user (read by `_id` on every operation), so disabling a user or changing roles
 * and units takes effect on the user's next request, not when the token expires.
 */
export interface StaffPrincipal {
  userId: string;
  email: string;
  displayName: string;
  roles: readonly Role[];
  /** Region codes (DG01..) of the units the user belongs to or, for supervisors, covers. */
  unitCodes: readonly string[];
  /** The refresh-token family (login session) the access token belongs to; logout revokes it. */
  sessionId: string;
}

/** Where a request came from, for the audit log. */
export interface RequestMeta {
  ip?: string;
  userAgent?: string;
}
