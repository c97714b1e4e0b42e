import { type Kysely, sql } from 'kysely';
import { INDICATOR_FACT_VIEW, REBUILD_FUNCTION } from './0014-rollups.js';
import { executeStatements } from './execute-statements.js';

/**
 * A rollup rebuild that finishes (measured at 100,000 people on PostgreSQL: from not finished in 17
 * minutes to about a minute). Re-creates, from their one definitions in migration 0014, in databases
 * made before either changed:
 *
 * - `indicator_fact`, whose multi-agency branch now lists a plan's actions as a set-returning
 *   function in the select list. It joined two function scans laterally, which only a nested loop
 *   can do; the rebuild runs with nested loops disabled, so that branch's estimated cost became
 *   about 10^15 and swamped every other choice, and the planner joined all facts to all people by a
 *   nested loop. The view's columns are unchanged, so `create or replace` keeps the views on it.
 * - `wm_rollup_rebuild()`, which now sums the cells by hashing instead of sorting them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create or replace view indicator_fact as ${INDICATOR_FACT_VIEW}`,
    REBUILD_FUNCTION,
  ]);
}

/** Nothing to undo: the view and the function compute the same sums either way. */
export async function down(_db: Kysely<unknown>): Promise<void> {}
