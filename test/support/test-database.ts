import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';

export type TestBackend = 'pglite' | 'postgres';

export function testBackend(): TestBackend {
  return process.env.WM_TEST_BACKEND === 'postgres' ? 'postgres' : 'pglite';
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or a new database on the
 * PostgreSQL server named by WM_TEST_DATABASE_URL, dropped again on close.
 */
export async function openTestDatabase(backend: TestBackend = testBackend()): Promise<Database> {
  if (backend === 'pglite') {
    const database = await openDatabase({ databaseUrl: null, dataDir: 'memory://', pgliteMemoryMb: 256 });
    await migrateToLatest(database.db);
    return database;
  }
  const serverUrl = process.env.WM_TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('WM_TEST_DATABASE_URL must name a PostgreSQL server for postgres tests');
  const name = `wm_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: 'memory://' });
  await migrateToLatest(database.db);
  return {
    ...database,
    db: database.db,
    kind: database.kind,
    ping: () => database.ping(),
    async close() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
