import { type Kysely, sql } from 'kysely';
import {
  COMPLETED_BY,
  MEASURE_OCCASIONS,
  MEASURE_REQUEST_STATUSES,
  RESPONSE_STATUSES,
} from '../../domain/measures/measure-requests.js';
import { recordVersionTriggers } from './0005-record-versions.js';
import { executeStatements } from './execute-statements.js';

const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));

/**
 * Standard measures administered to people (issue 11): the completed questionnaires (FHIR
 * QuestionnaireResponses, stored whole), the scores each yields as observations over time, what is
 * scheduled for each person's plan (at the start, each review, the end) and the requests those
 * schedules, practitioners and "send to the person" open.
 *
 * Person-owned and Citus-ready like the rest (docs/SCALING.md): person_id first in every primary
 * and foreign key between these tables, so a person's measures live on their shard; `questionnaire`
 * (migration 0020) is a reference table. The indexes serve the two reads that matter at population
 * scale (a region is 1–3 million people): one person's scores by measure and date (their page, the
 * chart), and one person's open requests by due date (their page, their own "to fill in" list, and
 * the caseload, which looks up the open requests of the page of people it shows). A partial index
 * holds only open requests, so it stays small however many are completed.
 *
 * `measure_request.response_id` names the response that completed it without a foreign key: the
 * response already points at its request, and a key both ways would need deferred constraints.
 */
const MEASURE_TABLES = ['measure_schedule', 'measure_request', 'questionnaire_response', 'measure_score'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create table measure_schedule (
      person_id uuid not null references person (person_id),
      schedule_id uuid not null,
      questionnaire_id uuid not null references questionnaire (questionnaire_id),
      at_start boolean not null default false,
      at_review boolean not null default false,
      at_end boolean not null default false,
      created_by_user_id uuid not null,
      created_at timestamptz not null default now(),
      ended_at timestamptz,
      ended_by_user_id uuid,
      primary key (person_id, schedule_id),
      check (at_start or at_review or at_end)
    )`,
    // One schedule in force per measure per person: scheduling it again changes that one.
    sql`create unique index measure_schedule_current_idx on measure_schedule (person_id, questionnaire_id)
      where ended_at is null`,

    sql`create table measure_request (
      person_id uuid not null references person (person_id),
      request_id uuid not null,
      questionnaire_id uuid not null references questionnaire (questionnaire_id),
      schedule_id uuid,
      occasion text not null check (occasion in (${list(MEASURE_OCCASIONS)})),
      due_on date,
      not_before date,
      sent_to_person boolean not null default false,
      status text not null default 'open' check (status in (${list(MEASURE_REQUEST_STATUSES)})),
      response_id uuid,
      created_by_user_id uuid not null,
      created_at timestamptz not null default now(),
      closed_at timestamptz,
      primary key (person_id, request_id),
      foreign key (person_id, schedule_id) references measure_schedule (person_id, schedule_id),
      check (due_on is not null or occasion = 'review'),
      check ((status = 'completed') = (response_id is not null))
    )`,
    sql`create index measure_request_open_idx on measure_request (person_id, due_on)
      where status = 'open'`,

    sql`create table questionnaire_response (
      person_id uuid not null references person (person_id),
      response_id uuid not null,
      questionnaire_id uuid not null references questionnaire (questionnaire_id),
      status text not null check (status in (${list(RESPONSE_STATUSES)})),
      resource jsonb not null,
      authored_on date not null,
      recorded_at timestamptz not null default now(),
      recorded_by_user_id uuid not null,
      completed_by text not null check (completed_by in (${list(COMPLETED_BY)})),
      request_id uuid,
      conversation_id uuid,
      primary key (person_id, response_id),
      foreign key (person_id, request_id) references measure_request (person_id, request_id),
      foreign key (person_id, conversation_id) references conversation (person_id, conversation_id)
    )`,
    sql`create index questionnaire_response_person_idx
      on questionnaire_response (person_id, questionnaire_id, authored_on)`,

    sql`create table measure_score (
      person_id uuid not null,
      response_id uuid not null,
      score_key text not null,
      instrument text,
      questionnaire_id uuid not null references questionnaire (questionnaire_id),
      value double precision not null,
      band text,
      observed_on date not null,
      primary key (person_id, response_id, score_key),
      foreign key (person_id, response_id) references questionnaire_response (person_id, response_id)
    )`,
    sql`create index measure_score_person_idx on measure_score (person_id, questionnaire_id, observed_on)`,
    // Each change counts on the person's record version (migration 0005), as every person-owned table's does.
    ...MEASURE_TABLES.flatMap(recordVersionTriggers),
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`drop table measure_score, questionnaire_response, measure_request, measure_schedule`,
  ]);
}
