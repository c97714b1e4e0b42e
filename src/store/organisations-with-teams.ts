import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

export interface OrganisationWithTeams {
  organisationId: string;
  name: string;
  teams: { teamId: string; name: string }[];
}

/**
 * Every organisation, by name, with its teams by name: what a choice of "which organisation or
 * team" offers (contracts, CSV import). Two queries, not one per organisation.
 */
export async function organisationsWithTeams(db: Kysely<DB>): Promise<OrganisationWithTeams[]> {
  const [organisations, teams] = await Promise.all([
    db.selectFrom('organisation').select(['organisation_id', 'name']).orderBy('name').execute(),
    db.selectFrom('team').select(['team_id', 'organisation_id', 'name']).orderBy('name').execute(),
  ]);
  return organisations.map((o) => ({
    organisationId: o.organisation_id,
    name: o.name,
    teams: teams
      .filter((t) => t.organisation_id === o.organisation_id)
      .map((t) => ({ teamId: t.team_id, name: t.name })),
  }));
}
