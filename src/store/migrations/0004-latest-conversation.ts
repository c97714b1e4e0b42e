import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * The caseload and the person summary both ask, for each person, "the latest conversation and the
 * review it set": an index in that order answers it by reading one index entry instead of sorting
 * the person's conversations. `person_id` leads, as in every index of a person-owned table (Citus).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create index conversation_latest_idx on conversation (person_id, held_on desc, recorded_at desc)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [sql`drop index conversation_latest_idx`]);
}
