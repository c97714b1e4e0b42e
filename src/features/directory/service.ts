import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import type { OrganisationKind } from '../../domain/organisation-kinds.js';
import type { DB } from '../../store/schema.js';
import type { ApiClient } from '../auth/api-client-service.js';

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
export interface PractitionerSummary {
  userId: string;
  displayName: string;
  jobTitle: string | null;
  organisationId: string;
  teamId: string | null;
}

export class DirectoryService {
  constructor(private readonly db: Kysely<DB>) {}

  /** Open to any signed-in user, and to API clients with the scope directory:read. */
  async listOrganisations(_caller: Actor | ApiClient): Promise<OrganisationSummary[]> {
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

  /** Practitioners and team managers, by organisation and team: who can join a care team by name. */
  async listPractitioners(_actor: Actor): Promise<PractitionerSummary[]> {
    const rows = await this.db
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
}
