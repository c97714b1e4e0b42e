/**
 * Rows per statement for writes of many rows at once (bulk import's restores): one statement takes
 * at most 65,535 parameters (PostgreSQL's protocol), and a batch of an import may hold thousands of
 * rows of a table, so each is written ROWS_PER_STATEMENT rows at a time.
 */
export const ROWS_PER_STATEMENT = 1000;

/** Writes `rows` with `insert`, ROWS_PER_STATEMENT at a time, one statement after another. */
export async function inChunks<T>(
  rows: readonly T[],
  insert: (chunk: readonly T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
    await insert(rows.slice(i, i + ROWS_PER_STATEMENT));
}
