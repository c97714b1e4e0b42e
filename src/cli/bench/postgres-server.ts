import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** A PostgreSQL database the benchmark may fill and drop, and how to give it back. */
export interface ThrowawayDatabase {
  url: string;
  /** Where the server came from, for the report. */
  server: string;
  release(): Promise<void>;
}

async function onServer<T>(serverUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * A new database on the server named by DATABASE_URL or WM_TEST_DATABASE_URL — never the named
 * database itself, which may hold real records — or, when neither is set, on a server started for
 * the run with scripts/postgres-test-server.sh (stopped again after). Null, with the reason, when
 * there is no server to be had.
 */
export async function throwawayPostgres(
  log: (line: string) => void,
): Promise<ThrowawayDatabase | { unavailable: string }> {
  const named = process.env.DATABASE_URL || process.env.WM_TEST_DATABASE_URL;
  let serverUrl = named ?? '';
  let stopServer = async () => {};
  let server = 'the server named by DATABASE_URL or WM_TEST_DATABASE_URL';
  if (!named) {
    const script = path.resolve('scripts/postgres-test-server.sh');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-bench-pg-'));
    try {
      serverUrl = execFileSync(script, ['start', dir], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      })
        .trim()
        .split('\n')
        .at(-1) as string;
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      const reason = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
      return { unavailable: `no PostgreSQL server: set WM_TEST_DATABASE_URL (${reason})` };
    }
    log(`started a throwaway PostgreSQL server: ${serverUrl}`);
    stopServer = async () => {
      execFileSync(script, ['stop', dir], { stdio: 'ignore' });
    };
    server = 'a throwaway server started for the run (scripts/postgres-test-server.sh)';
  }
  const name = `wm_bench_${randomBytes(6).toString('hex')}`;
  try {
    await onServer(serverUrl, (client) => client.query(`create database ${name}`));
  } catch (error) {
    await stopServer();
    return {
      unavailable: `could not create a database on the PostgreSQL server: ${(error as Error).message}`,
    };
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    server,
    async release() {
      await onServer(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
      await stopServer();
    },
  };
}
