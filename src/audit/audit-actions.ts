/**
 * Audit actions written by the staff-identity features. Other features add their own (e.g. 'CASE_CREATED')
 * as UPPER_SNAKE strings; the API exposes `action` as a String so adding one needs no schema change.
 */
export enum AuditAction {
  LOGIN_SUCCEEDED = 'LOGIN_SUCCEEDED',
  LOGIN_FAILED = 'LOGIN_FAILED',
  /** A login refused because the e-mail or the address is locked out (also with the right password). */
  LOGIN_LOCKED = 'LOGIN_LOCKED',
  LOGOUT = 'LOGOUT',
  TOKEN_REFRESHED = 'TOKEN_REFRESHED',
  /** An already-used refresh token came back: the whole session family was revoked. */
  REFRESH_TOKEN_REUSED = 'REFRESH_TOKEN_REUSED',
  USER_CREATED = 'USER_CREATED',
  USER_ROLES_SET = 'USER_ROLES_SET',
  USER_UNITS_SET = 'USER_UNITS_SET',
  USER_DISABLED = 'USER_DISABLED',
  USER_ENABLED = 'USER_ENABLED',
  BOOTSTRAP_ADMIN_CREATED = 'BOOTSTRAP_ADMIN_CREATED',
  /** Decrypted personal data was returned to a user (details.field names which). */
  READ_PII = 'READ_PII',
}
