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
  /**
   * Set when the caller is a system (an OAuth 2 client with SMART system scopes on `/fhir`), not a
   * user: it acts for its organisation and sees the records that organisation's care teams hold
   * under a sharing basis in force. It holds no role, so every role-restricted rule refuses it.
   */
  client?: { clientId: string; organisationId: string };
}

/**
 * The actor a system client acts as: its own account (which cannot sign in: what it writes is
 * signed with that account, as a practitioner's is with theirs), no roles, its organisation.
 */
export function actorForClient(
  client: { clientId: string; organisationId: string; userId: string },
  ip: string | null,
): Actor {
  return {
    userId: client.userId,
    username: `client:${client.clientId}`,
    displayName: `System client ${client.clientId}`,
    jobTitle: null,
    personId: null,
    roles: [],
    ip,
    client: { clientId: client.clientId, organisationId: client.organisationId },
  };
}

export function hasRole(actor: Actor, ...roles: readonly Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r.role));
}
