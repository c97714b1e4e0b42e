import type { Role } from './roles.js';

export interface ActorRole {
  role: Role;
  organisationId: string | null;
  organisationName: string | null;
  teamId: string | null;
  teamName: string | null;
}

/** Who is asking. Every service call that touches data carries one. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  jobTitle: string | null;
  personId: string | null;
  roles: ActorRole[];
  /** Where the request came from, for the audit trail. */
  ip: string | null;
}

export function hasRole(actor: Actor, ...roles: readonly Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r.role));
}
