import { type Kysely, sql } from 'kysely';
import { isServiceUserOnly } from '../../domain/roles.js';
import type { DB } from '../../store/schema.js';
import type { RecordScope } from '../record-access/person-access.js';
import { readUuidList } from './audit-chain.js';
import { AUDIT_OUTCOMES, type AuditOutcome } from './schema.js';

/**
 * The audit feature's reads of the trail (the appends are `AuditService.record`'s): the entries
 * about one person, for their access log, and the search for admins and team managers. One
 * mapping each from an audit_event row to what its reader is shown.
 */

/** Two entries by the same user, for the same action with the same outcome, this close together, are shown as one. */
export const REPEAT_WINDOW_SECONDS = 5;

const asOutcome = (value: string): AuditOutcome =>
  (AUDIT_OUTCOMES as readonly string[]).includes(value) ? (value as AuditOutcome) : 'failure';

const rolesOf = (actorRole: string | null): string[] => (actorRole ? actorRole.split(',') : []);

/** How a person's access log shows another member of the public. */
export const ANOTHER_PERSON = 'Another person using the service';

export interface AccessLogRow {
  auditId: string;
  occurredAt: Date;
  /** Null when no signed-in user did it (the service itself). Never the username. */
  who: { displayName: string; jobTitle: string | null; organisations: string[]; roles: string[] } | null;
  byThePerson: boolean;
  action: string;
  purpose: string | null;
  outcome: AuditOutcome;
}

export interface AccessLogPage {
  upTo?: string;
  offset: number;
  limit: number;
  includeOwn: boolean;
  /** Show a change (audited twice: the check, then the write) or a quick repeat once. */
  collapseRepeats: boolean;
}

/** Entries about the person, newest first, for their access log. */
export async function accessLogRows(
  db: Kysely<DB>,
  scope: RecordScope,
  page: AccessLogPage,
): Promise<AccessLogRow[]> {
  const { upTo, includeOwn } = page;
  const collapse = page.collapseRepeats;
  // In audit_id order, each entry beside the one before it (for this person), to spot repeats.
  const sequence = db
    .selectFrom('audit_event as e')
    .select([
      'e.audit_id',
      'e.occurred_at',
      'e.actor_user_id',
      'e.actor_role',
      'e.action',
      'e.purpose',
      'e.outcome',
      sql<boolean>`coalesce(
          lag(e.actor_user_id) over (order by e.audit_id) is not distinct from e.actor_user_id
          and lag(e.action) over (order by e.audit_id) = e.action
          and lag(e.outcome) over (order by e.audit_id) = e.outcome
          and e.occurred_at - lag(e.occurred_at) over (order by e.audit_id)
            < make_interval(secs => ${REPEAT_WINDOW_SECONDS}),
          false)`.as('repeat'),
    ])
    .where('e.person_id', '=', scope.personId)
    .$if(upTo !== undefined, (qb) => qb.where('e.audit_id', '<=', upTo as string));

  const rows = await db
    .selectFrom(sequence.as('t'))
    .leftJoin('user_account as u', 'u.user_id', 't.actor_user_id')
    .select([
      't.audit_id',
      't.occurred_at',
      't.actor_user_id',
      't.actor_role',
      't.action',
      't.purpose',
      't.outcome',
      'u.display_name',
      'u.job_title',
      sql<boolean>`coalesce(u.person_id = ${scope.personId}, false)`.as('by_the_person'),
      // A carer in the person's own circle, whom the person knows and named there.
      sql<boolean>`exists (
          select 1 from relationship rel
          where rel.person_id = ${scope.personId} and rel.carer_user_id = t.actor_user_id
        )`.as('in_circle'),
      sql<string[] | null>`(
          select array_agg(distinct o.name order by o.name)
          from user_role r join organisation o on o.organisation_id = r.organisation_id
          where r.user_id = t.actor_user_id
        )`.as('organisations'),
    ])
    .$if(collapse, (qb) => qb.where('t.repeat', '=', false))
    .$if(!includeOwn, (qb) =>
      qb.where((eb) => eb.or([eb('u.person_id', 'is', null), eb('u.person_id', '!=', scope.personId)])),
    )
    .orderBy('t.audit_id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();

  return rows.map((r) => ({
    auditId: String(r.audit_id),
    occurredAt: r.occurred_at,
    who: r.actor_user_id
      ? // Another member of the public (not the person, not a carer in their circle) is not named:
        // someone else's attempt to look must not tell the person who that someone was.
        !r.by_the_person && !r.in_circle && isServiceUserOnly(rolesOf(r.actor_role))
        ? { displayName: ANOTHER_PERSON, jobTitle: null, organisations: [], roles: rolesOf(r.actor_role) }
        : {
            displayName: r.display_name ?? 'A user who has since been removed',
            jobTitle: r.job_title,
            organisations: r.organisations ?? [],
            roles: rolesOf(r.actor_role),
          }
      : null,
    byThePerson: r.by_the_person,
    action: r.action,
    purpose: r.purpose,
    outcome: asOutcome(r.outcome),
  }));
}

export interface AuditSearchRow {
  auditId: string;
  occurredAt: Date;
  actor: { userId: string; username: string | null; displayName: string | null } | null;
  actorRole: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  personId: string | null;
  nhsNumber: string | null;
  /** Whether the entry is about a person, even one the reader may not know. */
  aboutAPerson: boolean;
  /** The person's name, where the reader may know who the entry is about. */
  personName: string | null;
  purpose: string | null;
  ip: string | null;
  outcome: AuditOutcome;
  listedPersonIds: string[] | null;
}

/** The action a search of the audit trail is recorded as. */
export const SEARCH_AUDIT_ACTION = 'search-audit';

export interface AuditSearchCriteria {
  /** Every entry, or only those by members of these teams (none: nothing). */
  madeBy: 'anyone' | { teamIds: string[] };
  personId?: string;
  username?: string;
  action?: string;
  outcome?: string;
  upTo?: string;
  /** From this instant, inclusive. */
  from?: Date;
  /** Before this instant. */
  before?: Date;
  offset: number;
  limit: number;
}

/** Entries matching the criteria, newest first. */
export async function searchRows(db: Kysely<DB>, f: AuditSearchCriteria): Promise<AuditSearchRow[]> {
  const managedTeams = f.madeBy === 'anyone' ? [] : f.madeBy.teamIds;
  const { personId } = f;
  const rows = await db
    .selectFrom('audit_event as e')
    .leftJoin('user_account as u', 'u.user_id', 'e.actor_user_id')
    .leftJoin('person as p', 'p.person_id', 'e.person_id')
    .select([
      'e.audit_id',
      'e.occurred_at',
      'e.actor_user_id',
      'e.actor_role',
      'e.action',
      'e.resource_type',
      'e.resource_id',
      'e.person_id',
      'e.purpose',
      'e.ip',
      'e.outcome',
      'e.listed_person_ids',
      'u.username',
      'u.display_name',
      'p.nhs_number',
      'p.given_name',
      'p.family_name',
      // For a team manager: whether the entry's person is in the care of a team they manage. Only
      // then may the manager learn who the person is.
      (f.madeBy === 'anyone' || managedTeams.length === 0
        ? sql<boolean>`${sql.lit(f.madeBy === 'anyone')}`
        : sql<boolean>`exists (
            select 1 from care_team_member m
            where m.person_id = e.person_id and m.end_date is null and m.team_id in (${sql.join(managedTeams)})
          )`
      ).as('person_in_scope'),
    ])
    .$if(f.madeBy !== 'anyone', (qb) =>
      qb.where((eb) =>
        managedTeams.length
          ? eb.exists(
              eb
                .selectFrom('user_role as r')
                .select('r.user_role_id')
                .whereRef('r.user_id', '=', 'e.actor_user_id')
                .where('r.team_id', 'in', managedTeams),
            )
          : sql<boolean>`false`,
      ),
    )
    // Entries about the person, and lists (caseload pages) that showed them (GIN index, 0008).
    .$if(personId !== undefined, (qb) =>
      qb.where(
        sql<boolean>`(e.person_id = ${personId} or e.listed_person_ids @> array[${personId}]::uuid[])`,
      ),
    )
    // A team manager's search for one person finds nothing about someone outside their teams' care.
    .$if(personId !== undefined && f.madeBy !== 'anyone', (qb) =>
      qb.where(
        managedTeams.length
          ? sql<boolean>`exists (
              select 1 from care_team_member m
              where m.person_id = ${personId} and m.end_date is null and m.team_id in (${sql.join(managedTeams)})
            )`
          : sql<boolean>`false`,
      ),
    )
    .$if(f.username !== undefined, (qb) => qb.where('u.username', '=', f.username as string))
    .$if(f.action !== undefined, (qb) => qb.where('e.action', '=', f.action as string))
    // Searches are audited: without this, every search would find the entries of the searches
    // before it. They are found by asking for them (the action "search-audit").
    .$if(f.action === undefined, (qb) => qb.where('e.action', '<>', SEARCH_AUDIT_ACTION))
    .$if(f.outcome !== undefined, (qb) => qb.where('e.outcome', '=', f.outcome as string))
    .$if(f.upTo !== undefined, (qb) => qb.where('e.audit_id', '<=', f.upTo as string))
    .$if(f.from !== undefined, (qb) => qb.where('e.occurred_at', '>=', f.from as Date))
    .$if(f.before !== undefined, (qb) => qb.where('e.occurred_at', '<', f.before as Date))
    .orderBy('e.audit_id', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return rows.map((r) => ({
    auditId: String(r.audit_id),
    occurredAt: r.occurred_at,
    actor: r.actor_user_id
      ? { userId: r.actor_user_id, username: r.username, displayName: r.display_name }
      : null,
    actorRole: r.actor_role,
    action: r.action,
    resourceType: r.resource_type,
    // Outside the reader's scope the entry keeps what was done and by whom, but not about whom.
    resourceId: r.person_in_scope || r.resource_id !== r.person_id ? r.resource_id : null,
    personId: r.person_in_scope ? r.person_id : null,
    nhsNumber: r.person_in_scope ? r.nhs_number : null,
    aboutAPerson: r.person_id !== null,
    personName:
      r.person_in_scope && r.given_name !== null ? `${r.given_name} ${r.family_name ?? ''}`.trim() : null,
    purpose: r.person_in_scope ? r.purpose : null,
    ip: r.ip,
    outcome: asOutcome(r.outcome),
    // Who a list showed: for administrators, whose search covers everyone.
    listedPersonIds: f.madeBy === 'anyone' ? readUuidList(r.listed_person_ids) : null,
  }));
}
