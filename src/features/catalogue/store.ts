import { randomUUID } from 'node:crypto';
import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type { AggregateScope } from '../../domain/aggregate-access.js';
import type {
  CatalogueEntryDefinition,
  CatalogueKind,
  CatalogueLevel,
  LifeArea,
  ProductLinkKind,
  Respondent,
} from '../../domain/measures/catalogue.js';
import { type EvidenceKey, evidenceId } from '../../domain/measures/catalogue-gaps.js';
import type { DB } from '../../store/schema.js';

/** The catalogue feature's queries: reference data, and counts over what is collected (never rows about a person). */

export interface StoredEntry extends CatalogueEntryDefinition {
  entryId: string;
  shipped: boolean;
  updatedAt: Date;
}

/** The one row mapper of `catalogue_entry`, with its domains. */
export function rowToEntry(
  row: Selectable<DB['catalogue_entry']>,
  domains: readonly Selectable<DB['catalogue_entry_domain']>[],
): StoredEntry {
  return {
    entryId: row.entry_id,
    key: row.key,
    name: row.name,
    kind: row.kind as CatalogueKind,
    measures: row.measures,
    levels: row.levels as CatalogueLevel[],
    lifeAreas: row.life_areas as LifeArea[],
    domains: domains.map((d) => ({ framework: d.framework, code: d.code })),
    respondents: row.respondents as Respondent[],
    validation: row.validation,
    licence: row.licence,
    sourceUrl: row.source_url,
    link: row.link_kind ? { kind: row.link_kind as ProductLinkKind, key: row.link_key } : null,
    shipped: row.shipped,
    updatedAt: row.updated_at,
  };
}

/** Every entry in the catalogue's order, with its domains. */
export async function allEntries(db: Kysely<DB>): Promise<StoredEntry[]> {
  const [rows, domains] = await Promise.all([
    db.selectFrom('catalogue_entry').selectAll().orderBy('sort_order').orderBy('name').execute(),
    db.selectFrom('catalogue_entry_domain').selectAll().orderBy('framework').orderBy('code').execute(),
  ]);
  const byEntry = new Map<string, Selectable<DB['catalogue_entry_domain']>[]>();
  for (const d of domains) byEntry.set(d.entry_id, [...(byEntry.get(d.entry_id) ?? []), d]);
  return rows.map((r) => rowToEntry(r, byEntry.get(r.entry_id) ?? []));
}

export async function entryById(db: Kysely<DB>, entryId: string): Promise<StoredEntry | undefined> {
  const row = await db
    .selectFrom('catalogue_entry')
    .selectAll()
    .where('entry_id', '=', entryId)
    .executeTakeFirst();
  if (!row) return undefined;
  const domains = await db
    .selectFrom('catalogue_entry_domain')
    .selectAll()
    .where('entry_id', '=', entryId)
    .orderBy('framework')
    .orderBy('code')
    .execute();
  return rowToEntry(row, domains);
}

/** The entry that has this key, if any. */
export async function entryIdWithKey(db: Kysely<DB>, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('catalogue_entry')
    .select('entry_id')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.entry_id;
}

const entryColumns = (e: CatalogueEntryDefinition) => ({
  key: e.key,
  name: e.name,
  kind: e.kind,
  measures: e.measures,
  levels: sql<string[]>`${sql.val(e.levels)}::text[]`,
  life_areas: sql<string[]>`${sql.val(e.lifeAreas)}::text[]`,
  respondents: sql<string[]>`${sql.val(e.respondents)}::text[]`,
  validation: e.validation,
  licence: e.licence,
  source_url: e.sourceUrl,
  link_kind: e.link?.kind ?? null,
  link_key: e.link?.key ?? null,
});

async function replaceDomains(db: Kysely<DB>, entryId: string, e: CatalogueEntryDefinition): Promise<void> {
  await db.deleteFrom('catalogue_entry_domain').where('entry_id', '=', entryId).execute();
  if (e.domains.length) {
    await db
      .insertInto('catalogue_entry_domain')
      .values(e.domains.map((d) => ({ entry_id: entryId, framework: d.framework, code: d.code })))
      .execute();
  }
}

/** Adds an entry at the end of the catalogue; returns its id. */
export async function insertEntry(
  db: Kysely<DB>,
  e: CatalogueEntryDefinition,
  userId: string,
): Promise<string> {
  const entryId = randomUUID();
  const last = await db
    .selectFrom('catalogue_entry')
    .select((eb) => eb.fn.max('sort_order').as('last'))
    .executeTakeFirst();
  await db
    .insertInto('catalogue_entry')
    .values({
      entry_id: entryId,
      ...entryColumns(e),
      shipped: false,
      sort_order: Number(last?.last ?? -1) + 1,
      updated_by_user_id: userId,
    })
    .execute();
  await replaceDomains(db, entryId, e);
  return entryId;
}

export async function updateEntry(
  db: Kysely<DB>,
  entryId: string,
  e: CatalogueEntryDefinition,
  userId: string,
): Promise<void> {
  await db
    .updateTable('catalogue_entry')
    .set({ ...entryColumns(e), updated_at: sql<Date>`now()`, updated_by_user_id: userId })
    .where('entry_id', '=', entryId)
    .execute();
  await replaceDomains(db, entryId, e);
}

const uuidList = (ids: readonly string[]) => sql.join(ids.map((id) => sql`${id}::uuid`));
const inList = (column: RawBuilder<unknown>, ids: readonly string[]) =>
  ids.length ? sql`${column} in (${uuidList(ids)})` : sql`false`;

/**
 * The counts the gap analysis asked for, over the period from `since` and the units in `scope`,
 * keyed by `evidenceId`. Two queries, whatever the population:
 *
 * - rollup evidence: one GROUP BY over `indicator_rollup` (measure, viewpoint, and the 'all' and
 *   'domain' cells), whose primary key (measure, period_month, …) bounds the scan; each key's count
 *   is then summed from those few rows;
 * - instrument evidence: completed measures (distinct responses) per instrument, from
 *   `measure_score_instrument_idx` (instrument, observed_on) alone across the region; within units,
 *   from their people's scores, the people found by their lead team as the rollup finds them.
 */
export async function evidenceCounts(
  db: Kysely<DB>,
  keys: readonly EvidenceKey[],
  since: string,
  scope: AggregateScope,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const rollupKeys = keys.filter(
    (k): k is Extract<EvidenceKey, { source: 'rollup' }> => k.source === 'rollup',
  );
  const instruments = [...new Set(keys.flatMap((k) => (k.source === 'instrument' ? [k.instrument] : [])))];
  const measures = [...new Set(rollupKeys.map((k) => k.measure))];

  const rollupRows = measures.length
    ? (
        await sql<{ measure: string; viewpoint: string; dim: string; dim_value: string; n: string | number }>`
          select measure, viewpoint, dim, dim_value, sum(denominator) as n
          from indicator_rollup
          where measure in (${sql.join(measures)})
            and period_month >= ${since}::date
            and dim in ('all', 'domain')
            ${scope.kind === 'units' ? sql`and (${inList(sql.ref('organisation_id'), scope.organisationIds)} or ${inList(sql.ref('team_id'), scope.teamIds)})` : sql``}
          group by 1, 2, 3, 4`.execute(db)
      ).rows
    : [];
  for (const k of rollupKeys) {
    const n = rollupRows
      .filter(
        (r) =>
          r.measure === k.measure &&
          (k.viewpoint === null || r.viewpoint === k.viewpoint) &&
          (k.domainCode === null ? r.dim === 'all' : r.dim === 'domain' && r.dim_value === k.domainCode),
      )
      .reduce((sum, r) => sum + Number(r.n), 0);
    counts.set(evidenceId(k), n);
  }

  if (instruments.length) {
    const rows =
      scope.kind === 'region'
        ? await sql<{ instrument: string; n: string | number }>`
            select instrument, count(distinct response_id) as n
            from measure_score
            where instrument in (${sql.join(instruments)}) and observed_on >= ${since}::date
            group by instrument`.execute(db)
        : await sql<{ instrument: string; n: string | number }>`
            select m.instrument, count(distinct m.response_id) as n
            from person p
            left join team t on t.team_id = p.lead_team_id
            join measure_score m on m.person_id = p.person_id
            where m.instrument in (${sql.join(instruments)}) and m.observed_on >= ${since}::date
              and (${inList(sql.ref('t.organisation_id'), scope.organisationIds)}
                or ${inList(sql.ref('p.lead_team_id'), scope.teamIds)})
            group by m.instrument`.execute(db);
    const byInstrument = new Map(rows.rows.map((r) => [r.instrument, Number(r.n)]));
    for (const instrument of instruments) {
      counts.set(evidenceId({ source: 'instrument', instrument }), byInstrument.get(instrument) ?? 0);
    }
  }
  return counts;
}

export interface FrameworkNames {
  name: string;
  /** Domain (or I statement) names by code, over every version: the newest version's words. */
  domains: Map<string, string>;
}

/**
 * Every framework an entry can be mapped to, by `outcomes:<key>` / `commissioning:<key>`, with the
 * names of its domains (a personal outcomes framework's) or I statements (a commissioning
 * framework's): the codes an entry may name, and the words to show for them. Reference data.
 */
export async function frameworkNames(db: Kysely<DB>): Promise<Map<string, FrameworkNames>> {
  const [outcomes, commissioning] = await Promise.all([
    db
      .selectFrom('outcome_domain as d')
      .innerJoin('outcome_framework as f', 'f.framework_id', 'd.framework_id')
      .select(['f.key', 'f.name as framework_name', 'd.code', 'd.name'])
      .orderBy('f.version')
      .orderBy('d.sort_order')
      .execute(),
    db
      .selectFrom('commissioning_i_statement as s')
      .innerJoin('commissioning_framework as f', 'f.framework_id', 's.framework_id')
      .innerJoin('commissioning_outcome as o', (j) =>
        j.onRef('o.framework_id', '=', 's.framework_id').onRef('o.code', '=', 's.outcome_code'),
      )
      .select(['f.key', 'f.name as framework_name', 's.code', 's.text as name'])
      .orderBy('f.version')
      .orderBy('o.sort_order')
      .orderBy('s.sort_order')
      .execute(),
  ]);
  const result = new Map<string, FrameworkNames>();
  const add = (ref: string, frameworkName: string, code: string, name: string) => {
    const found = result.get(ref) ?? { name: frameworkName, domains: new Map<string, string>() };
    found.name = frameworkName;
    found.domains.set(code, name);
    result.set(ref, found);
  };
  for (const r of outcomes) add(`outcomes:${r.key}`, r.framework_name, r.code, r.name);
  for (const r of commissioning) add(`commissioning:${r.key}`, r.framework_name, r.code, r.name);
  return result;
}

/**
 * The source and filters of the latest version of each indicator not retired: all the gap analysis
 * needs to know where an indicator's data is in the rollup (what its values are is the indicators
 * feature's business).
 */
export async function indicatorSources(
  db: Kysely<DB>,
): Promise<{ key: string; source: string; filters: Record<string, unknown> }[]> {
  const rows = await db
    .selectFrom('indicator_definition as d')
    .select(['d.key', 'd.source', 'd.filters'])
    .where('d.retired_at', 'is', null)
    .where(({ eb, selectFrom }) =>
      eb(
        'd.version',
        '=',
        selectFrom('indicator_definition as v')
          .select((v) => v.fn.max('v.version').as('version'))
          .whereRef('v.key', '=', 'd.key'),
      ),
    )
    .execute();
  return rows.map((r) => ({ key: r.key, source: r.source, filters: r.filters as Record<string, unknown> }));
}
