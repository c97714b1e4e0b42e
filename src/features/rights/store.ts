import { type Kysely, type Selectable, sql } from 'kysely';
import { fixedQuery } from '../../store/fixed-query.js';
import { PERSON_OWNED_TABLES, type PersonOwnedTable } from '../../store/person-owned-tables.js';
import type { DB } from '../../store/schema.js';
import { emptyAccounts } from '../auth/user-accounts.js';
import type { RecordScope } from '../record-access/person-access.js';
import type {
  ErasureRequest,
  ErasureStatus,
  ErasureSubject,
  ExportRow,
  RectificationRequest,
  RectificationStatus,
} from './schema.js';

/**
 * The rights feature's queries: requests to correct or erase a record, the rows an export copies
 * and erasure deletes, and the erasure record. Reads of one person's record take a RecordScope,
 * which only an access check (or a named system path) hands out.
 */

const REMOVED_USER = 'A user who has since been removed';

type RequestedBy = { requested_by: string | null; requester_person_id: string | null };

/** The one mapping of a rectification_request row (with who asked and who answered) to a request. */
export function rowToRectificationRequest(
  r: Selectable<DB['rectification_request']> & RequestedBy & { resolved_by: string | null },
): RectificationRequest {
  return {
    requestId: r.request_id,
    personId: r.person_id,
    whatIsWrong: r.what_is_wrong,
    whatItShouldSay: r.what_it_should_say,
    requestedBy: r.requested_by ?? REMOVED_USER,
    requestedByThePerson: r.requester_person_id === r.person_id,
    requestedAt: r.requested_at.toISOString(),
    status: r.status as RectificationStatus,
    response: r.response,
    resolvedBy: r.resolved_by,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
  };
}

/** The one mapping of an erasure_request row (with who asked and who decided) to a request. */
export function rowToErasureRequest(
  r: Selectable<DB['erasure_request']> & RequestedBy & { decided_by: string | null },
): ErasureRequest {
  return {
    requestId: r.request_id,
    personId: r.person_id,
    grounds: r.grounds,
    requestedBy: r.requested_by ?? REMOVED_USER,
    requestedByThePerson: r.requester_person_id === r.person_id,
    requestedAt: r.requested_at.toISOString(),
    status: r.status as ErasureStatus,
    decision: r.decision,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at?.toISOString() ?? null,
  };
}

function rectificationQuery(db: Kysely<DB>) {
  return db
    .selectFrom('rectification_request as r')
    .leftJoin('user_account as q', 'q.user_id', 'r.requested_by_user_id')
    .leftJoin('user_account as s', 's.user_id', 'r.resolved_by_user_id')
    .selectAll('r')
    .select([
      'q.display_name as requested_by',
      'q.person_id as requester_person_id',
      's.display_name as resolved_by',
    ]);
}

function erasureQuery(db: Kysely<DB>) {
  return db
    .selectFrom('erasure_request as r')
    .leftJoin('user_account as q', 'q.user_id', 'r.requested_by_user_id')
    .leftJoin('user_account as d', 'd.user_id', 'r.decided_by_user_id')
    .selectAll('r')
    .select([
      'q.display_name as requested_by',
      'q.person_id as requester_person_id',
      'd.display_name as decided_by',
    ]);
}

const rectificationRequestsQuery = fixedQuery((db, v: RecordScope) =>
  rectificationQuery(db).where('r.person_id', '=', v.personId).orderBy('r.requested_at', 'desc'),
);

const erasureRequestsQuery = fixedQuery((db, v: RecordScope) =>
  erasureQuery(db).where('r.person_id', '=', v.personId).orderBy('r.requested_at', 'desc'),
);

/** Requests to correct the record, newest first. */
export async function rectificationRequestsOf(
  db: Kysely<DB>,
  scope: RecordScope,
): Promise<RectificationRequest[]> {
  const rows = await rectificationRequestsQuery.rows(db, scope);
  return rows.map(rowToRectificationRequest);
}

/** Requests to erase the record, newest first. */
export async function erasureRequestsOf(db: Kysely<DB>, scope: RecordScope): Promise<ErasureRequest[]> {
  const rows = await erasureRequestsQuery.rows(db, scope);
  return rows.map(rowToErasureRequest);
}

/** One request to erase the record, whatever its status. */
export async function erasureRequestOf(
  db: Kysely<DB>,
  scope: RecordScope,
  requestId: string,
): Promise<ErasureRequest | null> {
  const row = await erasureQuery(db)
    .where('r.person_id', '=', scope.personId)
    .where('r.request_id', '=', requestId)
    .executeTakeFirst();
  return row ? rowToErasureRequest(row) : null;
}

/** Every person's requests waiting for a decision, oldest first: for the administrators' list. */
export async function openErasureRequests(db: Kysely<DB>): Promise<ErasureRequest[]> {
  const rows = await erasureQuery(db).where('r.status', '=', 'open').orderBy('r.requested_at').execute();
  return rows.map(rowToErasureRequest);
}

export async function insertRectificationRequest(
  db: Kysely<DB>,
  scope: RecordScope,
  request: { requestId: string; whatIsWrong: string; whatItShouldSay: string; requestedBy: string },
): Promise<void> {
  await db
    .insertInto('rectification_request')
    .values({
      person_id: scope.personId,
      request_id: request.requestId,
      what_is_wrong: request.whatIsWrong,
      what_it_should_say: request.whatItShouldSay,
      requested_by_user_id: request.requestedBy,
    })
    .execute();
}

/** The status of a request to correct or erase the record, locked until the transaction ends; null if none. */
export async function lockRequestStatus(
  trx: Kysely<DB>,
  table: 'rectification_request' | 'erasure_request',
  scope: RecordScope,
  requestId: string,
): Promise<string | null> {
  const row = await trx
    .selectFrom(table)
    .select('status')
    .where('person_id', '=', scope.personId)
    .where('request_id', '=', requestId)
    .forUpdate()
    .executeTakeFirst();
  return row?.status ?? null;
}

export async function resolveRectificationRequest(
  trx: Kysely<DB>,
  scope: RecordScope,
  requestId: string,
  answer: { status: RectificationStatus; response: string; resolvedBy: string },
): Promise<void> {
  await trx
    .updateTable('rectification_request')
    .set({
      status: answer.status,
      response: answer.response,
      resolved_by_user_id: answer.resolvedBy,
      resolved_at: new Date(),
    })
    .where('person_id', '=', scope.personId)
    .where('request_id', '=', requestId)
    .execute();
}

export async function hasOpenErasureRequest(trx: Kysely<DB>, scope: RecordScope): Promise<boolean> {
  const open = await trx
    .selectFrom('erasure_request')
    .select('request_id')
    .where('person_id', '=', scope.personId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Boolean(open);
}

export async function insertErasureRequest(
  trx: Kysely<DB>,
  scope: RecordScope,
  request: { requestId: string; grounds: string; requestedBy: string },
): Promise<void> {
  await trx
    .insertInto('erasure_request')
    .values({
      person_id: scope.personId,
      request_id: request.requestId,
      grounds: request.grounds,
      requested_by_user_id: request.requestedBy,
    })
    .execute();
}

/** Declines an open request; false when it was no longer open. */
export async function declineOpenErasureRequest(
  trx: Kysely<DB>,
  scope: RecordScope,
  requestId: string,
  decision: { reason: string; decidedBy: string },
): Promise<boolean> {
  const result = await trx
    .updateTable('erasure_request')
    .set({
      status: 'declined',
      decision: decision.reason,
      decided_by_user_id: decision.decidedBy,
      decided_at: new Date(),
    })
    .where('person_id', '=', scope.personId)
    .where('request_id', '=', requestId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

// ——— the whole record: export and erasure ———

/** Every row of one person-owned table about the person, as stored. */
export async function rowsOf(
  db: Kysely<DB>,
  scope: RecordScope,
  table: PersonOwnedTable,
): Promise<ExportRow[]> {
  const result =
    await sql<ExportRow>`select * from ${sql.table(table)} where person_id = ${scope.personId}`.execute(db);
  return result.rows;
}

/** How many rows of a table (person-owned, or the audit trail) are about the person. */
export async function countOf(
  db: Kysely<DB>,
  scope: RecordScope,
  table: PersonOwnedTable | 'audit_event',
): Promise<number> {
  const result = await sql<{
    n: string | number;
  }>`select count(*) as n from ${sql.table(table)} where person_id = ${scope.personId}`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

/** Whose record an erasure request is about: name, NHS number and date of birth. */
export async function erasureSubjectOf(db: Kysely<DB>, scope: RecordScope): Promise<ErasureSubject> {
  const person = await db
    .selectFrom('person')
    .select(['given_name', 'family_name', 'nhs_number', 'date_of_birth'])
    .where('person_id', '=', scope.personId)
    .executeTakeFirstOrThrow();
  return {
    name: `${person.given_name} ${person.family_name}`,
    nhsNumber: person.nhs_number,
    dateOfBirth: person.date_of_birth,
  };
}

/** Sign-ins linked to the person's record that erasing it removes (a carer's account is only unlinked). */
export async function linkedAccountsOf(db: Kysely<DB>, scope: RecordScope): Promise<number> {
  const linked = await db
    .selectFrom('user_account as u')
    .innerJoin('person as p', 'p.person_id', 'u.person_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('u.person_id', '=', scope.personId)
    .where('p.registered_as', '<>', 'carer')
    .executeTakeFirstOrThrow();
  return Number(linked.n);
}

/** The audit trail about the person, oldest first, with who did each thing by display name. */
export function auditTrailOf(db: Kysely<DB>, scope: RecordScope) {
  return db
    .selectFrom('audit_event as e')
    .leftJoin('user_account as u', 'u.user_id', 'e.actor_user_id')
    .select(['e.occurred_at', 'e.action', 'e.purpose', 'e.outcome', 'e.actor_user_id', 'u.display_name'])
    .where('e.person_id', '=', scope.personId)
    .orderBy('e.audit_id')
    .execute();
}

/** The ids found in an export's rows, by kind, to name. */
export interface IdsToName {
  users: string[];
  organisations: string[];
  teams: string[];
  outcomeDomains: string[];
  outcomeFrameworks: string[];
}

type Names = Record<keyof IdsToName, Record<string, string>>;

/** Names for ids: reference data (and users' display names), not about the person. */
export async function namesFor(db: Kysely<DB>, ids: IdsToName): Promise<Names> {
  const [users, organisations, teams, domains, frameworks] = await Promise.all([
    ids.users.length
      ? db
          .selectFrom('user_account')
          .select(['user_id as id', 'display_name as name'])
          .where('user_id', 'in', ids.users)
          .execute()
      : [],
    ids.organisations.length
      ? db
          .selectFrom('organisation')
          .select(['organisation_id as id', 'name'])
          .where('organisation_id', 'in', ids.organisations)
          .execute()
      : [],
    ids.teams.length
      ? db.selectFrom('team').select(['team_id as id', 'name']).where('team_id', 'in', ids.teams).execute()
      : [],
    ids.outcomeDomains.length
      ? db
          .selectFrom('outcome_domain')
          .select(['domain_id as id', 'name'])
          .where('domain_id', 'in', ids.outcomeDomains)
          .execute()
      : [],
    ids.outcomeFrameworks.length
      ? db
          .selectFrom('outcome_framework')
          .select(['framework_id as id', sql<string>`name || ', version ' || version`.as('name')])
          .where('framework_id', 'in', ids.outcomeFrameworks)
          .execute()
      : [],
  ]);
  const byId = (rows: { id: string; name: string }[]) => Object.fromEntries(rows.map((r) => [r.id, r.name]));
  return {
    users: byId(users),
    organisations: byId(organisations),
    teams: byId(teams),
    outcomeDomains: byId(domains),
    outcomeFrameworks: byId(frameworks),
  };
}

/** The person's name, for the heading of a page about one of their requests. */
export async function personNameOf(
  db: Kysely<DB>,
  scope: RecordScope,
): Promise<{ given_name: string; family_name: string; preferred_name: string | null } | undefined> {
  return db
    .selectFrom('person')
    .select(['given_name', 'family_name', 'preferred_name'])
    .where('person_id', '=', scope.personId)
    .executeTakeFirst();
}

/** Unlinks a carer's account from their erased record of their own; the account is not removed. */
async function unlinkCarerAccount(trx: Kysely<DB>, scope: RecordScope): Promise<{ userId: string }[]> {
  await trx
    .updateTable('user_account')
    .set({ person_id: null })
    .where('person_id', '=', scope.personId)
    .execute();
  return [];
}

/**
 * Deletes every person-owned row about the person, children first, removes their own sign-in and
 * writes the erasure record; in the caller's transaction, so a failure leaves everything in place.
 * Returns how many rows were deleted.
 */
export async function eraseRecord(
  trx: Kysely<DB>,
  scope: RecordScope,
  record: { requestedAt: Date; erasedAt: Date; erasedBy: string; grounds: string; kept: string },
): Promise<{ rowsDeleted: number; accountIds: string[] }> {
  // A carer's own record as a carer (migration 0012) belongs to an account that is a carer's first:
  // erasing the record unlinks that account and leaves it, with the people it cares for.
  const whose = await trx
    .selectFrom('person')
    .select('registered_as')
    .where('person_id', '=', scope.personId)
    .executeTakeFirst();
  let rowsDeleted = 0;
  for (const table of PERSON_OWNED_TABLES) {
    const result = await sql`delete from ${sql.table(table)} where person_id = ${scope.personId}`.execute(
      trx,
    );
    rowsDeleted += Number(result.numAffectedRows ?? 0);
  }
  // The person's own sign-in goes too: removed as `whatmatters user remove` removes an account.
  const accounts =
    whose?.registered_as === 'carer'
      ? await unlinkCarerAccount(trx, scope)
      : await emptyAccounts(trx, { personId: scope.personId });
  await trx
    .insertInto('erasure_record')
    .values({
      person_id: scope.personId,
      requested_at: record.requestedAt,
      erased_at: record.erasedAt,
      erased_by_user_id: record.erasedBy,
      grounds: record.grounds,
      kept: record.kept,
    })
    .execute();
  return { rowsDeleted, accountIds: accounts.map((a) => a.userId) };
}
