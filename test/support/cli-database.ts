import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Database, openDatabase } from '../../src/store/database.js';
import { runCli } from './cli.js';
import { createPostgresTestDatabase, testAuditTrail, testBackend } from './test-database.js';

/** A database for CLI and server processes to share with the test: its environment and folder. */
export interface CliDatabase {
  /** DATA_DIR (always: the audit key and anchors live there), and DATABASE_URL on PostgreSQL. */
  env: Record<string, string>;
  dataDir: string;
  /** Opens it in the test process (for PGlite, only while no CLI or server process has it). */
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

export async function createCliDatabase(prefix: string): Promise<CliDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `wm-${prefix}-`));
  const removeDir = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (testBackend() === 'postgres') {
    const database = await createPostgresTestDatabase();
    return {
      env: { DATABASE_URL: database.url, DATA_DIR: dataDir },
      dataDir,
      open: () => openDatabase({ databaseUrl: database.url, dataDir, auditTrail: testAuditTrail() }),
      cleanup: async () => {
        await database.drop();
        await removeDir();
      },
    };
  }
  return {
    env: { DATA_DIR: dataDir },
    dataDir,
    open: () => openDatabase({ databaseUrl: null, dataDir, auditTrail: testAuditTrail() }),
    cleanup: removeDir,
  };
}

/** A migrated CLI database holding one organisation with one team, for commands that import into a team. */
export async function createCliDatabaseWithTeam(
  prefix: string,
  organisation: { organisationId: string; kind: string; name: string },
  team: { teamId: string; name: string },
): Promise<CliDatabase> {
  const cli = await createCliDatabase(prefix);
  const migrated = await runCli(['migrate'], { env: cli.env });
  if (migrated.code !== 0) throw new Error(`migrate failed: ${migrated.stderr}`);
  const database = await cli.open();
  try {
    await database.db
      .insertInto('organisation')
      .values({
        organisation_id: organisation.organisationId,
        kind: organisation.kind,
        name: organisation.name,
      })
      .execute();
    await database.db
      .insertInto('team')
      .values({ team_id: team.teamId, organisation_id: organisation.organisationId, name: team.name })
      .execute();
  } finally {
    await database.close();
  }
  return cli;
}
