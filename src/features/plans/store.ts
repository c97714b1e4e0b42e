import { type Kysely, sql } from 'kysely';
import type { CarePlanContent } from '../../domain/care-plan.js';
import type { RecorderAccount } from '../../domain/interop/recorded-by.js';
import { personIdsOf } from '../../store/by-person.js';
import { fixedQuery } from '../../store/fixed-query.js';
import type { DB } from '../../store/schema.js';
import { displayName } from '../people/service.js';
import type { RecordScope } from '../record-access/person-access.js';
import type { PlanComment, PlanVersion, PlanVersionSummary, PlanView } from './schema.js';

/**
 * The plan's queries. Every read of a person's plan takes a `RecordScope` (an access grant, or a
 * named system scope), never a bare id. Each read is one statement whatever the number of
 * versions, goals or comments.
 */

/** Who a plan page is about: what the banner at the top shows, and nothing more of the record. */
export interface PersonBanner {
  personId: string;
  name: string;
  nhsNumber: string | null;
  dateOfBirth: string | null;
}

/** A personal outcome as a plan names it: a goal may say which one it works towards. */
export interface OutcomeStatement {
  outcomeId: string;
  statement: string;
}

interface PlanVersionRow {
  version: number;
  created_at: Date;
  change_summary: string;
  planned_review_date: string | null;
  created_by: string;
}

/** The one mapping of a `care_plan_version` row (with its author's name) to a version's summary. */
function rowToPlanVersion(row: PlanVersionRow): PlanVersionSummary {
  return {
    version: row.version,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    changeSummary: row.change_summary,
    plannedReviewDate: row.planned_review_date,
  };
}

/** The same row with its content: the stored JSON was checked against the plan's contract when saved. */
const withContent = (row: PlanVersionRow & { content: unknown }): PlanVersion => ({
  ...rowToPlanVersion(row),
  content: row.content as CarePlanContent,
});

/** Versions with their author's name, of any person: read through `versions` or a read of many people. */
function everyonesVersions(db: Kysely<DB>) {
  return db
    .selectFrom('care_plan_version as v')
    .innerJoin('user_account as u', 'u.user_id', 'v.created_by_user_id')
    .select([
      'v.version',
      'v.created_at',
      'v.change_summary',
      'v.planned_review_date',
      'u.display_name as created_by',
    ]);
}

function versions(db: Kysely<DB>, scope: RecordScope) {
  return everyonesVersions(db).where('v.person_id', '=', scope.personId);
}

/** The current plan, a summary of every version, and every comment: two statements. */
const planVersionsQuery = fixedQuery((db, v: RecordScope) =>
  versions(db, v)
    // Only the latest version's content is read: the others are listed, not shown.
    .select(sql<unknown>`case when v.version = max(v.version) over () then v.content end`.as('content'))
    .orderBy('v.version', 'desc'),
);

const planCommentsQuery = fixedQuery((db, v: RecordScope) =>
  db
    .selectFrom('plan_comment as c')
    .innerJoin('user_account as u', 'u.user_id', 'c.author_user_id')
    .select(['c.comment_id', 'c.version', 'c.body', 'c.author_viewpoint', 'c.created_at', 'u.display_name'])
    .where('c.person_id', '=', v.personId)
    .orderBy('c.created_at', 'desc'),
);

export async function planOf(db: Kysely<DB>, scope: RecordScope): Promise<PlanView> {
  const [rows, comments] = await Promise.all([
    planVersionsQuery.rows(db, scope),
    planCommentsQuery.rows(db, scope),
  ]);
  const [latest] = rows;
  return {
    current: latest ? withContent(latest) : null,
    versions: rows.map(rowToPlanVersion),
    comments: comments.map(
      (c): PlanComment => ({
        commentId: c.comment_id,
        version: c.version,
        body: c.body,
        author: c.display_name,
        viewpoint: c.author_viewpoint,
        createdAt: c.created_at.toISOString(),
      }),
    ),
  };
}

/** The versions with these numbers, with their content, in one statement; missing ones are left out. */
export async function planVersionsOf(
  db: Kysely<DB>,
  scope: RecordScope,
  numbers: readonly number[],
): Promise<PlanVersion[]> {
  if (numbers.length === 0) return [];
  const rows = await versions(db, scope)
    .select('v.content')
    .where('v.version', 'in', [...new Set(numbers)])
    .execute();
  return rows.map(withContent);
}

/** The latest version's number, 0 when there is no plan yet. */
export async function latestVersionOf(db: Kysely<DB>, scope: RecordScope): Promise<number> {
  const latest = await db
    .selectFrom('care_plan_version')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('person_id', '=', scope.personId)
    .executeTakeFirst();
  return Number(latest?.version ?? 0);
}

export async function insertPlanVersion(
  db: Kysely<DB>,
  scope: RecordScope,
  version: {
    version: number;
    content: CarePlanContent;
    changeSummary: string;
    createdByUserId: string;
    /** Absent: now. FHIR bulk import restores a version as it was saved. */
    createdAt?: string;
  },
): Promise<void> {
  await db
    .insertInto('care_plan_version')
    .values({
      person_id: scope.personId,
      version: version.version,
      content: JSON.stringify(version.content),
      planned_review_date: version.content.review.plannedDate,
      change_summary: version.changeSummary,
      created_by_user_id: version.createdByUserId,
      ...(version.createdAt ? { created_at: version.createdAt } : {}),
    })
    .execute();
}

export async function planVersionExists(
  db: Kysely<DB>,
  scope: RecordScope,
  version: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('care_plan_version')
    .select('version')
    .where('person_id', '=', scope.personId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertPlanComment(
  db: Kysely<DB>,
  scope: RecordScope,
  comment: { commentId: string; version: number; body: string; authorUserId: string; viewpoint: string },
): Promise<void> {
  await db
    .insertInto('plan_comment')
    .values({
      person_id: scope.personId,
      comment_id: comment.commentId,
      version: comment.version,
      body: comment.body,
      author_user_id: comment.authorUserId,
      author_viewpoint: comment.viewpoint,
    })
    .execute();
}

/** The banner's details of the person whose plan it is; undefined if the record is gone. */
export async function personBannerOf(db: Kysely<DB>, scope: RecordScope): Promise<PersonBanner | undefined> {
  const row = await db
    .selectFrom('person')
    .select(['person_id', 'given_name', 'family_name', 'preferred_name', 'nhs_number', 'date_of_birth'])
    .where('person_id', '=', scope.personId)
    .executeTakeFirst();
  return (
    row && {
      personId: row.person_id,
      name: displayName(row),
      nhsNumber: row.nhs_number,
      dateOfBirth: row.date_of_birth,
    }
  );
}

/** The person's outcomes in their own words, oldest first, for naming and choosing what a goal is about. */
export async function outcomeStatementsOf(db: Kysely<DB>, scope: RecordScope): Promise<OutcomeStatement[]> {
  const rows = await db
    .selectFrom('personal_outcome')
    .select(['outcome_id', 'statement'])
    .where('person_id', '=', scope.personId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ outcomeId: r.outcome_id, statement: r.statement }));
}

/** Which of these outcome ids are not the person's. */
export async function outcomesNotOf(
  db: Kysely<DB>,
  scope: RecordScope,
  outcomeIds: readonly string[],
): Promise<Set<string>> {
  if (outcomeIds.length === 0) return new Set();
  const found = await db
    .selectFrom('personal_outcome')
    .select('outcome_id')
    .where('person_id', '=', scope.personId)
    .where('outcome_id', 'in', [...outcomeIds])
    .execute();
  const theirs = new Set(found.map((r) => r.outcome_id.toLowerCase()));
  return new Set(outcomeIds.filter((id) => !theirs.has(id.toLowerCase())));
}

/** Which of these organisation ids name no organisation. */
export async function unknownOrganisations(
  db: Kysely<DB>,
  organisationIds: readonly string[],
): Promise<Set<string>> {
  if (organisationIds.length === 0) return new Set();
  const found = await db
    .selectFrom('organisation')
    .select('organisation_id')
    .where('organisation_id', 'in', [...organisationIds])
    .execute();
  const known = new Set(found.map((r) => r.organisation_id.toLowerCase()));
  return new Set(organisationIds.filter((id) => !known.has(id.toLowerCase())));
}

/** The columns of a version with its content and the account that saved it (`recorded` maps them). */
const recordedColumns = [
  'v.content',
  'u.user_id as created_by_user_id',
  'u.username as created_by_username',
] as const;

/** The one mapping of a version read with `recordedColumns`. */
const recorded = (
  row: PlanVersionRow & { content: unknown; created_by_user_id: string; created_by_username: string },
): RecordedPlanVersion => ({
  ...withContent(row),
  createdByAccount: {
    userId: row.created_by_user_id,
    name: row.created_by,
    system: row.created_by_username.startsWith('client:'),
  },
});

/** Every version with its content, newest first, in one statement (FHIR CarePlan history). */
export async function everyPlanVersionOf(db: Kysely<DB>, scope: RecordScope): Promise<RecordedPlanVersion[]> {
  const rows = await versions(db, scope).select(recordedColumns).orderBy('v.version', 'desc').execute();
  return rows.map(recorded);
}

/** The current version with who saved it (FHIR CarePlan read and export), or null when there is no plan yet. */
export async function currentPlanVersionOf(
  db: Kysely<DB>,
  scope: RecordScope,
): Promise<RecordedPlanVersion | null> {
  return (await currentPlanVersionsOf(db, [scope])).get(scope.personId) ?? null;
}

/**
 * The current version with who saved it of each of these people's plans, in one statement (FHIR
 * bulk export); people with no plan yet are left out.
 */
export async function currentPlanVersionsOf(
  db: Kysely<DB>,
  scopes: readonly RecordScope[],
): Promise<Map<string, RecordedPlanVersion>> {
  if (scopes.length === 0) return new Map();
  const rows = await everyonesVersions(db)
    .select([...recordedColumns, 'v.person_id'])
    .distinctOn('v.person_id')
    .where('v.person_id', 'in', personIdsOf(scopes))
    .orderBy('v.person_id')
    .orderBy('v.version', 'desc')
    .execute();
  return new Map(rows.map((row) => [row.person_id, recorded(row)]));
}

/** A version with the account that saved it (FHIR names a member of staff as the author). */
export type RecordedPlanVersion = PlanVersion & { createdByAccount: RecorderAccount };
