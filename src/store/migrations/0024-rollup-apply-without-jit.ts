import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * The rollup worker's step for one person (`wm_rollup_apply_person`, migration 0014) runs without
 * JIT compilation, as the rebuild already does. Found at a million people: once auto-analyze had
 * sampled `rollup_contribution` (33 million rows, about 33 per person, stored person by person),
 * it estimated 174 distinct people, so the generic plan expected 190,000 contribution rows per
 * person and cost 740,000 — above PostgreSQL's thresholds for JIT with inlining and optimisation
 * (500,000). Each call then compiled the fact view's 564 expressions: 13.4 s of compilation for a
 * step that runs in 9 ms (measured on the kept 1M database, 2026-11-27). The worker fell from 3.7
 * ms to 261 ms per person in the bench and would fall further behind as writes grow. The plan
 * itself stays the same (every branch read by the person's keys); only the compilation goes.
 * Databases made from now on get the setting from 0014's definition; this sets it in older ones.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [sql`alter function wm_rollup_apply_person(uuid) set jit = off`]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [sql`alter function wm_rollup_apply_person(uuid) reset jit`]);
}
