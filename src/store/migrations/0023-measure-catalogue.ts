import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { INDICATOR_LIBRARY } from '../../domain/indicators/library.js';
import { CATALOGUE_KINDS, PRODUCT_LINK_KINDS } from '../../domain/measures/catalogue.js';
import { shippedCatalogue } from '../../domain/measures/catalogue-seed.js';
import { INSTRUMENTS } from '../../domain/measures/instruments/index.js';
import { INSTRUMENT_KEYS } from '../../domain/measures/types.js';
import { DEFAULT_FRAMEWORKS } from '../../domain/outcome-frameworks.js';
import { executeStatements } from './execute-statements.js';

const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));

/**
 * The catalogue of measures (issue 11, "mapping what really matters"): reference data about
 * measures, metrics, indicators, tools and approaches, never about a person. Under Citus both
 * tables are reference tables (docs/SCALING.md). Each entry's domains are (framework, code) pairs:
 * `outcomes:<key>` domains or `commissioning:<key>` I statements, by key and code, which are kept
 * across versions, so they are text references and not foreign keys.
 *
 * The gap analysis counts completed measures of each built-in instrument in the last twelve months:
 * `measure_score_instrument_idx` lets that be one index-only scan however many people there are
 * (a region is 1–3 million), instead of reading every score.
 *
 * Seeded from domain/measures/catalogue-seed.ts: the built-in instruments (from INSTRUMENTS), the
 * product's own tools, the indicator library (from INDICATOR_LIBRARY) and widely used measures that
 * are not shipped.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create table catalogue_entry (
      entry_id uuid primary key,
      key text not null unique,
      name text not null,
      kind text not null check (kind in (${list(CATALOGUE_KINDS)})),
      measures text not null,
      levels text[] not null,
      life_areas text[] not null,
      respondents text[] not null,
      validation text not null default '',
      licence text not null default '',
      source_url text,
      link_kind text check (link_kind in (${list(PRODUCT_LINK_KINDS)})),
      link_key text,
      shipped boolean not null default false,
      sort_order integer not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      updated_by_user_id uuid references user_account (user_id),
      check (link_kind is not null or link_key is null)
    )`,
    sql`create table catalogue_entry_domain (
      entry_id uuid not null references catalogue_entry (entry_id) on delete cascade,
      framework text not null,
      code text not null,
      primary key (entry_id, framework, code)
    )`,
    sql`create index catalogue_entry_domain_framework_idx on catalogue_entry_domain (framework, code)`,
    sql`create index measure_score_instrument_idx on measure_score (instrument, observed_on)
      include (response_id) where instrument is not null`,
  ]);
  const instruments = INSTRUMENT_KEYS.map((key) => INSTRUMENTS[key]);
  const entries = shippedCatalogue(instruments, INDICATOR_LIBRARY, DEFAULT_FRAMEWORKS);
  const statements = entries.flatMap((e, i) => {
    const entryId = randomUUID();
    return [
      sql`insert into catalogue_entry (entry_id, key, name, kind, measures, levels, life_areas, respondents,
          validation, licence, source_url, link_kind, link_key, shipped, sort_order)
        values (${entryId}, ${e.key}, ${e.name}, ${e.kind}, ${e.measures}, ${sql.val(e.levels)}::text[],
          ${sql.val(e.lifeAreas)}::text[], ${sql.val(e.respondents)}::text[], ${e.validation}, ${e.licence},
          ${e.sourceUrl}, ${e.link?.kind ?? null}, ${e.link?.key ?? null}, true, ${i})`,
      ...e.domains.map(
        (d) => sql`insert into catalogue_entry_domain (entry_id, framework, code)
          values (${entryId}, ${d.framework}, ${d.code})`,
      ),
    ];
  });
  await executeStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`drop index measure_score_instrument_idx`,
    sql`drop table catalogue_entry_domain`,
    sql`drop table catalogue_entry`,
  ]);
}
