import type { Actor } from '../actor.js';
import { isServiceUserOnly, type Role, STAFF_ROLES } from '../roles.js';
import type { ReviewState } from './staleness.js';
import type { ResourceStatus } from './vocabulary.js';

/**
 * Who may see and who may keep up to date an entry of the community resource directory: the one
 * rule, asked by the service (and, through it, by pages and navigation).
 *
 * - Anyone, signed in or not, may read an entry that is active and not hidden for being out of date:
 *   the directory is for people to find help themselves.
 * - Staff (any role other than a person's or carer's) maintain the entries of the organisations
 *   they belong to: a voluntary group's own staff know when its sessions change.
 * - Administrators maintain every organisation's entries (they keep the directory as a whole).
 * - An API client (system caller) maintains its own organisation's entries, when its token's scope
 *   lets it write (checked at the route).
 * Staff who may maintain an entry also see it when closed or hidden, so they can put it right.
 */

/**
 * The roles of staff: those who may have entries to keep (their organisation's). The staff pages
 * admit these at the door; which entries each may change is decided below.
 */
export const COMMUNITY_STAFF_ROLES = STAFF_ROLES;

/** Roles that may maintain any organisation's entries. */
export const DIRECTORY_ADMIN_ROLES = ['admin'] as const satisfies readonly Role[];

export interface ResourceFacts {
  organisationId: string;
  status: ResourceStatus;
  reviewState: ReviewState;
}

export interface ResourcePermissions {
  read: boolean;
  maintain: boolean;
}

/** Whether the actor is an administrator of the directory (maintains every organisation's entries). */
export function isDirectoryAdmin(actor: Actor | null): boolean {
  return !!actor && actor.roles.some((r) => (DIRECTORY_ADMIN_ROLES as readonly Role[]).includes(r.role));
}

/**
 * The organisations whose entries the actor maintains: 'all' for an administrator, else the
 * organisations of the actor's staff roles (a team role names its organisation too), or the API
 * client's own organisation. Empty for the public, people and carers.
 */
export function maintainedOrganisations(actor: Actor | null): 'all' | string[] {
  if (!actor) return [];
  if (actor.client) return [actor.client.organisationId];
  if (isDirectoryAdmin(actor)) return 'all';
  const ids = new Set<string>();
  for (const r of actor.roles) {
    if (isServiceUserOnly([r.role])) continue;
    if (r.organisationId) ids.add(r.organisationId);
  }
  return [...ids].sort();
}

/** Whether the actor may add entries for this organisation. */
export function mayMaintainFor(actor: Actor | null, organisationId: string): boolean {
  const orgs = maintainedOrganisations(actor);
  return orgs === 'all' || orgs.includes(organisationId);
}

/** Whether the actor may add any entry at all (belongs to some organisation as staff, or is an admin). */
export function mayAddEntries(actor: Actor | null): boolean {
  const orgs = maintainedOrganisations(actor);
  return orgs === 'all' || orgs.length > 0;
}

/** Whether people looking for help see the entry: active and not long out of date. */
export function isListedForPeople(facts: Pick<ResourceFacts, 'status' | 'reviewState'>): boolean {
  return facts.status === 'active' && facts.reviewState !== 'hidden';
}

/** What the actor may do with one entry. */
export function resourcePermissions(actor: Actor | null, facts: ResourceFacts): ResourcePermissions {
  const maintain = mayMaintainFor(actor, facts.organisationId);
  return { read: maintain || isListedForPeople(facts), maintain };
}
