import { type Kysely, sql } from 'kysely';
import type { DatabaseKind } from './database.js';
import type { DB } from './schema.js';

/** What a purge did, for the erasure's answer and SECURITY.md's claims. */
export interface PurgeResult {
  /** VACUUM FULL (tables rewritten: deleted rows gone from the files) or plain VACUUM. */
  vacuum: 'full' | 'plain';
  /** Whether the write-ahead log was switched and checkpointed past the deleted rows. */
  walCleared: boolean;
}

/**
 * Makes deleted rows physically go, as far as the engine allows, after the transaction that
 * deleted them. PostgreSQL deletes by marking rows dead; their bytes stay in the table and index
 * files until vacuum, and even plain VACUUM only marks the space free (measured: the deleted text
 * was still in the files). So:
 *  - the embedded database rewrites the tables (VACUUM FULL: new files without the dead rows, old
 *    files unlinked), which is affordable at the size it serves;
 *  - a PostgreSQL server gets plain VACUUM, because VACUUM FULL locks the table for as long as it
 *    takes to rewrite it, which at population scale stops the service (docs/SECURITY.md says what
 *    remains there and for how long);
 *  - both then switch to a new WAL segment and checkpoint twice, so the segments holding the rows
 *    are no longer needed for recovery and are removed (the embedded database runs with
 *    wal_recycle=off, so they are unlinked rather than renamed for reuse with the bytes inside). A
 *    server role without the right to checkpoint leaves that to the next scheduled checkpoint.
 */
export async function purgeDeletedRows(
  db: Kysely<DB>,
  kind: DatabaseKind,
  tables: readonly (keyof DB)[],
): Promise<PurgeResult> {
  const list = sql.join(tables.map((t) => sql.table(t)));
  const vacuum = kind === 'pglite' ? 'full' : 'plain';
  await (vacuum === 'full' ? sql`vacuum full ${list}` : sql`vacuum ${list}`).execute(db);
  // The planner's statistics copy column values (most common values, histogram bounds) into
  // pg_statistic, which the embedded database refreshes at every start: measured, a person's name,
  // NHS number and free text were there after erasure. Analysed again without the deleted rows;
  // on the embedded database pg_statistic is then rewritten too, so the replaced rows' bytes go.
  await sql`analyze ${list}`.execute(db);
  if (vacuum === 'full') await sql`vacuum full pg_catalog.pg_statistic`.execute(db);
  let walCleared = true;
  try {
    for (let i = 0; i < 2; i++) {
      await sql`select pg_switch_wal()`.execute(db);
      await sql`checkpoint`.execute(db);
    }
  } catch {
    // Not allowed for this role (PostgreSQL before 15 needs a superuser; 15+ the pg_checkpoint role).
    walCleared = false;
  }
  return { vacuum, walCleared };
}
