import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/demo-data-service.js';
import { type RunningServer, runCli, startServer } from '../support/cli.js';
import { createPostgresTestDatabase, testBackend } from '../support/test-database.js';

/**
 * Acknowledged writes survive the server being killed outright (SIGKILL: no shutdown, no flush, no
 * closing the database) in the middle of a stream of writes, again and again on one data folder.
 *
 * On the embedded database this also exercises PostgreSQL's crash recovery inside PGlite and the
 * take-over of the dead process's data-folder lock. It cannot cut the power: that the syncs which
 * make a write survive a power cut reach the disk is src/store/pglite-durability.test.ts's part.
 * On PostgreSQL the application server is killed and the database server stays up.
 */

const KILLS = 3;
/** Writes acknowledged in each round before the kill; more are in flight when it lands. */
const ACKNOWLEDGED_PER_ROUND = 12;
const WRITERS = 4;

let env: Record<string, string>;
let cleanup: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-durability-'));
  const removeDir = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (testBackend() === 'postgres') {
    const database = await createPostgresTestDatabase();
    env = { DATA_DIR: dataDir, DATABASE_URL: database.url };
    cleanup = async () => {
      await database.drop();
      await removeDir();
    };
  } else {
    env = { DATA_DIR: dataDir };
    cleanup = removeDir;
  }
  // A small demo population: it brings the demo practitioner, who can register people.
  const seeded = await runCli(['seed', '--people', '2'], { env });
  expect(seeded.code, seeded.stderr).toBe(0);
  env = { ...env, DEMO_DATA: 'false', LOG_LEVEL: 'warn' };
});
afterAll(() => cleanup?.());

async function signIn(base: string): Promise<string> {
  const response = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'practitioner@demo', password: DEMO_PASSWORD }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

interface Acknowledged {
  personId: string;
  givenName: string;
}

/**
 * Registers people through the API from several writers at once until `target` have been
 * acknowledged (201 with the new id), then kills the server with SIGKILL while the writers keep
 * sending. Returns every write that was acknowledged, including any answered just before the kill.
 */
async function writeUntilKilled(
  server: RunningServer,
  round: number,
  target: number,
): Promise<Acknowledged[]> {
  const base = `http://127.0.0.1:${server.port}`;
  const cookie = await signIn(base);
  const acknowledged: Acknowledged[] = [];
  let sent = 0;
  let killed = false;
  const writer = async () => {
    while (!killed) {
      const givenName = `Round${round}Write${sent++}`;
      try {
        const response = await fetch(`${base}/api/people`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ givenName, familyName: 'Durable', sex: 'female' }),
        });
        if (response.status !== 201) throw new Error(`registering ${givenName}: ${response.status}`);
        const { personId } = (await response.json()) as { personId: string };
        acknowledged.push({ personId, givenName });
        if (acknowledged.length >= target && !killed) {
          killed = true;
          server.child.kill('SIGKILL');
        }
      } catch (error) {
        // After the kill, a write in flight gets no answer: it was never acknowledged.
        if (!killed) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  await server.exited;
  return acknowledged;
}

describe(`acknowledged writes survive SIGKILL (${testBackend()})`, () => {
  it(`keeps every acknowledged write across ${KILLS} kills mid-load`, async () => {
    const all: Acknowledged[] = [];
    let server = await startServer(env);
    try {
      for (let round = 1; round <= KILLS; round++) {
        all.push(...(await writeUntilKilled(server, round, ACKNOWLEDGED_PER_ROUND)));
        expect(server.child.signalCode).toBe('SIGKILL');

        // Restarted on the same folder (or database), every write acknowledged so far is there.
        server = await startServer(env);
        const base = `http://127.0.0.1:${server.port}`;
        const cookie = await signIn(base);
        const missing: string[] = [];
        for (const write of all) {
          const response = await fetch(`${base}/api/people/${write.personId}`, { headers: { cookie } });
          const body = response.status === 200 ? ((await response.json()) as Record<string, unknown>) : null;
          if (!JSON.stringify(body ?? '').includes(write.givenName)) missing.push(write.givenName);
        }
        expect(missing, `lost after kill ${round}`).toEqual([]);
      }
      expect(all.length).toBeGreaterThanOrEqual(KILLS * ACKNOWLEDGED_PER_ROUND);
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    }
  }, 900_000);
});
