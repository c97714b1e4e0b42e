import type { Kysely, RawBuilder } from 'kysely';

/**
 * Runs statements one at a time: PGlite's extended-protocol queries take one statement each,
 * so a migration is a list rather than one multi-statement script.
 */
export async function executeStatements(
  db: Kysely<unknown>,
  statements: RawBuilder<unknown>[],
): Promise<void> {
  for (const statement of statements) {
    await statement.execute(db);
  }
}
