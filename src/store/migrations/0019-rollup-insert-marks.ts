import { type Kysely, sql } from 'kysely';
import { NOT_DEFERRED, ROLLUP_FEEDS } from './0014-rollups.js';
import { executeStatements } from './execute-statements.js';

/**
 * Inserts mark their people once per statement instead of once per row. Recording a review inserts
 * a conversation and then its ratings in one statement (about ten rows); each row called the mark
 * function, which locks the person's mark (`wm_rollup_mark_person`, migration 0014). Now an AFTER
 * INSERT statement trigger reads the statement's new rows (a transition table) and marks each
 * person in them once, in person order. Updates and deletes keep the row triggers of 0014: a
 * trigger with a column list (UPDATE OF …) may not have transition tables, and the column lists are
 * what keep updates that change no fact from marking.
 *
 * The mark is still taken inside the writing transaction and held until it commits, so the worker
 * (which takes marks FOR UPDATE SKIP LOCKED) never applies a person while a writer's change to them
 * is uncommitted; it is now taken at the end of the statement rather than before each row, which
 * changes nothing for the worker: until the writer commits, the worker cannot see its rows either.
 */
const INSERTING = ROLLUP_FEEDS.filter((f) => f.table !== 'person');

/**
 * A table's row mark trigger (as in 0014) firing on `events`: 0019 takes inserts out of it; its
 * down puts them back. Exported for later feeding tables (0022), which take the same pair.
 */
export function rowMarkTrigger(
  { table, columns }: { table: string; columns: readonly string[] },
  events: 'insert or ' | '',
) {
  return sql`create trigger ${sql.id(`${table}_rollup_mark`)}
    before ${sql.raw(events)}delete or update of ${sql.raw(columns.join(', '))} on ${sql.id(table)}
    for each row when (${NOT_DEFERRED}) execute function wm_rollup_mark()`;
}

const dropRowMarkTrigger = ({ table }: (typeof INSERTING)[number]) =>
  sql`drop trigger ${sql.id(`${table}_rollup_mark`)} on ${sql.id(table)}`;

/** A table's statement trigger marking the people of the rows an insert added, once each. */
export function insertMarkTrigger({ table }: { table: string }) {
  return sql`create trigger ${sql.id(`${table}_rollup_mark_inserted`)} after insert on ${sql.id(table)}
    referencing new table as inserted
    for each statement when (${NOT_DEFERRED}) execute function wm_rollup_mark_inserted()`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create function wm_rollup_mark_inserted() returns trigger language plpgsql as $$
      begin
        perform wm_rollup_mark_person(i.person_id)
        from (select distinct person_id from inserted) i
        order by i.person_id;
        return null;
      end $$`,
    ...INSERTING.flatMap((feed) => [
      dropRowMarkTrigger(feed),
      rowMarkTrigger(feed, ''),
      insertMarkTrigger(feed),
    ]),
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    ...INSERTING.flatMap((feed) => [
      sql`drop trigger ${sql.id(`${feed.table}_rollup_mark_inserted`)} on ${sql.id(feed.table)}`,
      dropRowMarkTrigger(feed),
      rowMarkTrigger(feed, 'insert or '),
    ]),
    sql`drop function wm_rollup_mark_inserted()`,
  ]);
}
