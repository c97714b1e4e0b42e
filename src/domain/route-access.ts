import type { Actor } from './actor.js';
import type { Role } from './roles.js';

/**
 * Who may call an entry point (an HTTP route or page). Each route declares one; finer rules about
 * which records an actor may see live in the services that read them.
 */
export type Access = 'public' | 'signed-in' | { roles: readonly Role[] };

/** Practitioners and team managers: the people who work with individual records. */
export const CARE_STAFF = { roles: ['practitioner', 'team-manager'] } as const satisfies Access;

export type AccessDecision = 'allow' | 'sign-in-needed' | 'forbidden';

export function decideAccess(access: Access, actor: Actor | null): AccessDecision {
  if (access === 'public') return 'allow';
  if (!actor) return 'sign-in-needed';
  if (access === 'signed-in') return 'allow';
  return actor.roles.some((r) => access.roles.includes(r.role)) ? 'allow' : 'forbidden';
}

export function describeAccess(access: Access): string {
  if (access === 'public') return 'Anyone, without signing in.';
  if (access === 'signed-in') return 'Any signed-in user.';
  return `Signed-in users with the role ${access.roles.join(' or ')}.`;
}
