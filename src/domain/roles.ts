/** The roles a user can hold, each scoped (where it applies) to an organisation and team. */
export const ROLES = [
  'person',
  'carer',
  'practitioner',
  'team-manager',
  'commissioner',
  'analyst',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  person: 'Person using services',
  carer: 'Carer',
  practitioner: 'Practitioner',
  'team-manager': 'Team manager',
  commissioner: 'Commissioner',
  analyst: 'Analyst',
  admin: 'Administrator',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Roles of people who use services rather than staff who provide them. */
const SERVICE_USER_ROLES: readonly Role[] = ['person', 'carer'];

/** Roles of staff who provide or commission services: every role but the service users'. */
export const STAFF_ROLES = [
  'practitioner',
  'team-manager',
  'commissioner',
  'analyst',
  'admin',
] as const satisfies readonly Role[];

/**
 * Whether someone holding these roles is a member of the public using the service, not staff: no
 * role at all, or only service users' roles. Their names are theirs to keep from other people.
 */
export function isServiceUserOnly(roles: readonly string[]): boolean {
  return roles.every((role) => (SERVICE_USER_ROLES as readonly string[]).includes(role));
}
