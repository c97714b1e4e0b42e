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

// ——— for /fhir (Organization, Practitioner, PractitionerRole): the same directory, with dates ———

/** A team as /fhir serves it: with its organisation and when it was added (its only version). */
export interface DatedTeam extends TeamSummary {
  organisationId: string;
  createdAt: Date;
}

/** An organisation as /fhir serves it, with when it was added (its only version). */
export interface DatedOrganisation extends Omit<OrganisationSummary, 'teams'> {
  createdAt: Date;
  teams: DatedTeam[];
}

/** Every organisation by kind and name, each with its teams by name, and when each was added. */
export async function datedOrganisations(db: Kysely<DB>): Promise<DatedOrganisation[]> {
  const [organisations, teams] = await Promise.all([
    db
      .selectFrom('organisation')
      .selectAll()
      .orderBy('kind')
      .orderBy('name')
      .orderBy('organisation_id')
      .execute(),
    db.selectFrom('team').selectAll().orderBy('name').orderBy('team_id').execute(),
  ]);
  return organisations.map((o) => {
    const own = teams
      .filter((t) => t.organisation_id === o.organisation_id)
      .map((t) => ({ ...rowToTeam(t), organisationId: t.organisation_id, createdAt: t.created_at }));
    return { ...rowToOrganisation(o, []), teams: own, createdAt: o.created_at };
  });
}

/** The staff roles the directory lists: who can join a care team. */
export const DIRECTORY_STAFF_ROLES = ['practitioner', 'team-manager'] as const;
export type DirectoryStaffRole = (typeof DIRECTORY_STAFF_ROLES)[number];

export interface StaffRole {
  userRoleId: string;
  role: DirectoryStaffRole;
  organisationId: string;
  teamId: string | null;
}

/** A staff account as the directory shows it: name and job title, never username or email. */
export interface StaffAccount {
  userId: string;
  displayName: string;
  jobTitle: string | null;
  /** False once the account is disabled (it still names what its holder recorded). */
  active: boolean;
  createdAt: Date;
  roles: StaffRole[];
}

/**
 * Accounts holding a practitioner or team-manager role in an organisation, disabled ones too, by
 * name; never a person's own account, a carer's, or a system client's (those hold no such role,
 * and are excluded by their person link, their roles and their `client:` username besides).
 */
export async function staffAccounts(db: Kysely<DB>, userIds?: readonly string[]): Promise<StaffAccount[]> {
  if (userIds && userIds.length === 0) return [];
  const rows = await db
    .selectFrom('user_role as r')
    .innerJoin('user_account as u', 'u.user_id', 'r.user_id')
    .select([
      'u.user_id',
      'u.display_name',
      'u.job_title',
      'u.disabled_at',
      'u.created_at',
      'r.user_role_id',
      'r.role',
      'r.organisation_id',
      'r.team_id',
    ])
    .where('r.role', 'in', [...DIRECTORY_STAFF_ROLES])
    .where('r.organisation_id', 'is not', null)
    .where('u.person_id', 'is', null)
    .where('u.username', 'not like', 'client:%')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('user_role as s')
            .select('s.user_role_id')
            .whereRef('s.user_id', '=', 'u.user_id')
            .where('s.role', 'in', ['person', 'carer']),
        ),
      ),
    )
    .$if(userIds !== undefined, (q) => q.where('u.user_id', 'in', [...(userIds ?? [])]))
    .orderBy('u.display_name')
    .orderBy('u.user_id')
    .orderBy('r.user_role_id')
    .execute();
  const byUser = new Map<string, StaffAccount>();
  for (const r of rows) {
    let account = byUser.get(r.user_id);
    if (!account) {
      account = {
        userId: r.user_id,
        displayName: r.display_name,
        jobTitle: r.job_title,
        active: r.disabled_at === null,
        createdAt: r.created_at,
        roles: [],
      };
      byUser.set(r.user_id, account);
    }
    account.roles.push({
      userRoleId: r.user_role_id,
      role: r.role as DirectoryStaffRole,
      organisationId: r.organisation_id as string,
      teamId: r.team_id,
    });
  }
  return [...byUser.values()];
}
