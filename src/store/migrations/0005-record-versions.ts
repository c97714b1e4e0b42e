import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * Versions that say when a person's record last changed, kept by the database itself, so a reader
 * can tell in one indexed lookup whether what it read before is still the record (the person
 * record cache, features/people/record-cache.ts).
 *
 * - `person.record_version` (an integer: billions of changes to one record are not expected) goes up with every insert, update or delete of a row about that
 *   person, in the same transaction as the change: statement-level triggers with transition
 *   tables, one update of each person touched per statement, whatever the rows' number.
 * - `reference_version` (one row) goes up when a name the record shows from elsewhere changes: a
 *   user's display name, an organisation, a team, a framework or a domain.
 *
 * The tables as they are at this migration: a later person-owned table adds its own triggers (a
 * test checks every person-owned table has them). Under Citus the person-owned tables are
 * co-located by person_id, and each trigger updates only the same person's row.
 */
const PERSON_CHILD_TABLES = [
  'plan_comment',
  'care_plan_version',
  'gas_attainment',
  'gas_goal',
  'outcome_rating',
  'personal_outcome_domain',
  'personal_outcome',
  'conversation_participant',
  'conversation',
  'care_team_member',
  'relationship',
  'sharing_basis',
  'break_glass_grant',
  'rectification_request',
  'erasure_request',
  'person_nhs_number',
];

const REFERENCE_TABLES = ['organisation', 'team', 'outcome_framework', 'outcome_domain'];

/** The three triggers that keep a person-owned table's changes counted on its person. */
export function recordVersionTriggers(table: string) {
  const t = sql.id(table);
  return [
    sql`create trigger ${sql.id(`${table}_version_ins`)} after insert on ${t}
      referencing new table as changed for each statement execute function wm_bump_record_version()`,
    sql`create trigger ${sql.id(`${table}_version_upd`)} after update on ${t}
      referencing new table as changed for each statement execute function wm_bump_record_version()`,
    sql`create trigger ${sql.id(`${table}_version_del`)} after delete on ${t}
      referencing old table as changed for each statement execute function wm_bump_record_version()`,
  ];
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`alter table person add column record_version integer not null default 1`,
    sql`create table reference_version (
      only_row boolean primary key default true check (only_row),
      version bigint not null default 1
    )`,
    sql`insert into reference_version default values`,
    // Rows never move between people (every person-owned key begins with person_id), so the new
    // rows of an update name the person whose record it changed.
    sql`create function wm_bump_record_version() returns trigger language plpgsql as $$
      begin
        update person set record_version = record_version + 1
          where person_id in (select distinct person_id from changed);
        return null;
      end $$`,
    sql`create function wm_bump_own_version() returns trigger language plpgsql as $$
      begin
        new.record_version := old.record_version + 1;
        return new;
      end $$`,
    sql`create function wm_bump_reference_version() returns trigger language plpgsql as $$
      begin
        update reference_version set version = version + 1;
        return null;
      end $$`,
    sql`create trigger person_version before update on person
      for each row execute function wm_bump_own_version()`,
    ...PERSON_CHILD_TABLES.flatMap(recordVersionTriggers),
    ...REFERENCE_TABLES.map(
      (table) => sql`create trigger ${sql.id(`${table}_reference_version`)}
        after insert or update or delete on ${sql.id(table)}
        for each statement execute function wm_bump_reference_version()`,
    ),
    // Signing in and sessions update other columns of a user: only a name or a removal counts.
    sql`create trigger user_account_reference_version after update of display_name or delete on user_account
      for each statement execute function wm_bump_reference_version()`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`drop trigger person_version on person`,
    ...PERSON_CHILD_TABLES.flatMap((table) =>
      ['ins', 'upd', 'del'].map(
        (event) => sql`drop trigger ${sql.id(`${table}_version_${event}`)} on ${sql.id(table)}`,
      ),
    ),
    ...[...REFERENCE_TABLES, 'user_account'].map(
      (table) => sql`drop trigger ${sql.id(`${table}_reference_version`)} on ${sql.id(table)}`,
    ),
    sql`drop function wm_bump_record_version()`,
    sql`drop function wm_bump_own_version()`,
    sql`drop function wm_bump_reference_version()`,
    sql`drop table reference_version`,
    sql`alter table person drop column record_version`,
  ]);
}
