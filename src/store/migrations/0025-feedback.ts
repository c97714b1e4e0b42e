import { type Kysely, sql } from 'kysely';
import {
  FEEDBACK_AGE_BANDS,
  FEEDBACK_CHANNELS,
  FEEDBACK_WRITERS,
  FFT_ANSWERS,
} from '../../domain/feedback/vocabulary.js';
import { executeStatements } from './execute-statements.js';

const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));

/**
 * Care-experience feedback (issue 12, giving feedback). `feedback_service` gives each service (a
 * team, or an organisation as a whole) its public key, the one in its form's link and QR code.
 * `feedback` holds each story: not person-owned (no one is identified), so under Citus it is a
 * plain local table of the coordinator, like the directory.
 *
 * Stored once: an online submission carries the one-time token its form was given
 * (`submission_token`, unique), and an imported row its source id, unique within its service.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create table feedback_service (
      service_key text primary key,
      organisation_id uuid not null references organisation (organisation_id),
      team_id uuid references team (team_id),
      created_at timestamptz not null default now()
    )`,
    sql`create unique index feedback_service_team_idx on feedback_service (team_id) where team_id is not null`,
    sql`create unique index feedback_service_organisation_idx on feedback_service (organisation_id)
      where team_id is null`,
    sql`create table feedback (
      feedback_id uuid primary key,
      service_key text not null references feedback_service (service_key),
      fft text not null check (fft in (${list(FFT_ANSWERS)})),
      what_was_good text not null default '',
      what_could_be_better text not null default '',
      writer text check (writer in (${list(FEEDBACK_WRITERS)})),
      age_band text check (age_band in (${list(FEEDBACK_AGE_BANDS)})),
      consent_to_publish boolean not null,
      channel text not null check (channel in (${list(FEEDBACK_CHANNELS)})),
      received_on date not null,
      submission_token uuid unique,
      source_id text,
      entered_by_user_id uuid references user_account (user_id),
      created_at timestamptz not null default now(),
      unique (service_key, source_id)
    )`,
    sql`create index feedback_service_newest_idx on feedback (service_key, created_at desc, feedback_id desc)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [sql`drop table feedback`, sql`drop table feedback_service`]);
}
