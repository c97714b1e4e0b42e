import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Actor } from '../../domain/actor.js';
import type { ConversationKind } from '../../domain/conversations.js';
import { normaliseNhsNumber } from '../../domain/nhs-number.js';
import { type ReviewStatus, reviewStatus } from '../../domain/review-status.js';
import { foldForSearch } from '../../domain/search-text.js';
import { byPerson, personIdsOf } from '../../store/by-person.js';
import { fixedQuery, perShape } from '../../store/fixed-query.js';
import type { DB, PersonTable, RelationshipTable } from '../../store/schema.js';
import {
  type CareStaffIds,
  carerLinks,
  careStaffIds,
  careTeamMemberships,
  type RecordScope,
} from '../record-access/person-access.js';
import type {
  CareTeamMember,
  Caseload,
  CaseloadFiltersInput,
  ConversationSummary,
  PersonDetails,
  RelationshipEntry,
  TeamCaseload,
  TeamCaseloadFiltersInput,
} from './schema.js';

/** The people feature's queries, and one row mapper for each of its tables. */

export const PAGE_SIZE = 25;

/** A review within this many days is "due soon" (the default of `reviewStatus`). */
const DUE_SOON_DAYS = 14;

/** What to call the person: their preferred name if they gave one. */
export const displayName = (p: { given_name: string; family_name: string; preferred_name?: string | null }) =>
  `${p.preferred_name || p.given_name} ${p.family_name}`;

/** Escapes LIKE wildcards so a search for "100%" means that text. */
/** What was typed as a LIKE pattern over `person.search_name`: folded as the names are, wildcards escaped. */
const likePattern = (text: string) => `%${foldForSearch(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function rowToPerson(row: Selectable<PersonTable>): PersonDetails {
  return {
    personId: row.person_id,
    givenName: row.given_name,
    familyName: row.family_name,
    preferredName: row.preferred_name,
    name: displayName(row),
    nhsNumber: row.nhs_number,
    dateOfBirth: row.date_of_birth,
    sex: row.sex,
    gender: row.gender,
    ethnicCategory: row.ethnic_category,
    postcode: row.postcode,
    address: row.address,
    phone: row.phone,
    email: row.email,
    preferredContactMethod: row.preferred_contact_method,
    communicationNeeds: row.communication_needs,
  };
}

export function rowToRelationship(r: Selectable<RelationshipTable>): RelationshipEntry {
  return {
    relationshipId: r.relationship_id,
    name: r.name,
    relationshipType: r.relationship_type,
    isCarer: r.is_carer,
    contact: r.contact,
    hasAccount: r.carer_user_id !== null,
    mayView: r.may_view,
    mayContribute: r.may_contribute,
  };
}

/** A person's details with the version FHIR shows (migration 0029). */
export type VersionedPerson = PersonDetails & { versionId: number; lastUpdated: Date };

export const rowToVersionedPerson = (row: Selectable<PersonTable>): VersionedPerson => ({
  ...rowToPerson(row),
  versionId: row.version_id,
  lastUpdated: row.last_updated,
});

/** Many people's details with their versions, by person, in one query (none for no scopes). */
export async function versionedPeopleOf(
  db: Kysely<DB>,
  scopes: readonly RecordScope[],
): Promise<Map<string, VersionedPerson>> {
  if (scopes.length === 0) return new Map();
  const rows = await db
    .selectFrom('person')
    .selectAll()
    .where('person_id', 'in', personIdsOf(scopes))
    .execute();
  return new Map(rows.map((r) => [r.person_id, rowToVersionedPerson(r)]));
}

/** The person's details with the version FHIR shows; undefined when there is no such person. */
export async function versionedPersonOf(
  db: Kysely<DB>,
  scope: RecordScope,
): Promise<VersionedPerson | undefined> {
  return (await versionedPeopleOf(db, [scope])).get(scope.personId);
}

export async function personOf(db: Kysely<DB>, scope: RecordScope): Promise<PersonDetails | undefined> {
  const row = await db
    .selectFrom('person')
    .selectAll()
    .where('person_id', '=', scope.personId)
    .executeTakeFirst();
  return row && rowToPerson(row);
}

const CARE_TEAM_COLUMNS = [
  'm.member_id',
  'm.organisation_id',
  'o.name as organisation_name',
  'o.kind as organisation_kind',
  'm.team_id',
  't.name as team_name',
  'm.user_id',
  'u.display_name as user_name',
  'm.support_kind',
  'm.role_description',
  'm.is_key_worker',
  'm.start_date',
] as const;

function rowToCareTeamMember(r: {
  member_id: string;
  organisation_id: string;
  organisation_name: string;
  organisation_kind: string;
  team_id: string | null;
  team_name: string | null;
  user_id: string | null;
  user_name: string | null;
  support_kind: string;
  role_description: string;
  is_key_worker: boolean;
  start_date: string;
}): CareTeamMember {
  return {
    memberId: r.member_id,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    organisationKind: r.organisation_kind,
    teamId: r.team_id,
    teamName: r.team_name,
    userId: r.user_id,
    userName: r.user_name,
    supportKind: r.support_kind,
    roleDescription: r.role_description,
    isKeyWorker: r.is_key_worker,
    startDate: r.start_date,
  };
}

/** Many people's current care teams, by person, in one query: each key workers first, then by organisation. */
export async function careTeamsOf(
  db: Kysely<DB>,
  scopes: readonly RecordScope[],
): Promise<Map<string, CareTeamMember[]>> {
  if (scopes.length === 0) return new Map();
  const rows = await db
    .selectFrom('care_team_member as m')
    .innerJoin('organisation as o', 'o.organisation_id', 'm.organisation_id')
    .leftJoin('team as t', 't.team_id', 'm.team_id')
    .leftJoin('user_account as u', 'u.user_id', 'm.user_id')
    .select(['m.person_id', ...CARE_TEAM_COLUMNS])
    .where('m.person_id', 'in', personIdsOf(scopes))
    .where('m.end_date', 'is', null)
    .orderBy('m.is_key_worker', 'desc')
    .orderBy('o.name')
    .orderBy('m.member_id')
    .execute();
  return byPerson(rows, (r) => r.person_id, rowToCareTeamMember);
}

/** The person's current care team: key workers first, then by organisation. */
export async function careTeamOf(db: Kysely<DB>, scope: RecordScope): Promise<CareTeamMember[]> {
  return (await careTeamsOf(db, [scope])).get(scope.personId) ?? [];
}

/** The people important to the person: carers first, then by name. */
export async function relationshipsOf(db: Kysely<DB>, scope: RecordScope): Promise<RelationshipEntry[]> {
  const rows = await db
    .selectFrom('relationship')
    .selectAll()
    .where('person_id', '=', scope.personId)
    .orderBy('is_carer', 'desc')
    .orderBy('name')
    .orderBy('relationship_id')
    .execute();
  return rows.map(rowToRelationship);
}

/** What a record shows of the person: details, care team, circle and conversations. */
export interface PersonParts {
  person: PersonDetails;
  careTeam: CareTeamMember[];
  circle: RelationshipEntry[];
  conversations: ConversationSummary[];
}

/** A row of a JSON subquery: timestamps come back as ISO text, calendar dates as text as ever. */
type FromJson<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };

/**
 * The person's details, current care team (key workers first, then by organisation), the people
 * important to them (carers first, then by name) and their conversations (newest first, each with
 * who took part), in one statement: the rows of the other tables come as JSON arrays beside the
 * person's row. Undefined when there is no such person.
 */
const personPartsQuery = fixedQuery((db, v: { personId: string }) =>
  db
    .selectFrom('person as p')
    .selectAll('p')
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('care_team_member as m')
          .innerJoin('organisation as o', 'o.organisation_id', 'm.organisation_id')
          .leftJoin('team as t', 't.team_id', 'm.team_id')
          .leftJoin('user_account as u', 'u.user_id', 'm.user_id')
          .select(CARE_TEAM_COLUMNS)
          .whereRef('m.person_id', '=', 'p.person_id')
          .where('m.end_date', 'is', null)
          .orderBy('m.is_key_worker', 'desc')
          .orderBy('o.name')
          .orderBy('m.member_id'),
      ).as('care_team'),
      jsonArrayFrom(
        eb
          .selectFrom('relationship as r')
          .selectAll('r')
          .whereRef('r.person_id', '=', 'p.person_id')
          .orderBy('r.is_carer', 'desc')
          .orderBy('r.name')
          .orderBy('r.relationship_id'),
      ).as('circle'),
      jsonArrayFrom(
        eb
          .selectFrom('conversation as c')
          .innerJoin('user_account as u', 'u.user_id', 'c.recorded_by_user_id')
          .select([
            'c.conversation_id',
            'c.kind',
            'c.held_on',
            'c.summary',
            'c.what_helped',
            'c.what_got_in_the_way',
            'c.next_review_date',
            'u.display_name',
          ])
          .select((conversation) =>
            jsonArrayFrom(
              conversation
                .selectFrom('conversation_participant as cp')
                .leftJoin('organisation as o', 'o.organisation_id', 'cp.organisation_id')
                .select(['cp.kind', 'cp.name', 'cp.role', 'o.name as organisation_name'])
                .whereRef('cp.person_id', '=', 'c.person_id')
                .whereRef('cp.conversation_id', '=', 'c.conversation_id')
                // In the order they were recorded (the order a scan of the person's rows gives, as
                // the record has always shown them): the table keeps no position of its own.
                .orderBy(sql`cp.ctid`),
            ).as('participants'),
          )
          .whereRef('c.person_id', '=', 'p.person_id')
          .orderBy('c.held_on', 'desc')
          .orderBy('c.recorded_at', 'desc'),
      ).as('conversations'),
    ])
    .where('p.person_id', '=', v.personId),
);

export async function personPartsOf(db: Kysely<DB>, scope: RecordScope): Promise<PersonParts | undefined> {
  const row = await personPartsQuery.first(db, { personId: scope.personId });
  if (!row) return undefined;
  const circle = row.circle as FromJson<(typeof row.circle)[number]>[];
  return {
    person: rowToPerson(row),
    careTeam: row.care_team.map(rowToCareTeamMember),
    circle: circle.map((r) =>
      rowToRelationship({ ...r, created_at: new Date(r.created_at), last_updated: new Date(r.last_updated) }),
    ),
    conversations: row.conversations.map((c) => ({
      conversationId: c.conversation_id,
      kind: c.kind as ConversationKind,
      heldOn: c.held_on,
      summary: c.summary,
      whatHelped: c.what_helped,
      whatGotInTheWay: c.what_got_in_the_way,
      nextReviewDate: c.next_review_date,
      recordedBy: c.display_name,
      participants: c.participants.map((p) => ({
        kind: p.kind,
        name: p.name,
        role: p.role,
        organisationName: p.organisation_name,
      })),
    })),
  };
}

/** The values a caseload query takes. */
type CaseloadQueryValues = CareStaffIds & {
  /** A LIKE pattern matched against the folded names (`person.search_name`, domain/search-text.ts). */
  namePattern: string;
  /** An NHS number (the search text as one, when it reads as one). */
  nhsNumber: string | null;
  /** Only people whose next review falls before this date. */
  reviewBefore: string;
  /** The day measures are overdue against. */
  today: string;
  limit: number;
  offset: number;
};

/** Which filters a caseload query applies: each combination is a query of its own fixed shape. */
interface CaseloadShape {
  search: boolean;
  overdueOnly: boolean;
  noPlanOnly: boolean;
  measureOverdueOnly: boolean;
}

/** What a caseload row shows of each person, from the person's row. */
const CASELOAD_PERSON_COLUMNS = [
  'p.person_id',
  'p.given_name',
  'p.family_name',
  'p.preferred_name',
  'p.nhs_number',
  'p.date_of_birth',
  'p.latest_held_on as last_held_on',
  'p.plan_version',
] as const;

/**
 * Whether the person (`p`) has a requested standard measure overdue on `today`, as
 * domain/measures/measure-requests.ts decides it (`effectiveDueOn`, `measureDueStatus`): an open
 * request past its own date, or an open review request (which has no date of its own) whose review
 * — the person's next review, when on or after the request's `not_before` — has passed.
 *
 * A correlated EXISTS, probed once per person the caseload's memberships yield, on the partial
 * index of open requests (`measure_request_open_idx`: person_id, due_on where status = 'open',
 * migration 0021): never a scan of the requests of the whole population (1–3 million people), and
 * on the person's own shard under Citus (both tables are distributed by person_id).
 */
function measureOverdue(today: string) {
  const nextReview = sql`coalesce(p.latest_next_review_date, p.plan_review_date)`;
  return sql<boolean>`exists (
    select 1 from measure_request r
    where r.person_id = p.person_id
      and r.status = 'open'
      and (
        r.due_on < ${today}
        or (
          r.due_on is null and r.occasion = 'review'
          and ${nextReview} < ${today}
          and (r.not_before is null or ${nextReview} >= r.not_before)
        )
      )
  )`;
}

/**
 * One page of a caseload and the total, in one statement. Each combination of filters is its own
 * query, built and compiled once: a filter written as "value is null or …" would let one plan serve
 * every combination, but PostgreSQL plans such a query for the worst case and read the whole
 * population to answer it.
 */
function caseloadQuery(shape: CaseloadShape, teams: number) {
  return fixedQuery((db, v: CaseloadQueryValues) => {
    // The next review is the one set at the last conversation, else the plan's planned date. Both
    // are kept on the person's row (migration 0006), so each person is one row read.
    const nextReview = sql<string | null>`coalesce(p.latest_next_review_date, p.plan_review_date)`;
    return (
      db
        // Driven from the actor's memberships (their indexes), never from a scan of everyone.
        .selectFrom(careTeamMemberships(db, v, teams).select('m.person_id').distinct().as('mine'))
        .innerJoin('person as p', 'p.person_id', 'mine.person_id')
        .$if(shape.search, (q) =>
          q.where((eb) =>
            eb.or([eb('p.search_name', 'like', v.namePattern), eb('p.nhs_number', '=', v.nhsNumber)]),
          ),
        )
        .$if(shape.overdueOnly, (q) => q.where(nextReview, '<', v.reviewBefore))
        .$if(shape.noPlanOnly, (q) => q.where('p.plan_version', 'is', null))
        .$if(shape.measureOverdueOnly, (q) => q.where(measureOverdue(v.today)))
        .select([
          ...CASELOAD_PERSON_COLUMNS,
          nextReview.as('next_review_date'),
          // The count of every match, before the page is cut: no second query for the total.
          sql<string>`count(*) over ()`.as('total'),
        ])
        .orderBy(sql`${nextReview} asc nulls last`)
        .orderBy('p.family_name')
        .orderBy('p.given_name')
        .orderBy('p.person_id')
        .limit(v.limit)
        .offset(v.offset)
    );
  });
}

const caseloadQueryFor = perShape(caseloadQuery);

/**
 * One page of the actor's caseload and the total: the people whose record the actor sees as part
 * of the care team (the same memberships `PersonAccess` opens a record by), filtered and ordered in
 * SQL, soonest review first.
 */
export async function caseloadPage(
  db: Kysely<DB>,
  actor: Actor,
  filters: CaseloadFiltersInput,
): Promise<Caseload> {
  const page = filters.page ?? 1;
  const search = filters.search?.trim().toLowerCase() ?? '';
  const { ids, teams } = careStaffIds(actor);
  const query = caseloadQueryFor(
    {
      search: search !== '',
      overdueOnly: filters.overdueOnly ?? false,
      noPlanOnly: filters.noPlanOnly ?? false,
      measureOverdueOnly: filters.measureOverdueOnly ?? false,
    },
    teams,
  );
  const values: CaseloadQueryValues = {
    ...ids,
    namePattern: likePattern(search),
    nhsNumber: normaliseNhsNumber(search),
    reviewBefore: filters.today,
    today: filters.today,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const rows = await query.rows(db, values);
  // Past the last page there is no row to carry the total: only then read the first row for it.
  const total =
    rows.length > 0
      ? Number(rows[0]?.total)
      : page === 1
        ? 0
        : Number((await query.first(db, { ...values, limit: 1, offset: 0 }))?.total ?? 0);
  return {
    page,
    pageSize: PAGE_SIZE,
    total,
    entries: rows.map((r) => ({
      personId: r.person_id,
      name: displayName(r),
      nhsNumber: r.nhs_number,
      dateOfBirth: r.date_of_birth,
      nextReviewDate: r.next_review_date,
      reviewStatus: reviewStatus(r.next_review_date, filters.today),
      hasPlan: r.plan_version !== null,
      lastConversationOn: r.last_held_on,
    })),
  };
}

/** The deprivation decile of a postcode sector, when the area table knows it. */
export async function deprivationDecileOf(db: Kysely<DB>, sector: string): Promise<number | null> {
  const row = await db
    .selectFrom('area_deprivation')
    .select('deprivation_decile')
    .where('postcode_sector', '=', sector)
    .executeTakeFirst();
  return row?.deprivation_decile ?? null;
}

export async function insertPerson(
  db: Kysely<DB>,
  person: Omit<PersonDetails, 'name' | 'address'> & { deprivationDecile: number | null },
): Promise<void> {
  if (person.nhsNumber) {
    await db
      .insertInto('person_nhs_number')
      .values({ nhs_number: person.nhsNumber, person_id: person.personId })
      .execute();
  }
  await db
    .insertInto('person')
    .values({
      person_id: person.personId,
      nhs_number: person.nhsNumber,
      given_name: person.givenName,
      family_name: person.familyName,
      preferred_name: person.preferredName,
      date_of_birth: person.dateOfBirth,
      sex: person.sex,
      gender: person.gender,
      ethnic_category: person.ethnicCategory,
      postcode: person.postcode,
      deprivation_decile: person.deprivationDecile,
      phone: person.phone,
      email: person.email,
      preferred_contact_method: person.preferredContactMethod,
      communication_needs: person.communicationNeeds,
    })
    .execute();
}

/** Sets the contact fields given; a field left undefined keeps its value. */
export async function updateContact(
  db: Kysely<DB>,
  scope: RecordScope,
  changes: Partial<
    Record<
      'preferredName' | 'phone' | 'email' | 'preferredContactMethod' | 'communicationNeeds' | 'address',
      string | null
    >
  >,
): Promise<void> {
  await db
    .updateTable('person')
    .set({
      preferred_name: changes.preferredName,
      phone: changes.phone,
      email: changes.email,
      preferred_contact_method: changes.preferredContactMethod,
      communication_needs: changes.communicationNeeds,
      address: changes.address,
      updated_at: new Date(),
    })
    .where('person_id', '=', scope.personId)
    .execute();
}

/** Whether an organisation exists, a team belongs to it and a user works for it, in one query. */
export async function placementFacts(
  db: Kysely<DB>,
  placement: { organisationId: string; teamId?: string | null; userId?: string | null },
): Promise<{ organisation: boolean; team: boolean; user: boolean }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .exists(
          eb
            .selectFrom('organisation')
            .select('organisation_id')
            .where('organisation_id', '=', placement.organisationId),
        )
        .as('organisation'),
      eb
        .exists(
          eb
            .selectFrom('team')
            .select('team_id')
            .where('team_id', '=', placement.teamId ?? null)
            .where('organisation_id', '=', placement.organisationId),
        )
        .as('team'),
      eb
        .exists(
          eb
            .selectFrom('user_role')
            .select('user_id')
            .where('user_id', '=', placement.userId ?? null)
            .where('organisation_id', '=', placement.organisationId),
        )
        .as('user'),
    ])
    .executeTakeFirstOrThrow();
  return { organisation: Boolean(row.organisation), team: Boolean(row.team), user: Boolean(row.user) };
}

/** A carer's account by username, or null when there is no carer with it. */
export async function carerUserIdByUsername(db: Kysely<DB>, username: string): Promise<string | null> {
  const row = await db
    .selectFrom('user_account as u')
    .innerJoin('user_role as r', 'r.user_id', 'u.user_id')
    .select('u.user_id')
    .where('u.username', '=', username)
    .where('r.role', '=', 'carer')
    .executeTakeFirst();
  return row?.user_id ?? null;
}

export async function insertRelationship(
  db: Kysely<DB>,
  scope: RecordScope,
  relationship: {
    relationshipId: string;
    name: string;
    relationshipType: string;
    isCarer: boolean;
    contact: string | null;
    carerUserId: string | null;
  },
): Promise<void> {
  await db
    .insertInto('relationship')
    .values(relationshipRow({ personId: scope.personId, ...relationship }))
    .execute();
}

/** Someone in a person's circle, as a row: the one mapping adding, importing and the demo write. */
export interface RelationshipToWrite {
  personId: string;
  relationshipId: string;
  name: string;
  relationshipType: string;
  isCarer: boolean;
  contact: string | null;
  /** The carer's account, when they have one. */
  carerUserId?: string | null;
  /** What the person lets them do (absent: nothing, the columns' defaults). */
  mayView?: boolean;
  mayContribute?: boolean;
  /** Absent: now. */
  createdAt?: string;
}

export function relationshipRow(r: RelationshipToWrite): Insertable<RelationshipTable> {
  return {
    person_id: r.personId,
    relationship_id: r.relationshipId,
    name: r.name,
    relationship_type: r.relationshipType,
    is_carer: r.isCarer,
    contact: r.contact,
    carer_user_id: r.carerUserId ?? null,
    ...(r.mayView !== undefined ? { may_view: r.mayView } : {}),
    ...(r.mayContribute !== undefined ? { may_contribute: r.mayContribute } : {}),
    ...(r.createdAt ? { created_at: r.createdAt } : {}),
  };
}

/** Sets what a carer may do; false when the person has no one in their circle with that id. */
export async function setCarerAuthorisation(
  db: Kysely<DB>,
  scope: RecordScope,
  relationshipId: string,
  authorisation: { mayView: boolean; mayContribute: boolean },
): Promise<boolean> {
  const result = await db
    .updateTable('relationship')
    .set({ may_view: authorisation.mayView, may_contribute: authorisation.mayContribute })
    .where('person_id', '=', scope.personId)
    .where('relationship_id', '=', relationshipId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The people who have let this carer see their record, by name. */
export async function peopleCaredForBy(db: Kysely<DB>, carerUserId: string) {
  const rows = await db
    .selectFrom(carerLinks(db, carerUserId).as('r'))
    .innerJoin('person as p', 'p.person_id', 'r.person_id')
    .select([
      'r.person_id',
      'r.relationship_type',
      'r.may_contribute',
      'p.given_name',
      'p.family_name',
      'p.preferred_name',
    ])
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .execute();
  return rows.map((r) => ({
    personId: r.person_id,
    name: displayName(r),
    relationshipType: r.relationship_type,
    mayContribute: r.may_contribute,
  }));
}

// ---------------------------------------------------------------------------------------------
// A team manager's view: their teams' caseload with each person's named worker, and reallocation.

/** The teams a query is about, as separate values (`team0`, `team1`, …): one fixed shape per count. */
type TeamIds = Record<`team${number}`, string>;

export function teamIdsAsValues(teamIds: readonly string[]): TeamIds {
  const ids = {} as TeamIds;
  teamIds.forEach((teamId, i) => {
    ids[`team${i}`] = teamId;
  });
  return ids;
}

const teamSlots = (v: TeamIds, teams: number) =>
  Array.from({ length: teams }, (_, i) => v[`team${i}`] as string);

/**
 * The teams' current memberships that a sharing basis in force covers: the same rule by which a
 * team member sees a record (`careTeamMemberships`), driven from the partial index on `team_id`.
 */
function teamMemberships(db: Kysely<DB>, v: TeamIds, teams: number) {
  return db
    .selectFrom('care_team_member as m')
    .innerJoin('sharing_basis as b', (join) =>
      join
        .onRef('b.person_id', '=', 'm.person_id')
        .onRef('b.organisation_id', '=', 'm.organisation_id')
        .on('b.withdrawn_at', 'is', null),
    )
    .where('m.end_date', 'is', null)
    .where('m.team_id', 'in', teamSlots(v, teams));
}

type TeamCaseloadQueryValues = TeamIds & {
  namePattern: string;
  nhsNumber: string | null;
  workerId: string;
  today: string;
  dueSoonUntil: string;
  limit: number;
  offset: number;
};

interface TeamCaseloadShape {
  search: boolean;
  worker: 'any' | 'user' | 'none';
  review: ReviewStatus | 'any';
  noPlanOnly: boolean;
  measureOverdueOnly: boolean;
}

/**
 * One page of the teams' caseload and the total, in one statement: the teams' memberships grouped
 * by person (each person once, with the names of the team's workers named for them), then the
 * person's row for the filters and the order. No query per row: the worker names come from the
 * same grouping. As for `caseloadQuery`, each combination of filters is a query of its own.
 */
function teamCaseloadQuery(shape: TeamCaseloadShape, teams: number) {
  return fixedQuery((db, v: TeamCaseloadQueryValues) => {
    const nextReview = sql<string | null>`coalesce(p.latest_next_review_date, p.plan_review_date)`;
    const perPerson = teamMemberships(db, v, teams)
      .leftJoin('user_account as u', 'u.user_id', 'm.user_id')
      .$if(shape.worker === 'user', (q) => q.where('m.user_id', '=', v.workerId))
      .select([
        'm.person_id',
        sql<string[] | null>`array_agg(distinct u.display_name) filter (where m.user_id is not null)`.as(
          'workers',
        ),
      ])
      .groupBy('m.person_id')
      .$if(shape.worker === 'none', (q) => q.having(sql`count(m.user_id)`, '=', sql.lit(0)));
    return db
      .selectFrom(perPerson.as('mine'))
      .innerJoin('person as p', 'p.person_id', 'mine.person_id')
      .$if(shape.search, (q) =>
        q.where((eb) =>
          eb.or([eb('p.search_name', 'like', v.namePattern), eb('p.nhs_number', '=', v.nhsNumber)]),
        ),
      )
      .$if(shape.review === 'overdue', (q) => q.where(nextReview, '<', v.today))
      .$if(shape.review === 'due-soon', (q) =>
        q.where(nextReview, '>=', v.today).where(nextReview, '<=', v.dueSoonUntil),
      )
      .$if(shape.review === 'scheduled', (q) => q.where(nextReview, '>', v.dueSoonUntil))
      .$if(shape.review === 'not-set', (q) => q.where(nextReview, 'is', null))
      .$if(shape.noPlanOnly, (q) => q.where('p.plan_version', 'is', null))
      .$if(shape.measureOverdueOnly, (q) => q.where(measureOverdue(v.today)))
      .select([
        ...CASELOAD_PERSON_COLUMNS,
        'mine.workers',
        nextReview.as('next_review_date'),
        sql<string>`count(*) over ()`.as('total'),
      ])
      .orderBy(sql`${nextReview} asc nulls last`)
      .orderBy('p.family_name')
      .orderBy('p.given_name')
      .orderBy('p.person_id')
      .limit(v.limit)
      .offset(v.offset);
  });
}

const teamCaseloadQueryFor = perShape(teamCaseloadQuery);

/** How many people each worker is named for in the teams, by worker: one grouped read of the teams. */
function workerCountsQuery(teams: number) {
  return fixedQuery((db, v: TeamIds) =>
    teamMemberships(db, v, teams)
      .innerJoin('user_account as u', 'u.user_id', 'm.user_id')
      .select([
        'u.user_id',
        'u.display_name',
        'u.job_title',
        sql<string>`count(distinct m.person_id)`.as('people'),
      ])
      .groupBy(['u.user_id', 'u.display_name', 'u.job_title']),
  );
}

/** Everyone in the teams' caseload, and how many of them have no named worker in the team. */
function teamTotalsQuery(teams: number) {
  return fixedQuery((db, v: TeamIds) =>
    db
      .selectFrom(
        teamMemberships(db, v, teams)
          .select(['m.person_id', sql<string>`count(m.user_id)`.as('named')])
          .groupBy('m.person_id')
          .as('x'),
      )
      .select([
        sql<string>`count(*)`.as('team_total'),
        sql<string>`count(*) filter (where x.named = 0)`.as('unallocated'),
      ]),
  );
}

/** The teams' staff who can be a named worker: practitioners and managers with an account in use. */
function teamStaffQuery(teams: number) {
  return fixedQuery((db, v: TeamIds) =>
    db
      .selectFrom('user_role as r')
      .innerJoin('user_account as u', 'u.user_id', 'r.user_id')
      .where('r.team_id', 'in', teamSlots(v, teams))
      .where('r.role', 'in', ['practitioner', 'team-manager'])
      .where('u.disabled_at', 'is', null)
      .select(['u.user_id', 'u.display_name', 'u.job_title', 'r.team_id'])
      .distinct(),
  );
}

const workerCountsQueryFor = perShape(workerCountsQuery);
const teamTotalsQueryFor = perShape(teamTotalsQuery);
const teamStaffQueryFor = perShape(teamStaffQuery);

/** The calendar date `days` after an ISO date. */
function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The teams' staff, by name, one row per person (a manager of two teams is listed once). */
export async function teamStaff(db: Kysely<DB>, teamIds: readonly string[]) {
  if (teamIds.length === 0) return [];
  const rows = await teamStaffQueryFor(teamIds.length).rows(db, teamIdsAsValues(teamIds));
  const byUser = new Map<
    string,
    { userId: string; name: string; jobTitle: string | null; teamIds: string[] }
  >();
  for (const r of rows) {
    const entry = byUser.get(r.user_id) ?? {
      userId: r.user_id,
      name: r.display_name,
      jobTitle: r.job_title,
      teamIds: [],
    };
    if (r.team_id && !entry.teamIds.includes(r.team_id)) entry.teamIds.push(r.team_id);
    byUser.set(r.user_id, entry);
  }
  return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
}

/**
 * One page of the teams' caseload, with the totals and each worker's count: four statements, each
 * driven from the teams' memberships (the partial index on `care_team_member.team_id`), whatever
 * the size of the population.
 */
export async function teamCaseloadPage(
  db: Kysely<DB>,
  teams: { teamId: string; name: string }[],
  filters: TeamCaseloadFiltersInput,
): Promise<TeamCaseload> {
  const page = filters.page ?? 1;
  const teamIds = teams.map((t) => t.teamId);
  const ids = teamIdsAsValues(teamIds);
  const search = filters.search?.trim().toLowerCase() ?? '';
  const worker = filters.worker === 'none' ? 'none' : filters.worker ? 'user' : 'any';
  const query = teamCaseloadQueryFor(
    {
      search: search !== '',
      worker,
      review: filters.review ?? 'any',
      noPlanOnly: filters.noPlanOnly ?? false,
      measureOverdueOnly: filters.measureOverdueOnly ?? false,
    },
    teamIds.length,
  );
  const values: TeamCaseloadQueryValues = {
    ...ids,
    namePattern: likePattern(search),
    nhsNumber: normaliseNhsNumber(search),
    workerId: worker === 'user' ? (filters.worker as string) : '',
    today: filters.today,
    dueSoonUntil: addDays(filters.today, DUE_SOON_DAYS),
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const [rows, counts, totals, staff] = await Promise.all([
    query.rows(db, values),
    workerCountsQueryFor(teamIds.length).rows(db, ids),
    teamTotalsQueryFor(teamIds.length).first(db, ids),
    teamStaff(db, teamIds),
  ]);
  const total =
    rows.length > 0
      ? Number(rows[0]?.total)
      : page === 1
        ? 0
        : Number((await query.first(db, { ...values, limit: 1, offset: 0 }))?.total ?? 0);
  const workers = new Map(
    staff.map((s) => [s.userId, { userId: s.userId, name: s.name, jobTitle: s.jobTitle, people: 0 }]),
  );
  for (const c of counts) {
    workers.set(c.user_id, {
      userId: c.user_id,
      name: c.display_name,
      jobTitle: c.job_title,
      people: Number(c.people),
    });
  }
  return {
    page,
    pageSize: PAGE_SIZE,
    total,
    teamTotal: Number(totals?.team_total ?? 0),
    unallocated: Number(totals?.unallocated ?? 0),
    workers: [...workers.values()].sort((a, b) => a.name.localeCompare(b.name, 'en-GB')),
    teams,
    entries: rows.map((r) => ({
      personId: r.person_id,
      name: displayName(r),
      nhsNumber: r.nhs_number,
      dateOfBirth: r.date_of_birth,
      nextReviewDate: r.next_review_date,
      reviewStatus: reviewStatus(r.next_review_date, filters.today, DUE_SOON_DAYS),
      hasPlan: r.plan_version !== null,
      lastConversationOn: r.last_held_on,
      workers: r.workers ?? [],
    })),
  };
}

/** The names of teams, in the order given. */
export async function teamNames(db: Kysely<DB>, teamIds: readonly string[]) {
  if (teamIds.length === 0) return [];
  const rows = await db
    .selectFrom('team')
    .select(['team_id', 'name'])
    .where('team_id', 'in', teamIds)
    .execute();
  const names = new Map(rows.map((r) => [r.team_id, r.name]));
  return teamIds.flatMap((teamId) => {
    const name = names.get(teamId);
    return name ? [{ teamId, name }] : [];
  });
}

/** The person's current memberships in these teams: the rows a reallocation ends or keeps. */
export async function teamMembershipsOf(db: Kysely<DB>, scope: RecordScope, teamIds: readonly string[]) {
  if (teamIds.length === 0) return [];
  const rows = await db
    .selectFrom('care_team_member as m')
    .leftJoin('user_account as u', 'u.user_id', 'm.user_id')
    .select([
      'm.member_id',
      'm.organisation_id',
      'm.team_id',
      'm.user_id',
      'u.display_name as user_name',
      'm.support_kind',
      'm.is_key_worker',
    ])
    .where('m.person_id', '=', scope.personId)
    .where('m.end_date', 'is', null)
    .where('m.team_id', 'in', teamIds)
    .orderBy('m.is_key_worker', 'desc')
    .orderBy('m.start_date')
    .orderBy('m.member_id')
    .execute();
  return rows.map((r) => ({
    memberId: r.member_id,
    organisationId: r.organisation_id,
    teamId: r.team_id as string,
    userId: r.user_id,
    userName: r.user_name,
    supportKind: r.support_kind,
    isKeyWorker: r.is_key_worker,
  }));
}

/** Ends memberships: from then on they are history, no longer part of the care team. */
export async function endCareTeamMembers(
  db: Kysely<DB>,
  scope: RecordScope,
  memberIds: readonly string[],
  endDate: string,
): Promise<void> {
  if (memberIds.length === 0) return;
  await db
    .updateTable('care_team_member')
    .set({ end_date: endDate })
    .where('person_id', '=', scope.personId)
    .where('member_id', 'in', memberIds)
    .where('end_date', 'is', null)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// A carer's own record.

/** A carer's own record: about the carer, registered as a carer, with no care team. */
export async function insertCarerRecord(
  db: Kysely<DB>,
  scope: RecordScope,
  carer: { givenName: string; familyName: string },
): Promise<void> {
  await db
    .insertInto('person')
    .values({
      person_id: scope.personId,
      nhs_number: null,
      given_name: carer.givenName,
      family_name: carer.familyName,
      date_of_birth: null,
      sex: 'unknown',
      gender: null,
      ethnic_category: null,
      postcode: null,
      deprivation_decile: null,
      registered_as: 'carer',
    })
    .execute();
}

/** Links an account to its own record, unless it has one already (false then). */
export async function linkAccountToRecord(
  db: Kysely<DB>,
  userId: string,
  scope: RecordScope,
): Promise<boolean> {
  const result = await db
    .updateTable('user_account')
    .set({ person_id: scope.personId })
    .where('user_id', '=', userId)
    .where('person_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * People registered with this name and date of birth (the name compared in lower case, by the
 * index on family and given name), leaving out those with an NHS number other than `withNhsNumber`:
 * different NHS numbers are different people.
 */
export async function sameNameAndBirth(
  db: Kysely<DB>,
  who: {
    givenName: string;
    familyName: string;
    dateOfBirth: string;
    withNhsNumber: string | null;
    limit: number;
  },
): Promise<string[]> {
  const rows = await db
    .selectFrom('person')
    .select('person_id')
    .where(sql<string>`lower(family_name)`, '=', who.familyName.toLowerCase())
    .where(sql<string>`lower(given_name)`, '=', who.givenName.toLowerCase())
    .where('date_of_birth', '=', who.dateOfBirth)
    .$if(who.withNhsNumber !== null, (q) =>
      q.where((eb) => eb.or([eb('nhs_number', 'is', null), eb('nhs_number', '=', who.withNhsNumber)])),
    )
    .orderBy('person_id')
    .limit(who.limit)
    .execute();
  return rows.map((r) => r.person_id);
}

/** The display names of records the caller may already open (checked by the caller), in the order given. */
export async function namesOf(
  db: Kysely<DB>,
  personIds: string[],
): Promise<{ personId: string; name: string }[]> {
  if (!personIds.length) return [];
  const rows = await db
    .selectFrom('person')
    .select(['person_id', 'given_name', 'family_name', 'preferred_name'])
    .where('person_id', 'in', personIds)
    .execute();
  const byId = new Map(rows.map((r) => [r.person_id, displayName(r)]));
  return personIds.flatMap((personId) => {
    const name = byId.get(personId);
    return name ? [{ personId, name }] : [];
  });
}

/** A relationship as `relationshipsOf` gives it, with the version FHIR shows. */
export type VersionedRelationship = RelationshipEntry & { versionId: number; lastUpdated: Date };

/** Many people's circles with their versions, by person, in one query: each carers first, then by name. */
export async function versionedRelationshipsOfEach(
  db: Kysely<DB>,
  scopes: readonly RecordScope[],
): Promise<Map<string, VersionedRelationship[]>> {
  if (scopes.length === 0) return new Map();
  const rows = await db
    .selectFrom('relationship')
    .selectAll()
    .where('person_id', 'in', personIdsOf(scopes))
    .orderBy('is_carer', 'desc')
    .orderBy('name')
    .orderBy('relationship_id')
    .execute();
  return byPerson(
    rows,
    (r) => r.person_id,
    (r) => ({ ...rowToRelationship(r), versionId: r.version_id, lastUpdated: r.last_updated }),
  );
}

/** The people important to the person as `relationshipsOf` gives them, with the version FHIR shows. */
export async function versionedRelationshipsOf(
  db: Kysely<DB>,
  scope: RecordScope,
): Promise<VersionedRelationship[]> {
  return (await versionedRelationshipsOfEach(db, [scope])).get(scope.personId) ?? [];
}

/** The current care team, the version of the team as a whole and the team responsible (FHIR CareTeam). */
export interface VersionedCareTeam {
  members: CareTeamMember[];
  versionId: number;
  lastUpdated: Date;
  lead: { teamId: string; teamName: string } | null;
}

/**
 * Many people's current care teams with the version of each team as a whole (FHIR CareTeam), by
 * person, in three queries: the members, the versions and the teams responsible. The version is
 * the sum of the versions of every membership row, ended ones too, so adding, changing or ending
 * a membership always moves it on; and the latest change among them. People who never had a
 * team are left out.
 */
export async function versionedCareTeamsOf(
  db: Kysely<DB>,
  scopes: readonly RecordScope[],
): Promise<Map<string, VersionedCareTeam>> {
  if (scopes.length === 0) return new Map();
  const personIds = personIdsOf(scopes);
  const [members, versions, leads] = await Promise.all([
    careTeamsOf(db, scopes),
    db
      .selectFrom('care_team_member')
      .select((eb) => [
        'person_id',
        eb.fn.sum<string | number>('version_id').as('version'),
        eb.fn.max('last_updated').as('last_updated'),
      ])
      .where('person_id', 'in', personIds)
      .groupBy('person_id')
      .execute(),
    // The team responsible for the record (CareTeam.managingOrganization).
    db
      .selectFrom('person as p')
      .innerJoin('team as t', 't.team_id', 'p.lead_team_id')
      .select(['p.person_id', 't.team_id', 't.name'])
      .where('p.person_id', 'in', personIds)
      .execute(),
  ]);
  const leadOf = new Map(leads.map((l) => [l.person_id, { teamId: l.team_id, teamName: l.name }]));
  const teams = new Map<string, VersionedCareTeam>();
  for (const version of versions) {
    if (!version.last_updated) continue;
    teams.set(version.person_id, {
      members: members.get(version.person_id) ?? [],
      versionId: Number(version.version),
      lastUpdated: new Date(version.last_updated),
      lead: leadOf.get(version.person_id) ?? null,
    });
  }
  return teams;
}

/** The person's current care team with its version (`versionedCareTeamsOf`); null when they never had a team. */
export async function versionedCareTeamOf(
  db: Kysely<DB>,
  scope: RecordScope,
): Promise<VersionedCareTeam | null> {
  return (await versionedCareTeamsOf(db, [scope])).get(scope.personId) ?? null;
}
