import { registerEnumType } from '@nestjs/graphql';

/** Staff roles (../shared/API.md). A user may hold several; ADMIN passes every role check. */
export enum Role {
  /** Works cases and reports of their units. */
  INVESTIGATOR = 'INVESTIGATOR',
  /** Prevention work: alerts, campaigns, subscribers of their units. */
  OUTREACH = 'OUTREACH',
  /** Oversees the staff and work of their (possibly several) units; reads the audit log. */
  SUPERVISOR = 'SUPERVISOR',
  /** Manages users and roles; sees everything; passes every role check. */
  ADMIN = 'ADMIN',
}
registerEnumType(Role, {
  name: 'Role',
  description: 'Staff roles; a user may hold several. ADMIN passes every role check.',
});

export const ALL_ROLES: readonly Role[] = [Role.INVESTIGATOR, Role.OUTREACH, Role.SUPERVISOR, Role.ADMIN];

/** True when `held` contains any of `required`, or ADMIN. An empty `required` list admits nobody but ADMIN. */
export function hasAnyRole(held: readonly Role[], required: readonly Role[]): boolean {
  if (held.includes(Role.ADMIN)) return true;
  return required.some((r) => held.includes(r));
}
