import type { Actor } from './actor.js';
import type { Role } from './roles.js';

/**
 * The access rule for aggregates (indicator values), beside the record rule in record-access.ts.
 * Aggregates carry no personal data: every count leaving the service goes through disclosure
 * control, so the rule is about which units' figures an actor has a business reason to see:
 *
 * - commissioners and analysts: every organisation and team in the region (they commission and
 *   compare providers);
 * - team managers: every team of their own organisation (the provider view across its teams);
 * - practitioners: their own team (how their team is doing);
 * - people, carers and administrators: none (a person sees their own record, not the service's
 *   figures; administrators run the system, not the services).
 *
 * Defining indicators is for commissioners and analysts.
 */
export type AggregateScope =
  | { kind: 'region' }
  | { kind: 'units'; organisationIds: readonly string[]; teamIds: readonly string[] };

/** Roles that may read aggregates at all: the routes' access rule. */
export const AGGREGATE_READER_ROLES = [
  'practitioner',
  'team-manager',
  'commissioner',
  'analyst',
] as const satisfies readonly Role[];

/** Roles that may define indicators. */
export const INDICATOR_AUTHOR_ROLES = ['commissioner', 'analyst'] as const satisfies readonly Role[];

const REGION_ROLES: readonly Role[] = ['commissioner', 'analyst'];

/** The units whose aggregates the actor may see; null when none. */
export function aggregateScopeOf(actor: Actor): AggregateScope | null {
  if (actor.roles.some((r) => REGION_ROLES.includes(r.role))) return { kind: 'region' };
  const organisationIds = new Set<string>();
  const teamIds = new Set<string>();
  for (const r of actor.roles) {
    if (r.role === 'team-manager' && r.organisationId) organisationIds.add(r.organisationId);
    else if (r.role === 'team-manager' && r.teamId) teamIds.add(r.teamId);
    if (r.role === 'practitioner' && r.teamId) teamIds.add(r.teamId);
  }
  if (!organisationIds.size && !teamIds.size) return null;
  return { kind: 'units', organisationIds: [...organisationIds], teamIds: [...teamIds] };
}

export function mayDefineIndicators(actor: Actor): boolean {
  return actor.roles.some((r) => (INDICATOR_AUTHOR_ROLES as readonly Role[]).includes(r.role));
}

/** Whether a unit (organisation and team of a rollup row) is within a scope. */
export function scopeCovers(scope: AggregateScope, organisationId: string, teamId: string): boolean {
  if (scope.kind === 'region') return true;
  return scope.organisationIds.includes(organisationId) || scope.teamIds.includes(teamId);
}
