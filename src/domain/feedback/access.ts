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

/**
 * Whether the actor moderates this service's stories (corrects what was masked, sets criticality,
 * names the safeguarding contact): a team manager of the team, or of the organisation's teams for
 * an organisation-wide service. Practitioners read stories but do not decide what is published.
 */
export function moderatesFeedback(actor: Actor, service: FeedbackServiceRef): boolean {
  return actor.roles.some(
    (r) =>
      r.role === 'team-manager' &&
      (service.teamId === null ? r.organisationId === service.organisationId : r.teamId === service.teamId),
  );
}

/** Whether the actor belongs to the organisation (any role there): who may be a safeguarding contact. */
export function belongsTo(actor: Actor, organisationId: string): boolean {
  return actor.roles.some((r) => r.organisationId === organisationId);
}

/**
 * Whether the actor retrains the organisation's coding model on demand: a team manager there (at
 * any of its teams or the organisation itself). A model serves all the organisation's services, so
 * it is the managers', not one team's practitioners'; reviewing codes is every service's staff's.
 */
export function trainsCodingModel(actor: Actor, organisationId: string): boolean {
  return actor.roles.some((r) => r.role === 'team-manager' && r.organisationId === organisationId);
}
