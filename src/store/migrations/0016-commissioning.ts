import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import {
  EXAMPLE_PUBLISHED_AT,
  EXAMPLE_PUBLISHER,
  LONG_TERM_CONDITIONS_FRAMEWORK,
} from '../../domain/commissioning/long-term-conditions.js';
import { STAKEHOLDER_GROUPS } from '../../domain/commissioning/stakeholders.js';
import { executeStatements } from './execute-statements.js';

/**
 * Commissioning (issue 10): outcomes frameworks (overarching outcomes → I statements → indicator
 * keys, with who shaped each version) and contracts between commissioners and providers (teams,
 * a period, indicators with targets). All reference data, about organisations and never about a
 * person: under Citus they are reference tables, copied to every node (docs/SCALING.md), so a
 * dashboard joins them to the distributed rollups locally.
 *
 * A framework version is never changed: each edit inserts a new version (key, version), and the
 * newest version of a key is the current one. Indicator keys are text references to the indicator
 * library, not foreign keys: library indicators are data that a later version may retire, and a
 * published framework must keep saying what it said.
 *
 * The shipped example framework for people with long-term conditions is seeded here.
 */
const groups = sql.join(STAKEHOLDER_GROUPS.map((g) => sql.lit(g)));

export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create table commissioning_framework (
      framework_id uuid primary key,
      key text not null,
      version integer not null check (version >= 1),
      name text not null,
      description text not null default '',
      outcomes_framework_key text not null,
      change_summary text not null default '',
      published_by_user_id uuid references user_account (user_id),
      published_by text not null,
      published_at timestamptz not null default now(),
      unique (key, version)
    )`,
    sql`create table commissioning_outcome (
      framework_id uuid not null references commissioning_framework (framework_id) on delete cascade,
      code text not null,
      statement text not null,
      sort_order integer not null,
      primary key (framework_id, code)
    )`,
    sql`create table commissioning_i_statement (
      framework_id uuid not null,
      code text not null,
      outcome_code text not null,
      text text not null,
      domain_codes text[] not null default '{}',
      indicator_keys text[] not null default '{}',
      sort_order integer not null,
      primary key (framework_id, code),
      foreign key (framework_id, outcome_code)
        references commissioning_outcome (framework_id, code) on delete cascade
    )`,
    // Which frameworks measure an indicator: a contract's dashboard names the I statements behind it.
    sql`create index commissioning_i_statement_indicator_idx on commissioning_i_statement using gin (indicator_keys)`,
    sql`create table commissioning_involvement (
      framework_id uuid not null references commissioning_framework (framework_id) on delete cascade,
      sort_order integer not null,
      stakeholder_group text not null check (stakeholder_group in (${groups})),
      how text not null,
      involved_on date not null,
      primary key (framework_id, sort_order)
    )`,
    sql`create table contract (
      contract_id uuid primary key,
      title text not null,
      commissioner_organisation_id uuid not null references organisation (organisation_id),
      provider_organisation_id uuid not null references organisation (organisation_id),
      framework_key text,
      starts_on date not null,
      ends_on date not null,
      risk_gain_share text not null default '',
      created_by_user_id uuid references user_account (user_id),
      created_at timestamptz not null default now(),
      updated_by_user_id uuid references user_account (user_id),
      updated_at timestamptz not null default now(),
      check (ends_on > starts_on),
      check (provider_organisation_id <> commissioner_organisation_id)
    )`,
    sql`create index contract_provider_idx on contract (provider_organisation_id)`,
    sql`create index contract_commissioner_idx on contract (commissioner_organisation_id)`,
    sql`create table contract_team (
      contract_id uuid not null references contract (contract_id) on delete cascade,
      team_id uuid not null references team (team_id),
      primary key (contract_id, team_id)
    )`,
    sql`create index contract_team_team_idx on contract_team (team_id)`,
    sql`create table contract_indicator (
      contract_id uuid not null references contract (contract_id) on delete cascade,
      indicator_key text not null,
      target double precision not null,
      sort_order integer not null,
      primary key (contract_id, indicator_key)
    )`,
  ]);
  await seedExample(db);
}

async function seedExample(db: Kysely<unknown>): Promise<void> {
  const f = LONG_TERM_CONDITIONS_FRAMEWORK;
  const frameworkId = randomUUID();
  const statements = [
    sql`insert into commissioning_framework
      (framework_id, key, version, name, description, outcomes_framework_key, change_summary, published_by, published_at)
      values (${frameworkId}, ${f.key}, 1, ${f.name}, ${f.description}, ${f.outcomesFrameworkKey},
        ${f.changeSummary}, ${EXAMPLE_PUBLISHER}, ${EXAMPLE_PUBLISHED_AT})`,
  ];
  f.outcomes.forEach((outcome, o) => {
    statements.push(sql`insert into commissioning_outcome (framework_id, code, statement, sort_order)
      values (${frameworkId}, ${outcome.code}, ${outcome.statement}, ${o})`);
    outcome.iStatements.forEach((s, i) => {
      statements.push(sql`insert into commissioning_i_statement
        (framework_id, code, outcome_code, text, domain_codes, indicator_keys, sort_order)
        values (${frameworkId}, ${s.code}, ${outcome.code}, ${s.text},
          ${sql.val(s.domainCodes)}::text[], ${sql.val(s.indicatorKeys)}::text[], ${i})`);
    });
  });
  f.shapedBy.forEach((involvement, i) => {
    statements.push(sql`insert into commissioning_involvement
      (framework_id, sort_order, stakeholder_group, how, involved_on)
      values (${frameworkId}, ${i}, ${involvement.group}, ${involvement.how}, ${involvement.on})`);
  });
  await executeStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`drop table contract_indicator`,
    sql`drop table contract_team`,
    sql`drop table contract`,
    sql`drop table commissioning_involvement`,
    sql`drop table commissioning_i_statement`,
    sql`drop table commissioning_outcome`,
    sql`drop table commissioning_framework`,
  ]);
}
