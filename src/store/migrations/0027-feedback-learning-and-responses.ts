import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * Care-experience feedback, the rest of the loop (issue 12, items 3, 5 and 8).
 *
 * - Coding that learns: `coding_model` keeps each organisation's coder, every retrain a new version
 *   with its cross-validated evaluation, the examples it learnt from and why it was trained.
 *   `feedback_code` holds each story's theme codes (a theme id, or `theme/sub-theme`), each with
 *   the model version, confidence and the words that drove it when the coder suggested it, and its
 *   review: suggested, confirmed or rejected by staff (a code staff add is confirmed at once).
 *   The story's five-point sentiment sits on `feedback`, coded and then confirmed or corrected.
 * - A concern (one definition, here): the person answered Poor or Very poor, or the story's
 *   sentiment is negative (1 or 2). Indicators and the dashboard count concerns from this column.
 * - Responding: replies (published beside the story when it is published), the first response's
 *   time and its seconds from receipt; changes planned and made, each linked to the stories that
 *   led to it. A moderator publishes a story that has consent (`published_at`).
 * - Experience-based co-design: a service's touchpoints along its pathway, each with the words
 *   that point to it, and stories grouped by touchpoint with the same review states as codes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create table coding_model (
      organisation_id uuid not null references organisation (organisation_id),
      version integer not null check (version > 0),
      framework_id text not null,
      model jsonb not null,
      evaluation jsonb,
      examples integer not null,
      reason text not null check (reason in ('starting', 'on-demand', 'new-codes')),
      trained_by_user_id uuid references user_account (user_id),
      trained_at timestamptz not null default now(),
      primary key (organisation_id, version)
    )`,
    sql`alter table feedback add column sentiment smallint check (sentiment between 1 and 5)`,
    sql`alter table feedback add column sentiment_words jsonb not null default '[]'`,
    sql`alter table feedback add column sentiment_confirmed boolean not null default false`,
    sql`alter table feedback add column coded_model_version integer`,
    sql`alter table feedback add column codes_reviewed_at timestamptz`,
    sql`alter table feedback add column codes_reviewed_by_user_id uuid references user_account (user_id)`,
    sql`alter table feedback add column is_concern boolean generated always as
      (fft in ('poor', 'very-poor') or coalesce(sentiment, 3) <= 2) stored`,
    sql`alter table feedback add column published_at timestamptz`,
    sql`alter table feedback add column published_by_user_id uuid references user_account (user_id)`,
    sql`alter table feedback add column first_response_at timestamptz`,
    sql`alter table feedback add column seconds_to_first_response integer`,
    sql`create table feedback_code (
      feedback_id uuid not null references feedback (feedback_id) on delete cascade,
      code text not null,
      status text not null check (status in ('suggested', 'confirmed', 'rejected')),
      confidence real check (confidence between 0 and 1),
      words jsonb not null default '[]',
      model_version integer,
      reviewed_by_user_id uuid references user_account (user_id),
      reviewed_at timestamptz,
      primary key (feedback_id, code)
    )`,
    sql`create index feedback_code_code_idx on feedback_code (code, status)`,
    // The codes a story counts under (one definition for indicators, dashboard and packs): those
    // staff confirmed, and the coder's suggestions no one has rejected yet.
    sql`create view feedback_code_in_use as
      select feedback_id, code, status, confidence, words from feedback_code where status <> 'rejected'`,
    sql`create index feedback_code_reviewed_idx on feedback_code (reviewed_at) where status <> 'suggested'`,
    sql`create table feedback_reply (
      reply_id uuid primary key,
      feedback_id uuid not null references feedback (feedback_id) on delete cascade,
      body text not null,
      author_user_id uuid not null references user_account (user_id),
      created_at timestamptz not null default now()
    )`,
    sql`create index feedback_reply_story_idx on feedback_reply (feedback_id, created_at)`,
    sql`create table feedback_change (
      change_id uuid primary key,
      service_key text not null references feedback_service (service_key),
      status text not null check (status in ('planned', 'made')),
      description text not null,
      planned_on date,
      made_on date,
      check (status <> 'made' or made_on is not null),
      recorded_by_user_id uuid not null references user_account (user_id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    sql`create index feedback_change_service_idx on feedback_change (service_key, status, made_on)`,
    sql`create table feedback_change_story (
      change_id uuid not null references feedback_change (change_id) on delete cascade,
      feedback_id uuid not null references feedback (feedback_id) on delete cascade,
      primary key (change_id, feedback_id)
    )`,
    sql`create index feedback_change_story_feedback_idx on feedback_change_story (feedback_id)`,
    sql`create table feedback_touchpoint (
      touchpoint_id uuid primary key,
      service_key text not null references feedback_service (service_key),
      label text not null,
      position integer not null,
      keywords jsonb not null default '[]',
      retired_at timestamptz,
      created_at timestamptz not null default now()
    )`,
    sql`create unique index feedback_touchpoint_label_idx on feedback_touchpoint (service_key, lower(label))
      where retired_at is null`,
    sql`create table feedback_story_touchpoint (
      feedback_id uuid not null references feedback (feedback_id) on delete cascade,
      touchpoint_id uuid not null references feedback_touchpoint (touchpoint_id),
      status text not null check (status in ('suggested', 'confirmed', 'rejected')),
      confidence real check (confidence between 0 and 1),
      words jsonb not null default '[]',
      reviewed_by_user_id uuid references user_account (user_id),
      reviewed_at timestamptz,
      primary key (feedback_id, touchpoint_id)
    )`,
    sql`create index feedback_story_touchpoint_idx on feedback_story_touchpoint (touchpoint_id, status)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`drop table feedback_story_touchpoint`,
    sql`drop table feedback_touchpoint`,
    sql`drop table feedback_change_story`,
    sql`drop table feedback_change`,
    sql`drop table feedback_reply`,
    sql`drop view feedback_code_in_use`,
    sql`drop table feedback_code`,
    ...[
      'sentiment',
      'sentiment_words',
      'sentiment_confirmed',
      'coded_model_version',
      'codes_reviewed_at',
      'codes_reviewed_by_user_id',
      'is_concern',
      'published_at',
      'published_by_user_id',
      'first_response_at',
      'seconds_to_first_response',
    ].map((c) => sql`alter table feedback drop column ${sql.ref(c)}`),
    sql`drop table coding_model`,
  ]);
}
