import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type { AggregateScope } from '../../domain/aggregate-access.js';
import type { RollupDim } from '../../domain/indicators/breakdowns.js';
import type { IndicatorDefinition } from '../../domain/indicators/definition.js';
import type { RollupSums } from '../../domain/indicators/value.js';
import type { DB } from '../../store/schema.js';

/**
 * The indicators feature's queries. Definitions are reference data; values are read from
 * `indicator_rollup` alone (migration 0014: partial sums kept with every write), one GROUP BY per
 * figure, so a dashboard never scans people's records.
 */

export type DefinitionRow = Selectable<DB['indicator_definition']>;

/** The latest version of every indicator that is not retired, by name. */
export async function latestDefinitions(db: Kysely<DB>): Promise<DefinitionRow[]> {
  const rows = await db
    .selectFrom('indicator_definition as d')
    .selectAll('d')
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
    .orderBy('d.name')
    .execute();
  return rows;
}

/** The latest version of one indicator, retired or not; undefined when there is none. */
export async function latestDefinition(db: Kysely<DB>, key: string): Promise<DefinitionRow | undefined> {
  return db
    .selectFrom('indicator_definition')
    .selectAll()
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function latestVersion(db: Kysely<DB>, key: string): Promise<number> {
  const row = await db
    .selectFrom('indicator_definition')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

export async function insertDefinition(
  db: Kysely<DB>,
  definition: IndicatorDefinition,
  version: number,
  createdByUserId: string,
): Promise<void> {
  await db
    .insertInto('indicator_definition')
    .values({
      key: definition.key,
      version,
      name: definition.name,
      description: definition.description,
      source: definition.source,
      filters: JSON.stringify(definition.filters),
      improvement: definition.improvement,
      target: definition.target,
      breakdowns: JSON.stringify(definition.breakdowns),
      periodicity: definition.periodicity,
      created_by_user_id: createdByUserId,
    })
    .execute();
}

/**
 * Names of organisations and of the units inside them by id, and of outcome domains by code, for
 * labelling rows. The units are the rollup's team column: teams, and community resources (migration
 * 0038 keeps community facts per resource there, a unit of the organisation that runs it).
 */
export async function unitAndDomainNames(db: Kysely<DB>): Promise<{
  organisations: Map<string, string>;
  teams: Map<string, { name: string; organisationId: string }>;
  domains: Map<string, string>;
}> {
  const [organisations, teams, resources, domains] = await Promise.all([
    db.selectFrom('organisation').select(['organisation_id', 'name']).execute(),
    db.selectFrom('team').select(['team_id', 'name', 'organisation_id']).execute(),
    db.selectFrom('community_resource').select(['resource_id', 'name', 'organisation_id']).execute(),
    // A code kept across versions names the same domain; the newest framework's words are used.
    db
      .selectFrom('outcome_domain as d')
      .innerJoin('outcome_framework as f', 'f.framework_id', 'd.framework_id')
      .select(['d.code', 'd.name'])
      .orderBy('f.version', 'asc')
      .execute(),
  ]);
  return {
    organisations: new Map(organisations.map((o) => [o.organisation_id, o.name])),
    teams: new Map([
      ...teams.map((t) => [t.team_id, { name: t.name, organisationId: t.organisation_id }] as const),
      ...resources.map((r) => [r.resource_id, { name: r.name, organisationId: r.organisation_id }] as const),
    ]),
    domains: new Map(domains.map((d) => [d.code, d.name])),
  };
}

export async function domainCodeExists(db: Kysely<DB>, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('outcome_domain')
    .select('code')
    .where('code', '=', code)
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

/** What a figure groups the rollup by: a unit, a period, the viewpoint, the `dim`'s values, or nothing. */
export type RollupGrouping = 'organisation' | 'team' | 'month' | 'quarter' | 'viewpoint' | 'dim' | 'none';

export interface RollupQuery {
  measure: string;
  dim: RollupDim;
  /** Only this `dim_value` (a domain filter reads the 'domain' dim at one code). */
  dimValue?: string;
  viewpoint?: string;
  /** Whole months, YYYY-MM, both included. */
  fromMonth: string;
  toMonth: string;
  /** What the actor may see: always applied. */
  scope: AggregateScope;
  /** What the caller asked for within it: narrows, never widens. */
  organisationIds?: readonly string[];
  teamIds?: readonly string[];
  groupBy: RollupGrouping;
}

export interface RollupGroup extends RollupSums {
  key: string;
  /** The team's organisation, when grouped by team. */
  organisationId: string | null;
}

const GROUP_KEYS: Record<RollupGrouping, RawBuilder<string>> = {
  organisation: sql<string>`organisation_id::text`,
  team: sql<string>`team_id::text`,
  month: sql<string>`to_char(period_month, 'YYYY-MM')`,
  quarter: sql<string>`to_char(period_month, 'YYYY-"Q"Q')`,
  viewpoint: sql<string>`viewpoint`,
  dim: sql<string>`dim_value`,
  none: sql<string>`''`,
};

const inList = (column: RawBuilder<unknown>, ids: readonly string[]) =>
  ids.length ? sql`${column} in (${sql.join(ids.map((id) => sql`${id}::uuid`))})` : sql`false`;

const firstOfMonth = (month: string) => sql`${`${month}-01`}::date`;

/**
 * Sums of the rollup's columns, grouped one way, over a measure, a period and the units in scope:
 * one GROUP BY over `indicator_rollup`, whose primary key (measure, period_month, …) bounds the scan.
 */
export async function sumRollup(db: Kysely<DB>, q: RollupQuery): Promise<RollupGroup[]> {
  const key = GROUP_KEYS[q.groupBy];
  const conditions = [
    sql`measure = ${q.measure}`,
    sql`period_month >= ${firstOfMonth(q.fromMonth)}`,
    sql`period_month <= ${firstOfMonth(q.toMonth)}`,
    sql`dim = ${q.dim}`,
  ];
  if (q.dimValue !== undefined) conditions.push(sql`dim_value = ${q.dimValue}`);
  if (q.viewpoint !== undefined) conditions.push(sql`viewpoint = ${q.viewpoint}`);
  if (q.scope.kind === 'units') {
    conditions.push(
      sql`(${inList(sql.ref('organisation_id'), q.scope.organisationIds)} or ${inList(sql.ref('team_id'), q.scope.teamIds)})`,
    );
  }
  if (q.organisationIds) conditions.push(inList(sql.ref('organisation_id'), q.organisationIds));
  if (q.teamIds) conditions.push(inList(sql.ref('team_id'), q.teamIds));
  const withOrganisation = q.groupBy === 'team';
  const result = await sql<{
    key: string;
    organisation_id: string | null;
    denominator: string | number;
    numerator: string | number;
    value_sum: string | number;
    value_sum_sq: string | number;
    weight_sum: string | number;
  }>`select ${key} as key,
      ${withOrganisation ? sql`min(organisation_id::text)` : sql`null`} as organisation_id,
      sum(denominator) as denominator, sum(numerator) as numerator,
      sum(value_sum) as value_sum, sum(value_sum_sq) as value_sum_sq, sum(weight_sum) as weight_sum
    from indicator_rollup
    where ${sql.join(conditions, sql` and `)}
    group by 1
    order by 1`.execute(db);
  return result.rows.map((r) => ({
    key: r.key,
    organisationId: r.organisation_id,
    denominator: Number(r.denominator),
    numerator: Number(r.numerator),
    valueSum: Number(r.value_sum),
    valueSumSq: Number(r.value_sum_sq),
    weightSum: Number(r.weight_sum),
  }));
}
