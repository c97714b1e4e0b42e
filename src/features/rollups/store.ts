import { type Kysely, sql, type Transaction } from 'kysely';
import { ROLLUPS_SETTING } from '../../store/migrations/0014-rollups.js';
import type { DB } from '../../store/schema.js';

/**
 * The rollup's maintenance: the worker that applies the queue writes fill (processRollupQueue,
 * flushRollups), rebuilding it from the facts, checking the kept sums against a rebuild, and (for
 * benchmarks only) switching the mark triggers off. What the facts are, and how a person's change
 * is applied, is migration 0014's, in SQL; this module only calls it, so there is one definition.
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
 * Replaces the rollup and every person's contribution with sums recomputed from every fact, and
 * empties the queue, in the caller's transaction. Returns the number of cells.
 */
export async function rebuildRollups(db: Kysely<DB>): Promise<number> {
  const result = await sql<{ cells: string }>`select wm_rollup_rebuild() as cells`.execute(db);
  return Number(result.rows[0]?.cells ?? 0);
}

/**
 * Applies one person's change to the rollup and deletes their mark, in the caller's transaction:
 * the worker's step, and erasure's (run in the erasing transaction after the record is deleted,
 * so the person's last contribution is subtracted and gone when it commits, whether they were
 * marked or not). The caller must hold the mark or have written the person (the triggers' mark).
 */
export async function applyRollupsOf(trx: Transaction<DB>, personId: string): Promise<void> {
  await sql`select wm_rollup_apply_person(${personId}::uuid)`.execute(trx);
  await trx.deleteFrom('rollup_dirty').where('person_id', '=', personId).execute();
}

/**
 * The worker: applies up to `limit` people's marks, each in a transaction of its own (a short
 * one: one person's facts), and returns how many it applied. A mark is taken FOR UPDATE SKIP
 * LOCKED, so workers running at once take different people, and a mark whose writer has not yet
 * committed (it holds a KEY SHARE lock on it) is left for a later pass. The facts are read by the
 * next statement, so with a snapshot taken after the mark was locked: every write that marked the
 * person before is in it, and any later write waits for this transaction and marks again.
 * Running it again changes nothing: with no change, facts now − contribution is zero.
 */
export async function processRollupQueue(db: Kysely<DB>, options: { limit: number }): Promise<number> {
  let applied = 0;
  while (applied < options.limit) {
    const personId = await db.transaction().execute(async (trx) => {
      const taken = await sql<{ person_id: string }>`
        select person_id from rollup_dirty order by person_id limit 1 for update skip locked`.execute(trx);
      const id = taken.rows[0]?.person_id;
      if (id === undefined) return null;
      await applyRollupsOf(trx, id);
      return id;
    });
    if (personId === null) break;
    applied++;
  }
  return applied;
}

/**
 * Applies the queue until no mark is left to take, returning how many people it applied. For
 * tests (after a write, before reading aggregates), the CLI's check and bulk loads. Marks held by
 * writers still in flight are not waited for.
 */
export async function flushRollups(db: Kysely<DB>): Promise<number> {
  let total = 0;
  for (;;) {
    const applied = await processRollupQueue(db, { limit: 100 });
    total += applied;
    if (applied === 0) return total;
  }
}

/**
 * Runs the worker in the background every `intervalMs` until stopped (the server starts it with
 * the app and stops it before closing the database). Batches are small (`batch` people, each its
 * own transaction) so that on the embedded database, which has one connection, requests queue
 * behind at most one person's evaluation rather than a whole backlog. A failed pass is reported
 * to `onError` and retried at the next tick: the marks stay until applied.
 */
export function startRollupWorker(
  db: Kysely<DB>,
  options: { intervalMs: number; batch: number; onError: (error: unknown) => void },
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        // A full batch means more may be waiting: go again at once, yielding to requests between.
        while (!stopped && (await processRollupQueue(db, { limit: options.batch })) === options.batch) {
          await new Promise((resolve) => setImmediate(resolve));
        }
      } catch (error) {
        options.onError(error);
      }
      if (!stopped) timer = setTimeout(tick, options.intervalMs);
    })();
  };
  timer = setTimeout(tick, options.intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * For bulk loaders (the demo, a generated benchmark population): runs `load` in the caller's
 * transaction with the mark triggers bypassed (the transaction-local setting migration 0014's
 * triggers test), then rebuilds the rollup and the contributions in that same transaction, so it
 * commits exact with an empty queue. One rebuild reads each table once, where the worker would
 * evaluate each person loaded. The rebuild locks the rollup tables until commit: run it with no
 * other writers (a load into a new database). Must be given a transaction: the setting ends with it.
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

/** The rollup's mark triggers (row triggers, and statement triggers for inserts: migrations 0019, 0028, 0036), on every table that feeds it. */
async function rollupTriggers(db: Kysely<DB>): Promise<{ table: string; trigger: string }[]> {
  const result = await sql<{ table: string; trigger: string }>`
    select c.relname as table, t.tgname as trigger
    from pg_trigger t
    join pg_class c on c.oid = t.tgrelid
    join pg_proc p on p.oid = t.tgfoid
    where p.proname in ('wm_rollup_mark', 'wm_rollup_mark_inserted',
      -- feedback stories' marks (migration 0028)
      'wm_rollup_mark_story', 'wm_rollup_mark_stories_inserted',
      'wm_rollup_mark_change_stories', 'wm_rollup_mark_service_stories',
      -- a community resource moved to another organisation or kind (migration 0036)
      'wm_rollup_mark_resource_people')
      and c.relnamespace = current_schema()::regnamespace
    order by c.relname, t.tgname`.execute(db);
  return result.rows;
}

/**
 * FOR BENCHMARKS ONLY: switches the rollup's mark triggers off (`enabled` false), to measure a
 * write without them, or to bulk-load a generated population and then `rebuildRollups`; and on
 * again. While they are off every write leaves the rollup wrong until the next rebuild. ALTER TABLE takes
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
