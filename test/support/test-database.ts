import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { prepareDatabase } from '../../src/services/index.js';
import type { AuditTrailOptions } from '../../src/store/audit-key.js';
import { type Database, openDatabase } from '../../src/store/database.js';

export type TestBackend = 'pglite' | 'postgres';

/**
 * The audit key tests use (vitest.config.ts sets AUDIT_KEY), so a database opened in the test
 * process and a CLI or server started on it share one key, as processes on one database must.
 */
export function testAuditTrail(): AuditTrailOptions {
  return { key: process.env.AUDIT_KEY ?? null };
}

export function testBackend(): TestBackend {
  return process.env.WM_TEST_BACKEND === 'postgres' ? 'postgres' : 'pglite';
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const serverUrl = process.env.WM_TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('WM_TEST_DATABASE_URL must name a PostgreSQL server for postgres tests');
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the test PostgreSQL server, and how to drop it again. */
export async function createPostgresTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `wm_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = new URL(process.env.WM_TEST_DATABASE_URL ?? '');
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      admin((client) => client.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or a new database on the
 * PostgreSQL server named by WM_TEST_DATABASE_URL, dropped again on close.
 */
export async function openTestDatabase(backend: TestBackend = testBackend()): Promise<Database> {
  if (backend === 'pglite') {
    const database = await openDatabase({
      databaseUrl: null,
      dataDir: 'memory://',
      pgliteMemoryMb: 256,
      auditTrail: testAuditTrail(),
    });
    await prepareDatabase(database);
    return database;
  }
  const server = await createPostgresTestDatabase();
  const database = await openDatabase({
    databaseUrl: server.url,
    dataDir: 'memory://',
    auditTrail: testAuditTrail(),
  });
  await prepareDatabase(database);
  return {
    db: database.db,
    kind: database.kind,
    auditTrail: database.auditTrail,
    ping: () => database.ping(),
    async close() {
      await database.close();
      await server.drop();
    },
  };
}
