import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * A drill-down from a figure reads the texts of the people behind it, the most recently seen first
 * and at most a few hundred (features/dashboards/store.ts). At a million people a team or an
 * organisation holds thousands; this index gives each team's people already in that order, so the
 * query reads the first rows of each team instead of sorting them all.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create index person_lead_team_latest_idx
      on person (lead_team_id, latest_held_on desc nulls last, person_id)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [sql`drop index person_lead_team_latest_idx`]);
}
