import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * The individual level: people's circles and care teams, outcomes frameworks, good conversations,
 * personal outcomes with ratings from several viewpoints, GAS goals, and the versioned care and
 * support plan. Every person-owned table carries person_id first in its primary key, and its
 * foreign keys to other person-owned tables include person_id (Citus co-location; docs/SCALING.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`alter table person
      add column preferred_name text,
      add column phone text,
      add column email text,
      add column preferred_contact_method text,
      add column communication_needs text,
      add column address text`,

    // Reference tables: a framework version never changes once records are coded with it.
    sql`create table outcome_framework (
      framework_id uuid primary key,
      key text not null check (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      version integer not null check (version >= 1),
      name text not null,
      description text not null default '',
      rating_labels jsonb not null,
      is_default boolean not null default false,
      created_at timestamptz not null default now(),
      unique (key, version)
    )`,
    sql`create table outcome_domain (
      domain_id uuid primary key,
      framework_id uuid not null references outcome_framework (framework_id),
      code text not null,
      name text not null,
      description text not null default '',
      category text not null,
      sort_order integer not null,
      unique (framework_id, code)
    )`,

    sql`create table relationship (
      person_id uuid not null references person (person_id),
      relationship_id uuid not null,
      name text not null check (length(name) between 1 and 200),
      relationship_type text not null,
      is_carer boolean not null default false,
      contact text,
      carer_user_id uuid,
      may_view boolean not null default false,
      may_contribute boolean not null default false,
      created_at timestamptz not null default now(),
      primary key (person_id, relationship_id)
    )`,
    sql`create index relationship_carer_user_idx on relationship (carer_user_id) where carer_user_id is not null`,

    sql`create table care_team_member (
      person_id uuid not null references person (person_id),
      member_id uuid not null,
      organisation_id uuid not null references organisation (organisation_id),
      team_id uuid,
      user_id uuid,
      support_kind text not null,
      role_description text not null default '',
      is_key_worker boolean not null default false,
      start_date date not null default current_date,
      end_date date,
      primary key (person_id, member_id),
      foreign key (team_id, organisation_id) references team (team_id, organisation_id)
    )`,
    sql`create index care_team_member_team_idx on care_team_member (team_id) where end_date is null`,
    sql`create index care_team_member_user_idx on care_team_member (user_id) where end_date is null`,

    sql`create table conversation (
      person_id uuid not null references person (person_id),
      conversation_id uuid not null,
      kind text not null check (kind in ('first', 'review', 'other')),
      held_on date not null,
      summary text not null default '',
      what_helped text not null default '',
      what_got_in_the_way text not null default '',
      next_review_date date,
      recorded_by_user_id uuid not null,
      recorded_at timestamptz not null default now(),
      primary key (person_id, conversation_id)
    )`,
    sql`create table conversation_participant (
      person_id uuid not null,
      conversation_id uuid not null,
      participant_id uuid not null,
      kind text not null check (kind in ('person', 'carer', 'practitioner', 'other')),
      name text not null,
      user_id uuid,
      organisation_id uuid references organisation (organisation_id),
      role text not null default '',
      primary key (person_id, conversation_id, participant_id),
      foreign key (person_id, conversation_id) references conversation (person_id, conversation_id)
    )`,

    sql`create table personal_outcome (
      person_id uuid not null references person (person_id),
      outcome_id uuid not null,
      framework_id uuid not null references outcome_framework (framework_id),
      statement text not null check (length(statement) between 1 and 2000),
      why_it_matters text not null default '',
      importance smallint check (importance between 1 and 10),
      status text not null default 'active' check (status in ('active', 'achieved', 'no-longer-relevant')),
      added_by text not null check (added_by in ('person', 'carer', 'practitioner')),
      conversation_id uuid,
      created_by_user_id uuid not null,
      created_at timestamptz not null default now(),
      primary key (person_id, outcome_id),
      foreign key (person_id, conversation_id) references conversation (person_id, conversation_id)
    )`,
    sql`create table personal_outcome_domain (
      person_id uuid not null,
      outcome_id uuid not null,
      domain_id uuid not null references outcome_domain (domain_id),
      primary key (person_id, outcome_id, domain_id),
      foreign key (person_id, outcome_id) references personal_outcome (person_id, outcome_id)
    )`,
    sql`create table outcome_rating (
      person_id uuid not null,
      rating_id uuid not null,
      outcome_id uuid not null,
      viewpoint text not null check (viewpoint in ('person', 'practitioner', 'carer')),
      score smallint not null check (score between 1 and 10),
      note text not null default '',
      conversation_id uuid,
      rated_by_user_id uuid not null,
      rated_at timestamptz not null default now(),
      primary key (person_id, rating_id),
      foreign key (person_id, outcome_id) references personal_outcome (person_id, outcome_id),
      foreign key (person_id, conversation_id) references conversation (person_id, conversation_id)
    )`,
    sql`create index outcome_rating_outcome_idx on outcome_rating (person_id, outcome_id, rated_at)`,

    sql`create table gas_goal (
      person_id uuid not null,
      goal_id uuid not null,
      outcome_id uuid not null,
      level_minus_2 text not null,
      level_minus_1 text not null,
      level_0 text not null,
      level_plus_1 text not null,
      level_plus_2 text not null,
      baseline_level smallint not null check (baseline_level in (-2, -1)),
      importance smallint check (importance between 0 and 3),
      difficulty smallint check (difficulty between 0 and 3),
      weight numeric not null check (weight >= 0),
      created_by_user_id uuid not null,
      created_at timestamptz not null default now(),
      primary key (person_id, goal_id),
      unique (person_id, outcome_id),
      foreign key (person_id, outcome_id) references personal_outcome (person_id, outcome_id)
    )`,
    sql`create table gas_attainment (
      person_id uuid not null,
      attainment_id uuid not null,
      goal_id uuid not null,
      level smallint not null check (level between -2 and 2),
      conversation_id uuid,
      recorded_by_user_id uuid not null,
      recorded_at timestamptz not null default now(),
      primary key (person_id, attainment_id),
      foreign key (person_id, goal_id) references gas_goal (person_id, goal_id),
      foreign key (person_id, conversation_id) references conversation (person_id, conversation_id)
    )`,

    // Each change to the plan is a new row: earlier versions stay readable and comparable.
    sql`create table care_plan_version (
      person_id uuid not null references person (person_id),
      version integer not null check (version >= 1),
      content jsonb not null,
      planned_review_date date,
      change_summary text not null default '',
      created_by_user_id uuid not null,
      created_at timestamptz not null default now(),
      primary key (person_id, version)
    )`,
    sql`create table plan_comment (
      person_id uuid not null,
      comment_id uuid not null,
      version integer not null,
      body text not null check (length(body) between 1 and 4000),
      author_user_id uuid not null,
      author_viewpoint text not null check (author_viewpoint in ('person', 'carer', 'practitioner')),
      created_at timestamptz not null default now(),
      primary key (person_id, comment_id),
      foreign key (person_id, version) references care_plan_version (person_id, version)
    )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`drop table plan_comment, care_plan_version, gas_attainment, gas_goal, outcome_rating,
      personal_outcome_domain, personal_outcome, conversation_participant, conversation,
      care_team_member, relationship, outcome_domain, outcome_framework`,
    sql`alter table person drop column preferred_name, drop column phone, drop column email,
      drop column preferred_contact_method, drop column communication_needs, drop column address`,
  ]);
}
