import { type Kysely, sql } from 'kysely';
import { IMPROVEMENTS, PERIODICITIES } from '../../domain/indicators/definition.js';
import { INDICATOR_LIBRARY } from '../../domain/indicators/library.js';
import { executeStatements } from './execute-statements.js';

const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));

/**
 * Indicator definitions as data (issue 10): the shipped library, seeded here as version 1 of each
 * key, and those commissioners and analysts define in pages. A definition is never changed: a new
 * one with a key in use is that key's next version, so a figure can always say which definition
 * made it. Reference data, not about any person: under Citus a reference table (docs/SCALING.md).
 * Which sources, breakdowns and filters are valid is the domain's rule (domain/indicators/), checked
 * by the service, not by constraints that would need a migration for every new source.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create table indicator_definition (
      key text not null,
      version integer not null check (version >= 1),
      name text not null,
      description text not null default '',
      source text not null,
      filters jsonb not null default '{}',
      improvement text not null check (improvement in (${list(IMPROVEMENTS)})),
      target double precision,
      breakdowns jsonb not null default '[]',
      periodicity text not null check (periodicity in (${list(PERIODICITIES)})),
      created_by_user_id uuid references user_account (user_id),
      created_at timestamptz not null default now(),
      retired_at timestamptz,
      primary key (key, version)
    )`,
    ...INDICATOR_LIBRARY.map(libraryDefinitionInsert),
  ]);
}

/**
 * A shipped library definition as version 1 of its key, unless that key's version 1 is there
 * already (a later migration seeding a subject's definitions into a database made before them).
 */
export function libraryDefinitionInsert(d: (typeof INDICATOR_LIBRARY)[number]) {
  return sql`insert into indicator_definition
    (key, version, name, description, source, filters, improvement, target, breakdowns, periodicity)
    values (${d.key}, 1, ${d.name}, ${d.description}, ${d.source}, ${JSON.stringify(d.filters)}::jsonb,
      ${d.improvement}, ${d.target}, ${JSON.stringify(d.breakdowns)}::jsonb, ${d.periodicity})
    on conflict (key, version) do nothing`;
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [sql`drop table indicator_definition`]);
}
