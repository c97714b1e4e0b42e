import type { Kysely, Selectable } from 'kysely';
import type { OrganisationKind } from '../../domain/organisation-kinds.js';
import type { DB } from '../../store/schema.js';

/** The directory's queries: organisations, their teams and the practitioners in them. No personal records. */

export interface TeamSummary {
  teamId: string;
  name: string;
}

export interface OrganisationSummary {
  organisationId: string;
  kind: OrganisationKind;
  name: string;
  odsCode: string | null;
  teams: TeamSummary[];
}

export interface PractitionerSummary {
  userId: string;
  displayName: string;
  jobTitle: string | null;
  organisationId: string;
  teamId: string | null;
}

export const rowToTeam = (t: Selectable<DB['team']>): TeamSummary => ({ teamId: t.team_id, name: t.name });

export const rowToOrganisation = (
  o: Selectable<DB['organisation']>,
  teams: TeamSummary[],
): OrganisationSummary => ({
  organisationId: o.organisation_id,
  kind: o.kind as OrganisationKind,
  name: o.name,
  odsCode: o.ods_code,
  teams,
});

/** Every organisation by kind and name, each with its teams by name. */
export async function allOrganisations(db: Kysely<DB>): Promise<OrganisationSummary[]> {
  const [organisations, teams] = await Promise.all([
    db.selectFrom('organisation').selectAll().orderBy('kind').orderBy('name').execute(),
    db.selectFrom('team').selectAll().orderBy('name').execute(),
  ]);
  return organisations.map((o) =>
    rowToOrganisation(o, teams.filter((t) => t.organisation_id === o.organisation_id).map(rowToTeam)),
  );
}

/** Practitioners and team managers who can sign in, by name, once each (their first organisation). */
export async function activePractitioners(db: Kysely<DB>): Promise<PractitionerSummary[]> {
  const rows = await db
    .selectFrom('user_role as r')
    .innerJoin('user_account as u', 'u.user_id', 'r.user_id')
    .select(['u.user_id', 'u.display_name', 'u.job_title', 'r.organisation_id', 'r.team_id'])
    .where('r.role', 'in', ['practitioner', 'team-manager'])
    .where('r.organisation_id', 'is not', null)
    .where('u.disabled_at', 'is', null)
    .orderBy('u.display_name')
    .execute();
  const seen = new Set<string>();
  return rows.flatMap((r) => {
    if (seen.has(r.user_id) || !r.organisation_id) return [];
    seen.add(r.user_id);
    return [
      {
        userId: r.user_id,
        displayName: r.display_name,
        jobTitle: r.job_title,
        organisationId: r.organisation_id,
        teamId: r.team_id,
      },
    ];
  });
}
