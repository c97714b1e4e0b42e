import { type Insertable, type Kysely, sql } from 'kysely';
import type { DB } from './schema.js';

/**
 * Inserts many rows of one table in one statement that takes them as a single JSON parameter
 * (`jsonb_populate_recordset`), for bulk writes such as FHIR import (interop/fhir/import-store.ts).
 *
 * The same rows, columns and triggers as `insertInto(table).values(rows)`: one INSERT statement, so
 * statement-level triggers see every row at once. What differs is the cost of getting the rows
 * there: a multi-row VALUES list sends one parameter per value (15,000 for a thousand people), each
 * built into the query and serialised on its own, and stops at PostgreSQL's 65,535 parameters a
 * statement; here the rows go as one JSON text, which the server reads in one pass.
 *
 * A column left out of a row (or undefined) takes its default, as with VALUES: rows are grouped by
 * the columns they give, one statement for each group (a batch's rows usually give the same ones).
 * Values go as JSON: strings, numbers, booleans and null as they are, a Date as its ISO time, an
 * array into an array column; a jsonb column takes the object itself (not a JSON string of it).
 */
export async function insertJsonRows<T extends keyof DB & string>(
  db: Kysely<DB>,
  table: T,
  rows: readonly Insertable<DB[T]>[],
): Promise<void> {
  const groups = new Map<string, { columns: string[]; rows: Record<string, unknown>[] }>();
  for (const row of rows as readonly Record<string, unknown>[]) {
    const columns = Object.keys(row).filter((column) => row[column] !== undefined);
    const key = columns.join(',');
    let group = groups.get(key);
    if (!group) {
      group = { columns, rows: [] };
      groups.set(key, group);
    }
    group.rows.push(row);
  }
  // (Every table written so has columns without a default, so no row gives none.)
  for (const { columns, rows: grouped } of groups.values()) {
    const list = sql.join(columns.map((column) => sql.ref(column)));
    await sql`insert into ${sql.table(table)} (${list})
      select ${list} from jsonb_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(grouped)}::jsonb)`.execute(
      db,
    );
  }
}
