import { type Kysely, type Selectable, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Actor } from '../../domain/actor.js';
import type { ConversationKind } from '../../domain/conversations.js';
import { normaliseNhsNumber } from '../../domain/nhs-number.js';
import { reviewStatus } from '../../domain/review-status.js';
import { fixedQuery } from '../../store/fixed-query.js';
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
} from './schema.js';

/** The people feature's queries, and one row mapper for each of its tables. */

export const PAGE_SIZE = 25;

/** What to call the person: their preferred name if they gave one. */
export const displayName = (p: { given_name: string; family_name: string; preferred_name?: string | null }) =>
  `${p.preferred_name || p.given_name} ${p.family_name}`;

/** Escapes LIKE wildcards so a search for "100%" means that text. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

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

/** The person's current care team: key workers first, then by organisation. */
export async function careTeamOf(db: Kysely<DB>, scope: RecordScope): Promise<CareTeamMember[]> {
  const rows = await db
    .selectFrom('care_team_member as m')
    .innerJoin('organisation as o', 'o.organisation_id', 'm.organisation_id')
    .leftJoin('team as t', 't.team_id', 'm.team_id')
    .leftJoin('user_account as u', 'u.user_id', 'm.user_id')
    .select(CARE_TEAM_COLUMNS)
    .where('m.person_id', '=', scope.personId)
    .where('m.end_date', 'is', null)
    .orderBy('m.is_key_worker', 'desc')
    .orderBy('o.name')
    .orderBy('m.member_id')
    .execute();
  return rows.map(rowToCareTeamMember);
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
    circle: circle.map((r) => rowToRelationship({ ...r, created_at: new Date(r.created_at) })),
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
  /** A LIKE pattern matched against the lower-cased name and preferred name. */
  namePattern: string;
  /** An NHS number (the search text as one, when it reads as one). */
  nhsNumber: string | null;
  /** Only people whose next review falls before this date. */
  reviewBefore: string;
  limit: number;
  offset: number;
};

/** Which filters a caseload query applies: each combination is a query of its own fixed shape. */
interface CaseloadShape {
  search: boolean;
  overdueOnly: boolean;
  noPlanOnly: boolean;
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
            eb.or([
              eb(sql<string>`lower(p.given_name || ' ' || p.family_name)`, 'like', v.namePattern),
              eb(sql<string>`lower(coalesce(p.preferred_name, ''))`, 'like', v.namePattern),
              eb('p.nhs_number', '=', v.nhsNumber),
            ]),
          ),
        )
        .$if(shape.overdueOnly, (q) => q.where(nextReview, '<', v.reviewBefore))
        .$if(shape.noPlanOnly, (q) => q.where('p.plan_version', 'is', null))
        .select([
          'p.person_id',
          'p.given_name',
          'p.family_name',
          'p.preferred_name',
          'p.nhs_number',
          'p.date_of_birth',
          'p.latest_held_on as last_held_on',
          'p.plan_version',
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

const caseloadQueries = new Map<string, ReturnType<typeof caseloadQuery>>();
function caseloadQueryFor(shape: CaseloadShape, teams: number) {
  const key = `${shape.search}/${shape.overdueOnly}/${shape.noPlanOnly}/${teams}`;
  let query = caseloadQueries.get(key);
  if (!query) {
    query = caseloadQuery(shape, teams);
    caseloadQueries.set(key, query);
  }
  return query;
}

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
    },
    teams,
  );
  const values: CaseloadQueryValues = {
    ...ids,
    namePattern: likePattern(search),
    nhsNumber: normaliseNhsNumber(search),
    reviewBefore: filters.today,
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

export async function insertCareTeamMember(
  db: Kysely<DB>,
  scope: RecordScope,
  member: {
    memberId: string;
    organisationId: string;
    teamId: string | null;
    userId: string | null;
    supportKind: string;
    roleDescription: string;
    isKeyWorker: boolean;
  },
): Promise<void> {
  await db
    .insertInto('care_team_member')
    .values({
      person_id: scope.personId,
      member_id: member.memberId,
      organisation_id: member.organisationId,
      team_id: member.teamId,
      user_id: member.userId,
      support_kind: member.supportKind,
      role_description: member.roleDescription,
      is_key_worker: member.isKeyWorker,
    })
    .execute();
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
    .values({
      person_id: scope.personId,
      relationship_id: relationship.relationshipId,
      name: relationship.name,
      relationship_type: relationship.relationshipType,
      is_carer: relationship.isCarer,
      contact: relationship.contact,
      carer_user_id: relationship.carerUserId,
    })
    .execute();
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
