import type { Kysely } from 'kysely';
import { isLeadState, type LeadState } from '../../domain/lead-team.js';
import type { DB } from '../../store/schema.js';
import type { RecordScope } from '../record-access/person-access.js';
import type { LeadTeam, RecordNeedingTeam, TeamChoice } from './schema.js';

/** The lead-team queries: the team responsible for a record, and the records needing one. */

interface LeadRow {
  lead_team_id: string | null;
  team_name: string | null;
  organisation_id: string | null;
  organisation_name: string | null;
  lead_state: string;
  lead_state_reason: string | null;
  changed_by: string | null;
  lead_state_since: Date;
}

function rowToLeadTeam(r: LeadRow): LeadTeam {
  return {
    teamId: r.lead_team_id,
    teamName: r.team_name,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    state: isLeadState(r.lead_state) ? r.lead_state : 'needs-team',
    reason: r.lead_state_reason,
    changedBy: r.changed_by,
    since: r.lead_state_since.toISOString(),
  };
}

function leadQuery(db: Kysely<DB>) {
  return db
    .selectFrom('person as p')
    .leftJoin('team as t', 't.team_id', 'p.lead_team_id')
    .leftJoin('organisation as o', 'o.organisation_id', 't.organisation_id')
    .leftJoin('user_account as u', 'u.user_id', 'p.lead_state_by_user_id')
    .select([
      'p.person_id',
      'p.given_name',
      'p.family_name',
      'p.preferred_name',
      'p.lead_team_id',
      't.name as team_name',
      't.organisation_id',
      'o.name as organisation_name',
      'p.lead_state',
      'p.lead_state_reason',
      'u.display_name as changed_by',
      'p.lead_state_since',
    ]);
}

const nameOf = (r: { given_name: string; family_name: string; preferred_name: string | null }) =>
  `${r.preferred_name || r.given_name} ${r.family_name}`;

/** The lead team of one record, with the person's name; null when there is no such person. */
export async function leadTeamOf(
  db: Kysely<DB>,
  scope: RecordScope,
): Promise<{ personName: string; lead: LeadTeam } | null> {
  const row = await leadQuery(db).where('p.person_id', '=', scope.personId).executeTakeFirst();
  return row ? { personName: nameOf(row), lead: rowToLeadTeam(row) } : null;
}

/**
 * Records whose lead team is not simply responsible, oldest first: those of some teams, or all
 * (`teamIds` null, for administrators, with records that never had a lead team). Read from the
 * partial index of such records (migration 0010).
 */
export async function recordsNeedingTeam(
  db: Kysely<DB>,
  teamIds: string[] | null,
  limit: number,
): Promise<RecordNeedingTeam[]> {
  if (teamIds !== null && teamIds.length === 0) return [];
  let query = leadQuery(db)
    .where('p.lead_state', '<>', 'responsible')
    // A carer's own record is held by the carer alone (migration 0012): no team is meant to have it.
    .where('p.registered_as', '=', 'person');
  if (teamIds !== null) query = query.where('p.lead_team_id', 'in', teamIds);
  const rows = await query.orderBy('p.lead_state_since').orderBy('p.person_id').limit(limit).execute();
  return rows.map((r) => ({ personId: r.person_id, personName: nameOf(r), lead: rowToLeadTeam(r) }));
}

/**
 * Every team that could be responsible for someone's care, with its organisation, in the order
 * people look for them: commissioners' teams buy care rather than give it, so they are not listed.
 */
export async function teamChoices(db: Kysely<DB>): Promise<TeamChoice[]> {
  const rows = await db
    .selectFrom('team as t')
    .innerJoin('organisation as o', 'o.organisation_id', 't.organisation_id')
    .select(['t.team_id', 't.name as team_name', 'o.organisation_id', 'o.name as organisation_name'])
    .where('o.kind', '<>', 'commissioner')
    .orderBy('o.name')
    .orderBy('t.name')
    .execute();
  return rows.map((r) => ({
    teamId: r.team_id,
    teamName: r.team_name,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
  }));
}

/** Makes a team responsible for the record, or changes only the state, saying why and who. */
export async function setLead(
  db: Kysely<DB>,
  scope: RecordScope,
  change: { teamId?: string; state: LeadState; reason: string | null; byUserId: string },
): Promise<void> {
  await db
    .updateTable('person')
    .set({
      ...(change.teamId ? { lead_team_id: change.teamId } : {}),
      lead_state: change.state,
      lead_state_reason: change.reason,
      lead_state_by_user_id: change.byUserId,
      lead_state_since: new Date(),
    })
    .where('person_id', '=', scope.personId)
    .execute();
}

/** Whether the team is in the person's current care team, and the kind of support its lead gives. */
export async function careTeamFacts(
  db: Kysely<DB>,
  scope: RecordScope,
  teamId: string,
  previousLeadTeamId: string | null,
): Promise<{ isMember: boolean; supportKind: string }> {
  const rows = await db
    .selectFrom('care_team_member')
    .select(['team_id', 'support_kind'])
    .where('person_id', '=', scope.personId)
    .where('end_date', 'is', null)
    .where('team_id', 'in', previousLeadTeamId ? [teamId, previousLeadTeamId] : [teamId])
    .execute();
  return {
    isMember: rows.some((r) => r.team_id === teamId),
    supportKind:
      rows.find((r) => r.team_id === teamId)?.support_kind ??
      rows.find((r) => r.team_id === previousLeadTeamId)?.support_kind ??
      'other',
  };
}

/**
 * Organisations the person themselves asked to stop seeing their record, with no basis in force
 * since: no team there is made responsible for the record until the person consents again.
 */
export async function organisationsWithdrawnByThePerson(
  db: Kysely<DB>,
  scope: RecordScope,
): Promise<string[]> {
  const rows = await db
    .selectFrom('sharing_basis as b')
    .innerJoin('user_account as u', 'u.user_id', 'b.withdrawn_by_user_id')
    .select('b.organisation_id')
    .distinct()
    .where('b.person_id', '=', scope.personId)
    .whereRef('u.person_id', '=', 'b.person_id')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('sharing_basis as f')
            .select('f.basis_id')
            .whereRef('f.person_id', '=', 'b.person_id')
            .whereRef('f.organisation_id', '=', 'b.organisation_id')
            .where('f.withdrawn_at', 'is', null),
        ),
      ),
    )
    .execute();
  return rows.map((r) => r.organisation_id);
}
