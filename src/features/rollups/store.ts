import { type Kysely, sql, type Transaction } from 'kysely';
import { ROLLUPS_SETTING } from '../../store/migrations/0014-rollups.js';
import type { DB } from '../../store/schema.js';

/**
 * The rollup's maintenance from outside a write: rebuilding it from the facts, checking the
 * incrementally kept sums against a rebuild, and (for benchmarks only) switching the triggers off.
 * What the facts are, and how a write keeps the sums, is migration 0014's, in SQL; this module only
 * calls it, so there is one definition.
 */

/** The key of a rollup cell. */
export interface RollupKey {
  measure: string;
  periodMonth: string;
  organisationId: string;
  teamId: string;
  viewpoint: string;
  dim: string;
  dimValue: string;
}

/** A cell's five sums. */
export interface RollupValues {
  denominator: number;
  numerator: number;
  valueSum: number;
  valueSumSq: number;
  weightSum: number;
}

export interface RollupCell extends RollupKey, RollupValues {}

/** A cell where the kept rollup and a rebuild disagree: null on the side that has no such cell. */
export interface RollupDifference extends RollupKey {
  kept: RollupValues | null;
  rebuilt: RollupValues | null;
}

/**
 * Sums of doubles (GAS T-scores, weights) kept by adding and subtracting differ from a fresh sum in
 * the last bits; a relative difference below this is rounding, not a difference.
 */
export const ROLLUP_TOLERANCE = 1e-9;

/**
 * Replaces the rollup with sums recomputed from every fact, in the caller's transaction (one
 * statement over the `indicator_rollup_rebuilt` view; capture rows left by any earlier failure are
 * cleared too). Returns the number of cells.
 */
export async function rebuildRollups(db: Kysely<DB>): Promise<number> {
  const result = await sql<{ cells: string }>`select wm_rollup_rebuild() as cells`.execute(db);
  return Number(result.rows[0]?.cells ?? 0);
}

/**
 * For bulk loaders (the demo, a generated benchmark population): runs `load` in the caller's
 * transaction with the rollup's triggers bypassed (the transaction-local setting migration 0014's
 * triggers test), then rebuilds the rollup in that same transaction, so it commits exact. Per-row
 * maintenance would evaluate each person's facts at each of their writes; one rebuild reads each
 * table once. The rebuild locks the rollup and the capture tables until commit: run it with no other
 * writers (a load into a new database). Must be given a transaction: the setting ends with it.
 */
export async function withRollupsDeferred<T>(trx: Transaction<DB>, load: () => Promise<T>): Promise<T> {
  await sql`select set_config(${ROLLUPS_SETTING}, 'deferred', true)`.execute(trx);
  const result = await load();
  await rebuildRollups(trx);
  await sql`select set_config(${ROLLUPS_SETTING}, '', true)`.execute(trx);
  return result;
}

interface DifferenceRow {
  measure: string;
  period_month: string;
  organisation_id: string;
  team_id: string;
  viewpoint: string;
  dim: string;
  dim_value: string;
  kept_denominator: string | null;
  kept_numerator: string | null;
  kept_value_sum: number | null;
  kept_value_sum_sq: number | null;
  kept_weight_sum: number | null;
  rebuilt_denominator: string | null;
  rebuilt_numerator: string | null;
  rebuilt_value_sum: number | null;
  rebuilt_value_sum_sq: number | null;
  rebuilt_weight_sum: number | null;
}

function values(row: DifferenceRow, side: 'kept' | 'rebuilt'): RollupValues | null {
  const denominator = row[`${side}_denominator`];
  if (denominator === null) return null;
  return {
    denominator: Number(denominator),
    numerator: Number(row[`${side}_numerator`]),
    valueSum: Number(row[`${side}_value_sum`]),
    valueSumSq: Number(row[`${side}_value_sum_sq`]),
    weightSum: Number(row[`${side}_weight_sum`]),
  };
}

/** Two sums of doubles that differ by more than rounding (relative to the larger, at least 1). */
const differs = (a: RawSql, b: RawSql) =>
  sql`abs(${a} - ${b}) > ${sql.lit(ROLLUP_TOLERANCE)} * greatest(1, abs(${a}), abs(${b}))`;
type RawSql = ReturnType<typeof sql.raw>;

/**
 * Every cell where the kept rollup differs from what a rebuild would make now, in key order: an
 * empty list means the incremental maintenance kept it exactly (doubles within rounding). Reads
 * both in one snapshot; changes nothing.
 */
export async function compareWithRebuild(db: Kysely<DB>): Promise<RollupDifference[]> {
  const k = (c: string) => sql.raw(`k.${c}`);
  const b = (c: string) => sql.raw(`b.${c}`);
  const result = await sql<DifferenceRow>`
    select measure, period_month::text as period_month, organisation_id, team_id, viewpoint, dim, dim_value,
      k.denominator as kept_denominator, k.numerator as kept_numerator, k.value_sum as kept_value_sum,
      k.value_sum_sq as kept_value_sum_sq, k.weight_sum as kept_weight_sum,
      b.denominator as rebuilt_denominator, b.numerator as rebuilt_numerator, b.value_sum as rebuilt_value_sum,
      b.value_sum_sq as rebuilt_value_sum_sq, b.weight_sum as rebuilt_weight_sum
    from indicator_rollup k
    full join indicator_rollup_rebuilt b
      using (measure, period_month, organisation_id, team_id, viewpoint, dim, dim_value)
    where k.denominator is null or b.denominator is null
      or k.denominator <> b.denominator or k.numerator <> b.numerator
      or ${differs(k('value_sum'), b('value_sum'))}
      or ${differs(k('value_sum_sq'), b('value_sum_sq'))}
      or ${differs(k('weight_sum'), b('weight_sum'))}
    order by measure, period_month, organisation_id, team_id, viewpoint, dim, dim_value`.execute(db);
  return result.rows.map((row) => ({
    measure: row.measure,
    periodMonth: row.period_month,
    organisationId: row.organisation_id,
    teamId: row.team_id,
    viewpoint: row.viewpoint,
    dim: row.dim,
    dimValue: row.dim_value,
    kept: values(row, 'kept'),
    rebuilt: values(row, 'rebuilt'),
  }));
}

/** Every cell of the kept rollup, in key order (tests and the check's summary). */
export async function rollupCells(db: Kysely<DB>): Promise<RollupCell[]> {
  const rows = await db
    .selectFrom('indicator_rollup')
    .select([
      'measure',
      sql<string>`period_month::text`.as('period_month'),
      'organisation_id',
      'team_id',
      'viewpoint',
      'dim',
      'dim_value',
      'denominator',
      'numerator',
      'value_sum',
      'value_sum_sq',
      'weight_sum',
    ])
    .orderBy('measure')
    .orderBy('period_month')
    .orderBy('organisation_id')
    .orderBy('team_id')
    .orderBy('viewpoint')
    .orderBy('dim')
    .orderBy('dim_value')
    .execute();
  return rows.map((r) => ({
    measure: r.measure,
    periodMonth: r.period_month,
    organisationId: r.organisation_id,
    teamId: r.team_id,
    viewpoint: r.viewpoint,
    dim: r.dim,
    dimValue: r.dim_value,
    denominator: Number(r.denominator),
    numerator: Number(r.numerator),
    valueSum: r.value_sum,
    valueSumSq: r.value_sum_sq,
    weightSum: r.weight_sum,
  }));
}

/** Whether the rollup's triggers fire: the capture and apply triggers on every table that feeds it. */
async function rollupTriggers(db: Kysely<DB>): Promise<{ table: string; trigger: string }[]> {
  const result = await sql<{ table: string; trigger: string }>`
    select c.relname as table, t.tgname as trigger
    from pg_trigger t
    join pg_class c on c.oid = t.tgrelid
    join pg_proc p on p.oid = t.tgfoid
    where p.proname in ('wm_rollup_capture', 'wm_rollup_apply')
      and c.relnamespace = current_schema()::regnamespace
    order by c.relname, t.tgname`.execute(db);
  return result.rows;
}

/**
 * FOR BENCHMARKS ONLY: switches the rollup's triggers off (`enabled` false), to measure a write
 * without them, or to bulk-load a generated population and then `rebuildRollups`; and on again.
 * While they are off every write leaves the rollup wrong until the next rebuild. ALTER TABLE takes
 * a lock on each table, so run it with no other writers.
 */
export async function setRollupTriggers(db: Kysely<DB>, enabled: boolean): Promise<number> {
  const triggers = await rollupTriggers(db);
  for (const { table, trigger } of triggers) {
    await sql`alter table ${sql.id(table)} ${sql.raw(enabled ? 'enable' : 'disable')} trigger ${sql.id(trigger)}`.execute(
      db,
    );
  }
  return triggers.length;
}
