import type { Actor } from './actor.js';

/**
 * The team responsible for a person's record (the lead team), and the rules for changing it. A
 * record always has a team responsible for it, or is on the work list of the people who must
 * find one: the managers of its last lead team and the administrators.
 */
export const LEAD_STATES = ['responsible', 'escalated', 'needs-team'] as const;
export type LeadState = (typeof LEAD_STATES)[number];

export const LEAD_STATE_LABELS: Record<LeadState, string> = {
  responsible: 'Responsible for the record',
  escalated: 'Asked the team manager to decide who should be responsible',
  'needs-team': 'No team is responsible for the record',
};

export function isLeadState(value: unknown): value is LeadState {
  return typeof value === 'string' && (LEAD_STATES as readonly string[]).includes(value);
}

/** How long a reason for withdrawing, handing over or escalating may be (the column's limit). */
export const LEAD_REASON_MAX = 500;

/**
 * Who may choose the lead team of a record (and so see its name and its team, not the record
 * itself): a manager of the current lead team, for any of its records; an administrator, for a
 * record that needs a team (one on their work list), since seeing who anyone is needs a reason.
 */
export function mayAssignLeadTeam(actor: Actor, lead: { teamId: string | null; state: LeadState }): boolean {
  if (
    lead.teamId !== null &&
    actor.roles.some((r) => r.role === 'team-manager' && r.teamId === lead.teamId)
  ) {
    return true;
  }
  return lead.state !== 'responsible' && actor.roles.some((r) => r.role === 'admin');
}

/** The teams whose records needing a responsible team an actor sees: null for all (administrators). */
export function workListTeams(actor: Actor): string[] | null {
  if (actor.roles.some((r) => r.role === 'admin')) return null;
  return actor.roles.filter((r) => r.role === 'team-manager' && r.teamId).map((r) => r.teamId as string);
}

/**
 * Whether withdrawing one basis leaves the lead team's organisation with none in force: then the
 * lead team can no longer see the record, and someone else must be made responsible for it.
 */
export function withdrawalRemovesLead(
  inForce: readonly { basisId: string; organisationId: string }[],
  basisId: string,
  leadOrganisationId: string | null,
): boolean {
  if (leadOrganisationId === null) return false;
  const withdrawn = inForce.find((b) => b.basisId === basisId);
  if (!withdrawn || withdrawn.organisationId !== leadOrganisationId) return false;
  return !inForce.some((b) => b.basisId !== basisId && b.organisationId === leadOrganisationId);
}
