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
