import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * Organisations, teams, people, users with roles, sessions, audit.
 *
 * Citus-ready: `person` and every later person-owned table carry `person_id` in their primary,
 * unique and foreign keys (see docs/SCALING.md). Organisations, teams, users and reference data are
 * reference tables. `person_nhs_number` is the global uniqueness index for NHS numbers, distributed by
 * its own key, because a distributed table cannot hold a unique key without its distribution column.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`
  create table organisation (
        organisation_id uuid primary key,
        kind text not null check (kind in ('nhs-trust', 'gp-practice', 'council-adult-social-care',
          'housing-association', 'voluntary-community', 'commissioner')),
        name text not null check (length(name) between 1 and 200),
        ods_code text unique,
        created_at timestamptz not null default now()
      )
    `,
    sql`
  create table team (
        team_id uuid primary key,
        organisation_id uuid not null references organisation (organisation_id),
        name text not null check (length(name) between 1 and 200),
        created_at timestamptz not null default now(),
        unique (organisation_id, name),
        -- Lets user_role insist that a role's team belongs to the role's organisation.
        unique (team_id, organisation_id)
      )
    `,
    sql`
  create table area_deprivation (
        postcode_sector text primary key,
        deprivation_decile smallint not null check (deprivation_decile between 1 and 10),
        source text not null
      )
    `,
    sql`
  create table person (
        person_id uuid primary key,
        nhs_number char(10) check (nhs_number ~ '^[0-9]{10}$'),
        given_name text not null,
        family_name text not null,
        date_of_birth date,
        sex text not null check (sex in ('female', 'male', 'other', 'unknown')),
        gender text,
        ethnic_category char(1) check (ethnic_category in
          ('A','B','C','D','E','F','G','H','J','K','L','M','N','P','R','S','Z')),
        postcode text,
        deprivation_decile smallint check (deprivation_decile between 1 and 10),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )
    `,
    sql`
  create index person_family_name_idx on person (lower(family_name), lower(given_name))
    `,
    sql`
  create table person_nhs_number (
        nhs_number char(10) primary key,
        person_id uuid not null
      )
    `,
    sql`
  create table user_account (
        user_id uuid primary key,
        username text not null unique check (length(username) between 3 and 254 and username = lower(username)),
        display_name text not null,
        job_title text,
        password_hash text,
        person_id uuid,
        failed_sign_ins integer not null default 0,
        locked_until timestamptz,
        disabled_at timestamptz,
        created_at timestamptz not null default now()
      )
    `,
    sql`
  create table user_role (
        user_role_id uuid primary key,
        user_id uuid not null references user_account (user_id) on delete cascade,
        role text not null check (role in ('person', 'carer', 'practitioner', 'team-manager',
          'commissioner', 'analyst', 'admin')),
        organisation_id uuid references organisation (organisation_id),
        team_id uuid,
        unique nulls not distinct (user_id, role, organisation_id, team_id),
        foreign key (team_id, organisation_id) references team (team_id, organisation_id),
        check (team_id is null or organisation_id is not null)
      )
    `,
    sql`
  create index user_role_team_idx on user_role (team_id)
    `,
    sql`
  create table user_session (
        session_hash text primary key,
        user_id uuid not null references user_account (user_id) on delete cascade,
        created_at timestamptz not null default now(),
        last_seen_at timestamptz not null,
        expires_at timestamptz not null,
        ip text,
        user_agent text
      )
    `,
    sql`
  create index user_session_user_idx on user_session (user_id)
    `,
    sql`
  create table audit_event (
        audit_id bigint generated always as identity primary key,
        occurred_at timestamptz not null default now(),
        actor_user_id uuid,
        actor_role text,
        action text not null,
        resource_type text not null,
        resource_id text,
        person_id uuid,
        purpose text,
        ip text,
        outcome text not null,
        previous_hash text not null,
        hash text not null
      )
    `,
    sql`
  create index audit_event_person_idx on audit_event (person_id, occurred_at)
    `,
    sql`
  create table app_meta (
        key text primary key,
        value jsonb not null
      )
    `,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table app_meta, audit_event, user_session, user_role, user_account,
      person_nhs_number, person, area_deprivation, team, organisation;
  `.execute(db);
}
