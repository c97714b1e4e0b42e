import type { Config } from '../config.js';
import { type Database, openDatabase } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';

/** Opens the configured database (PostgreSQL when DATABASE_URL is set, else embedded) and migrates it. */
export async function openMigratedDatabase(
  config: Config,
): Promise<{ database: Database; applied: string[] }> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    pgliteMemoryMb: config.pgliteMemoryMb,
  });
  try {
    const { applied } = await migrateToLatest(database.db);
    return { database, applied };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export function describeDatabase(config: Config): string {
  return config.databaseUrl ? 'PostgreSQL server' : `embedded database in ${config.dataDir}`;
}
