import type { Actor } from '../actor.js';
import type { Role } from '../roles.js';

/** The staff who handle a service's feedback: its practitioners and team managers. */
export const FEEDBACK_STAFF_ROLES = ['practitioner', 'team-manager'] as const satisfies readonly Role[];

/** A service that collects feedback: a team, or an organisation as a whole (teamId null). */
export interface FeedbackServiceRef {
  organisationId: string;
  teamId: string | null;
}

/**
 * Whether the actor handles this service's feedback (enters it, reads it): a practitioner or team
 * manager of the team, for a team; one of the organisation (at any of its teams or the organisation
 * itself), for an organisation. Nobody else, administrators included: stories are the service's.
 */
export function handlesFeedback(actor: Actor, service: FeedbackServiceRef): boolean {
  return actor.roles.some(
    (r) =>
      (FEEDBACK_STAFF_ROLES as readonly Role[]).includes(r.role) &&
      (service.teamId === null ? r.organisationId === service.organisationId : r.teamId === service.teamId),
  );
}

/** The services whose feedback the actor handles, from their roles: each team, and its organisation. */
export function feedbackServicesOf(actor: Actor): FeedbackServiceRef[] {
  const found = new Map<string, FeedbackServiceRef>();
  for (const r of actor.roles) {
    if (!(FEEDBACK_STAFF_ROLES as readonly Role[]).includes(r.role) || !r.organisationId) continue;
    if (r.teamId) found.set(`t:${r.teamId}`, { organisationId: r.organisationId, teamId: r.teamId });
    found.set(`o:${r.organisationId}`, { organisationId: r.organisationId, teamId: null });
  }
  return [...found.values()];
}
