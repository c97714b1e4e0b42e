import type { Kysely } from 'kysely';
import type { OrganisationKind } from '../domain/organisation-kinds.js';
import type { DB } from '../store/schema.js';
import type { Actor } from './actor.js';

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

/**
 * The directory of organisations and teams that can support a person. It holds no personal data,
 * so every signed-in user may read it: people need it to see who is in their care team.
 */
export class DirectoryService {
  constructor(private readonly db: Kysely<DB>) {}

  async listOrganisations(_actor: Actor): Promise<OrganisationSummary[]> {
    const [organisations, teams] = await Promise.all([
      this.db.selectFrom('organisation').selectAll().orderBy('kind').orderBy('name').execute(),
      this.db.selectFrom('team').selectAll().orderBy('name').execute(),
    ]);
    return organisations.map((o) => ({
      organisationId: o.organisation_id,
      kind: o.kind as OrganisationKind,
      name: o.name,
      odsCode: o.ods_code,
      teams: teams
        .filter((t) => t.organisation_id === o.organisation_id)
        .map((t) => ({ teamId: t.team_id, name: t.name })),
    }));
  }
}
