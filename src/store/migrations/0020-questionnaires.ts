import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * The questionnaire library (issue 11): every FHIR Questionnaire a measure can be administered
 * with — the built-in instruments and those an administrator imports — stored whole as imported
 * (`resource`), with the import's list of what the engine does not support (`unsupported`).
 * Reference data about no person: under Citus a reference table, copied to every node
 * (docs/SCALING.md), so responses and scores join it locally.
 *
 * `url` is the Questionnaire's canonical url (a `urn:uuid:` one is given to an import without
 * one); `version` counts this library's versions of that url from 1, and a version is never
 * changed: importing the same url again adds the next version. `instrument_key` names the built-in
 * instrument a row is a version of (its scoring is the domain's, whatever the row's wording), null
 * for a Questionnaire scored by its own expressions. `imported_by_user_id` is null for the
 * versions the product ships; the service puts the built-ins in at every start, as it does the
 * shipped outcomes frameworks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create table questionnaire (
      questionnaire_id uuid primary key,
      url text not null,
      version integer not null check (version >= 1),
      title text not null,
      instrument_key text,
      resource jsonb not null,
      unsupported jsonb not null default '[]'::jsonb,
      status text not null default 'active' check (status in ('active', 'retired')),
      imported_by_user_id uuid references user_account (user_id),
      imported_at timestamptz not null default now(),
      unique (url, version)
    )`,
    sql`create index questionnaire_instrument_idx on questionnaire (instrument_key, version) where instrument_key is not null`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [sql`drop table questionnaire`]);
}
