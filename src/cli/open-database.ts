import type { Config } from '../config.js';
import { prepareDatabase } from '../services/index.js';
import { type Database, openDatabase } from '../store/database.js';

/** Opens the configured database (PostgreSQL when DATABASE_URL is set, else embedded) migrates it, and installs the shipped reference data. */
export async function openMigratedDatabase(
  config: Config,
): Promise<{ database: Database; applied: string[] }> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    pgliteMemoryMb: config.pgliteMemoryMb,
    pgliteDurability: config.pgliteDurability,
    auditTrail: config.audit,
  });
  try {
    const applied = await prepareDatabase(database);
    return { database, applied };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export function describeDatabase(config: Config): string {
  return config.databaseUrl ? 'PostgreSQL server' : `embedded database in ${config.dataDir}`;
}
