import { type InsertObject, type Kysely, sql } from 'kysely';
import type {
  CompletedBy,
  MeasureOccasion,
  MeasureRequestStatus,
} from '../../domain/measures/measure-requests.js';
import type { InstrumentKey, QuestionnaireResponse } from '../../domain/measures/types.js';
import { byPerson, personIdsOf } from '../../store/by-person.js';
import type { DB } from '../../store/schema.js';
import { type CareStaffIds, careTeamMemberships, type RecordScope } from '../record-access/person-access.js';

/**
 * The measures feature's queries: schedules, requests, responses and their scores. One row mapper
 * per table; every read of one person's measures takes a RecordScope from an access check (or a
 * named system scope), and every row is written here once — the service and the demo loader both
 * use these.
 */

type Db = Kysely<DB>;

export interface StoredScore {
  responseId: string;
  questionnaireId: string;
  /** What makes scores one measure over time: the built-in's key, else the questionnaire's url (any version). */
  measureKey: string;
  title: string;
  scoreKey: string;
  instrument: InstrumentKey | null;
  value: number;
  band: string | null;
  observedOn: string;
  completedBy: CompletedBy;
  recordedBy: string;
  recordedAt: string;
}

export interface StoredRequest {
  requestId: string;
  questionnaireId: string;
  scheduleId: string | null;
  occasion: MeasureOccasion;
  dueOn: string | null;
  notBefore: string | null;
  sentToPerson: boolean;
  status: MeasureRequestStatus;
  responseId: string | null;
  createdAt: string;
  createdByUserId: string;
  /** When it was completed or cancelled; null while open. */
  closedAt: string | null;
}

export interface StoredSchedule {
  scheduleId: string;
  questionnaireId: string;
  atStart: boolean;
  atReview: boolean;
  atEnd: boolean;
  createdAt: string;
}

export interface NewResponseRow {
  personId: string;
  responseId: string;
  questionnaireId: string;
  resource: QuestionnaireResponse;
  authoredOn: string;
  recordedByUserId: string;
  completedBy: CompletedBy;
  requestId: string | null;
  conversationId: string | null;
  /** Absent: now (an import gives when it was recorded). */
  recordedAt?: string;
}

export interface NewScoreRow {
  personId: string;
  responseId: string;
  scoreKey: string;
  instrument: InstrumentKey | null;
  questionnaireId: string;
  value: number;
  band: string | null;
  observedOn: string;
}

export interface NewRequestRow {
  personId: string;
  requestId: string;
  questionnaireId: string;
  scheduleId: string | null;
  occasion: MeasureOccasion;
  dueOn: string | null;
  notBefore: string | null;
  sentToPerson: boolean;
  createdByUserId: string;
  /** Absent: open, asked now. An import gives how it stands and when it was asked and closed. */
  restored?: {
    status: MeasureRequestStatus;
    responseId: string | null;
    createdAt: string | null;
    closedAt: string | null;
  };
}

export interface NewScheduleRow {
  personId: string;
  scheduleId: string;
  questionnaireId: string;
  atStart: boolean;
  atReview: boolean;
  atEnd: boolean;
  createdByUserId: string;
}

const isoDate = (value: string | Date): string =>
  typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
const isoDateTime = (value: string | Date): string =>
  typeof value === 'string' ? new Date(value).toISOString() : value.toISOString();

/** The people of these scopes, each once: for `person_id in (...)` reads of many records at once. */

// ——— the library ———

/** Titles and instrument keys of questionnaires by id, for lists that name them. */
export async function questionnaireNames(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, { title: string; instrument: InstrumentKey | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('questionnaire')
    .select(['questionnaire_id', 'title', 'instrument_key'])
    .where('questionnaire_id', 'in', [...new Set(ids)])
    .execute();
  return new Map(
    rows.map((r) => [
      r.questionnaire_id,
      { title: r.title, instrument: r.instrument_key as InstrumentKey | null },
    ]),
  );
}

// ——— writes ———

/** Inserts rows into one table: each table's rows are mapped to its columns once, below. */
async function insertRows<T extends keyof DB & string, R>(
  db: Db,
  table: T,
  rows: readonly R[],
  toRow: (row: R) => InsertObject<DB, T>,
): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto(table).values(rows.map(toRow)).execute();
}

export const insertResponses = (db: Db, rows: readonly NewResponseRow[]): Promise<void> =>
  insertRows(db, 'questionnaire_response', rows, (row) => ({
    person_id: row.personId,
    response_id: row.responseId,
    questionnaire_id: row.questionnaireId,
    status: row.resource.status,
    resource: JSON.stringify(row.resource),
    authored_on: row.authoredOn,
    recorded_by_user_id: row.recordedByUserId,
    completed_by: row.completedBy,
    request_id: row.requestId,
    conversation_id: row.conversationId,
    ...(row.recordedAt ? { recorded_at: row.recordedAt } : {}),
  }));

export const insertScores = (db: Db, rows: readonly NewScoreRow[]): Promise<void> =>
  insertRows(db, 'measure_score', rows, (r) => ({
    person_id: r.personId,
    response_id: r.responseId,
    score_key: r.scoreKey,
    instrument: r.instrument,
    questionnaire_id: r.questionnaireId,
    value: r.value,
    band: r.band,
    observed_on: r.observedOn,
  }));

export const insertRequests = (db: Db, rows: readonly NewRequestRow[]): Promise<void> =>
  insertRows(db, 'measure_request', rows, (r) => ({
    person_id: r.personId,
    request_id: r.requestId,
    questionnaire_id: r.questionnaireId,
    schedule_id: r.scheduleId,
    occasion: r.occasion,
    due_on: r.dueOn,
    not_before: r.notBefore,
    sent_to_person: r.sentToPerson,
    created_by_user_id: r.createdByUserId,
    ...(r.restored
      ? {
          status: r.restored.status,
          response_id: r.restored.responseId,
          closed_at: r.restored.status === 'open' ? null : new Date(r.restored.closedAt ?? Date.now()),
          ...(r.restored.createdAt ? { created_at: new Date(r.restored.createdAt) } : {}),
        }
      : {}),
  }));

export const insertSchedules = (db: Db, rows: readonly NewScheduleRow[]): Promise<void> =>
  insertRows(db, 'measure_schedule', rows, (row) => ({
    person_id: row.personId,
    schedule_id: row.scheduleId,
    questionnaire_id: row.questionnaireId,
    at_start: row.atStart,
    at_review: row.atReview,
    at_end: row.atEnd,
    created_by_user_id: row.createdByUserId,
  }));

/** Marks an open request completed by a response; false when it was not open. */
export async function completeRequest(
  db: Db,
  scope: RecordScope,
  requestId: string,
  responseId: string,
): Promise<boolean> {
  const result = await db
    .updateTable('measure_request')
    .set({ status: 'completed', response_id: responseId, closed_at: new Date() })
    .where('person_id', '=', scope.personId)
    .where('request_id', '=', requestId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Names the request a response completed, on a response written without one (a restored one). */
export async function linkResponseToRequest(
  db: Db,
  personId: string,
  responseId: string,
  requestId: string,
): Promise<void> {
  await db
    .updateTable('questionnaire_response')
    .set({ request_id: requestId })
    .where('person_id', '=', personId)
    .where('response_id', '=', responseId)
    .where('request_id', 'is', null)
    .execute();
}

/** Ends a schedule and cancels its open requests; false when there was no such schedule in force. */
export async function endSchedule(
  db: Db,
  scope: RecordScope,
  scheduleId: string,
  userId: string,
): Promise<boolean> {
  const result = await db
    .updateTable('measure_schedule')
    .set({ ended_at: new Date(), ended_by_user_id: userId })
    .where('person_id', '=', scope.personId)
    .where('schedule_id', '=', scheduleId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await db
    .updateTable('measure_request')
    .set({ status: 'cancelled', closed_at: new Date() })
    .where('person_id', '=', scope.personId)
    .where('schedule_id', '=', scheduleId)
    .where('status', '=', 'open')
    .execute();
  return true;
}

// ——— reads of one person's measures ———

/**
 * Every score of the person, oldest first, with who completed and recorded each; or only one
 * measure's — a built-in instrument's in any wording, or one questionnaire's in any version.
 */
export async function scoresOf(
  db: Db,
  scope: RecordScope,
  measure?: { instrument: InstrumentKey } | { url: string },
): Promise<StoredScore[]> {
  return (await scoresOfEach(db, [scope], measure)).get(scope.personId) ?? [];
}

/**
 * scoresOf for many people at once (bulk export): one read however many people, each person's
 * scores in the same order. People with no scores are left out of the map.
 */
export async function scoresOfEach(
  db: Db,
  scopes: readonly RecordScope[],
  measure?: { instrument: InstrumentKey } | { url: string },
): Promise<Map<string, StoredScore[]>> {
  const personIds = personIdsOf(scopes);
  if (!personIds.length) return new Map();
  const rows = await db
    .selectFrom('measure_score as s')
    .innerJoin('questionnaire_response as r', (join) =>
      join.onRef('r.person_id', '=', 's.person_id').onRef('r.response_id', '=', 's.response_id'),
    )
    .innerJoin('user_account as u', 'u.user_id', 'r.recorded_by_user_id')
    .innerJoin('questionnaire as q', 'q.questionnaire_id', 's.questionnaire_id')
    .select([
      's.person_id',
      'q.url',
      'q.title',
      's.response_id',
      's.questionnaire_id',
      's.score_key',
      's.instrument',
      's.value',
      's.band',
      's.observed_on',
      'r.completed_by',
      'r.recorded_at',
      'u.display_name',
    ])
    .where('s.person_id', 'in', personIds)
    .where('r.status', '<>', 'entered-in-error')
    .$if(measure !== undefined && 'instrument' in measure, (q) =>
      q.where('s.instrument', '=', (measure as { instrument: InstrumentKey }).instrument),
    )
    .$if(measure !== undefined && 'url' in measure, (q) =>
      q.where('q.url', '=', (measure as { url: string }).url).where('s.instrument', 'is', null),
    )
    .orderBy('s.observed_on')
    .orderBy('r.recorded_at')
    // Measures recorded together (one transaction, one time) still come in one order everywhere.
    .orderBy('s.response_id')
    .orderBy('s.score_key')
    .execute();
  // Grouped by person in the order read, so each person's scores keep the order above.
  return byPerson(
    rows,
    (r) => r.person_id,
    (r): StoredScore => ({
      responseId: r.response_id,
      questionnaireId: r.questionnaire_id,
      measureKey: r.instrument ?? r.url,
      title: r.title,
      scoreKey: r.score_key,
      instrument: r.instrument as InstrumentKey | null,
      value: Number(r.value),
      band: r.band,
      observedOn: isoDate(r.observed_on),
      completedBy: r.completed_by as CompletedBy,
      recordedBy: r.display_name,
      recordedAt: isoDateTime(r.recorded_at),
    }),
  );
}

function requestOf(r: {
  request_id: string;
  questionnaire_id: string;
  schedule_id: string | null;
  occasion: string;
  due_on: string | Date | null;
  not_before: string | Date | null;
  sent_to_person: boolean;
  status: string;
  response_id: string | null;
  created_at: Date;
  created_by_user_id: string;
  closed_at: Date | null;
}): StoredRequest {
  return {
    requestId: r.request_id,
    questionnaireId: r.questionnaire_id,
    scheduleId: r.schedule_id,
    occasion: r.occasion as MeasureOccasion,
    dueOn: r.due_on === null ? null : isoDate(r.due_on),
    notBefore: r.not_before === null ? null : isoDate(r.not_before),
    sentToPerson: r.sent_to_person,
    status: r.status as MeasureRequestStatus,
    responseId: r.response_id,
    createdAt: isoDateTime(r.created_at),
    createdByUserId: r.created_by_user_id,
    closedAt: r.closed_at === null ? null : isoDateTime(r.closed_at),
  };
}

/** A request's columns, read from `measure_request as r`. */
const requestColumns = [
  'r.request_id',
  'r.questionnaire_id',
  'r.schedule_id',
  'r.occasion',
  'r.due_on',
  'r.not_before',
  'r.sent_to_person',
  'r.status',
  'r.response_id',
  'r.created_at',
  'r.created_by_user_id',
  'r.closed_at',
] as const;

/** The person's next review, read from `person as p`: the latest conversation's, else the plan's. */
const nextReview = sql<string | Date | null>`coalesce(p.latest_next_review_date, p.plan_review_date)`.as(
  'next_review',
);

/** The person's open requests (the partial index of open requests answers it). */
export async function openRequestsOf(db: Db, scope: RecordScope): Promise<StoredRequest[]> {
  const rows = await db
    .selectFrom('measure_request as r')
    .select(requestColumns)
    .where('r.person_id', '=', scope.personId)
    .where('r.status', '=', 'open')
    .orderBy('r.due_on', (ob) => ob.asc().nullsLast())
    .orderBy('r.created_at')
    .execute();
  return rows.map(requestOf);
}

/** Every request of the person, open or closed, oldest first (for /fhir Task and its export). */
export async function requestsOf(db: Db, scope: RecordScope): Promise<StoredRequest[]> {
  return (await requestsOfEach(db, [scope])).get(scope.personId) ?? [];
}

/**
 * Every request of each of these people, each person's as `requestsOf` gives them, in one
 * statement (bulk export); people with none are left out.
 */
export async function requestsOfEach(
  db: Db,
  scopes: readonly RecordScope[],
): Promise<Map<string, StoredRequest[]>> {
  if (scopes.length === 0) return new Map();
  const rows = await db
    .selectFrom('measure_request as r')
    .select([...requestColumns, 'r.person_id'])
    .where('r.person_id', 'in', personIdsOf(scopes))
    .orderBy('r.created_at')
    .orderBy('r.request_id')
    .execute();
  return byPerson(rows, (r) => r.person_id, requestOf);
}

export async function requestById(
  db: Db,
  scope: RecordScope,
  requestId: string,
): Promise<StoredRequest | null> {
  const row = await db
    .selectFrom('measure_request as r')
    .select(requestColumns)
    .where('r.person_id', '=', scope.personId)
    .where('r.request_id', '=', requestId)
    .executeTakeFirst();
  return row ? requestOf(row) : null;
}

export async function schedulesOf(db: Db, scope: RecordScope): Promise<StoredSchedule[]> {
  const rows = await db
    .selectFrom('measure_schedule')
    .select(['schedule_id', 'questionnaire_id', 'at_start', 'at_review', 'at_end', 'created_at'])
    .where('person_id', '=', scope.personId)
    .where('ended_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    scheduleId: r.schedule_id,
    questionnaireId: r.questionnaire_id,
    atStart: r.at_start,
    atReview: r.at_review,
    atEnd: r.at_end,
    createdAt: isoDateTime(r.created_at),
  }));
}

/** The person's next review as the caseload reads it: the latest conversation's, else the plan's. */
export async function nextReviewOf(db: Db, scope: RecordScope): Promise<string | null> {
  const row = await db
    .selectFrom('person as p')
    .select(nextReview)
    .where('p.person_id', '=', scope.personId)
    .executeTakeFirst();
  return row?.next_review ? isoDate(row.next_review) : null;
}

/** Whether a conversation is the person's: a measure may name only one of theirs. */
export async function conversationExists(
  db: Db,
  scope: RecordScope,
  conversationId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('conversation')
    .select('conversation_id')
    .where('person_id', '=', scope.personId)
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  return row !== undefined;
}

// ——— the caseload ———

export interface CaseloadOpenRequest extends StoredRequest {
  personId: string;
  nextReview: string | null;
}

/**
 * The open requests of the people on one page of a caseload, only of those the actor's care-team
 * memberships cover (the rule that made the caseload): an index lookup per person shown, the same
 * cost whatever the population.
 */
export async function openRequestsInCaseload(
  db: Db,
  who: CareStaffIds,
  teams: number,
  personIds: readonly string[],
): Promise<CaseloadOpenRequest[]> {
  if (personIds.length === 0) return [];
  const visible = careTeamMemberships(db, who, teams)
    .select('m.person_id')
    .where('m.person_id', 'in', [...personIds]);
  const rows = await db
    .selectFrom('measure_request as r')
    .innerJoin('person as p', 'p.person_id', 'r.person_id')
    .select([...requestColumns, 'r.person_id', nextReview])
    .where('r.person_id', 'in', [...personIds])
    .where('r.status', '=', 'open')
    .where('r.person_id', 'in', visible)
    .execute();
  return rows.map((r) => ({
    ...requestOf(r),
    personId: r.person_id,
    nextReview: r.next_review ? isoDate(r.next_review) : null,
  }));
}

/** A completed measure as stored, with the version of the questionnaire it answers (for /fhir). */
export interface StoredResponse {
  responseId: string;
  questionnaireId: string;
  questionnaireUrl: string;
  questionnaireVersion: number;
  status: QuestionnaireResponse['status'];
  resource: QuestionnaireResponse;
  authoredOn: string;
  recordedAt: Date;
  recordedByUserId: string;
  completedBy: CompletedBy;
}

/** Every response of the person, entered in error too, oldest first. */
export async function responsesOf(db: Db, scope: RecordScope): Promise<StoredResponse[]> {
  return (await responsesOfEach(db, [scope])).get(scope.personId) ?? [];
}

/**
 * Every response of each of these people, each person's as `responsesOf` gives them, in one
 * statement (bulk export); people with none are left out.
 */
export async function responsesOfEach(
  db: Db,
  scopes: readonly RecordScope[],
): Promise<Map<string, StoredResponse[]>> {
  if (scopes.length === 0) return new Map();
  const rows = await db
    .selectFrom('questionnaire_response as r')
    .innerJoin('questionnaire as q', 'q.questionnaire_id', 'r.questionnaire_id')
    .select([
      'r.person_id',
      'r.response_id',
      'r.questionnaire_id',
      'q.url',
      'q.version',
      'r.status',
      'r.resource',
      'r.authored_on',
      'r.recorded_at',
      'r.recorded_by_user_id',
      'r.completed_by',
    ])
    .where('r.person_id', 'in', personIdsOf(scopes))
    .orderBy('r.authored_on')
    .orderBy('r.recorded_at')
    .orderBy('r.response_id')
    .execute();
  return byPerson(
    rows,
    (r) => r.person_id,
    (r): StoredResponse => ({
      responseId: r.response_id,
      questionnaireId: r.questionnaire_id,
      questionnaireUrl: r.url,
      questionnaireVersion: r.version,
      status: r.status as QuestionnaireResponse['status'],
      resource: r.resource as QuestionnaireResponse,
      authoredOn: isoDate(r.authored_on),
      recordedAt: r.recorded_at,
      recordedByUserId: r.recorded_by_user_id,
      completedBy: r.completed_by as CompletedBy,
    }),
  );
}
