import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createPglite,
  durableStartParams,
  hostSyncCounts,
  type PgliteDurability,
} from './pglite-durability.js';

interface SyncCall {
  kind: 'fsync' | 'fdatasync';
  /** The file synced, read from /proc/self/fd where the system has it; '' elsewhere. */
  file: string;
}

/**
 * Records the host's fsync and fdatasync calls made while `run` runs. The calls still go through
 * to the disk.
 */
async function hostSyncsDuring<T>(run: () => Promise<T>): Promise<{ result: T; calls: SyncCall[] }> {
  const calls: SyncCall[] = [];
  const fileOf = (fd: number) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return '';
    }
  };
  const realFsync = fs.fsyncSync;
  const realFdatasync = fs.fdatasyncSync;
  const fsync = vi.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
    calls.push({ kind: 'fsync', file: fileOf(fd) });
    realFsync(fd);
  });
  const fdatasync = vi.spyOn(fs, 'fdatasyncSync').mockImplementation((fd) => {
    calls.push({ kind: 'fdatasync', file: fileOf(fd) });
    realFdatasync(fd);
  });
  try {
    return { result: await run(), calls };
  } finally {
    fsync.mockRestore();
    fdatasync.mockRestore();
  }
}

const hasProc = fs.existsSync('/proc/self/fd');
const MEMORY = { initialMemory: 128 * 1024 * 1024 };

/** A new data folder, made once (making one is the slow part) and copied for each test. */
let template: string;
let templateSyncs: SyncCall[];
const dirs: string[] = [];
const clients: PGlite[] = [];

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-durable-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  template = path.join(tempDir(), 'pglite');
  const { result: client, calls } = await hostSyncsDuring(() => createPglite(template, 'full', MEMORY));
  templateSyncs = calls;
  await client.close();
  dirs.splice(0); // kept until afterAll
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const client of clients.splice(0)) if (!client.closed) await client.close();
});
afterAll(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(path.dirname(template), { recursive: true, force: true });
});

/** Opens a copy of the template folder (or `location`) with the given durability. */
async function open(
  durability: PgliteDurability,
  location?: string,
): Promise<{ client: PGlite; dir: string }> {
  let dir = location;
  if (!dir) {
    dir = path.join(tempDir(), 'pglite');
    fs.cpSync(template, dir, { recursive: true });
  }
  const client = await createPglite(dir, durability, MEMORY);
  clients.push(client);
  return { client, dir };
}

describe('embedded database durability', () => {
  it('starts PostgreSQL without -F, keeping PGlite’s other start parameters', () => {
    const params = durableStartParams();
    expect(params).not.toContain('-F');
    expect(params.slice(0, PGlite.defaultStartParams.length - 1)).toEqual(
      PGlite.defaultStartParams.filter((p) => p !== '-F'),
    );
    expect(params).toEqual(
      expect.arrayContaining(['fsync=on', 'synchronous_commit=on', 'full_page_writes=on']),
    );
  });

  it('full: a new data folder is synced as a whole once it is made', () => {
    if (!hasProc) {
      expect(templateSyncs.length).toBeGreaterThan(0);
      return;
    }
    const synced = new Set(templateSyncs.map((c) => c.file));
    for (const file of ['PG_VERSION', 'global/pg_control', 'postgresql.conf', 'pg_wal']) {
      expect(synced).toContain(path.join(template, file));
    }
    expect(synced).toContain(template);
    expect(synced).toContain(path.dirname(template));
  });

  it('full: each commit is synced to the host’s disk before it is acknowledged', async () => {
    const { client } = await open('full');
    const settings = await client.query<{ fsync: string }>('show fsync');
    expect(settings.rows[0]?.fsync).toBe('on');
    await client.exec('create table note (id int primary key, body text)');

    const before = hostSyncCounts(client)?.fdatasync ?? Number.NaN;
    const { calls } = await hostSyncsDuring(async () => {
      for (let i = 0; i < 5; i++) await client.query('insert into note values ($1, $2)', [i, `note ${i}`]);
    });
    // At least one WAL sync for each of the five commits, passed on as the host's fdatasync.
    const walSyncs = calls.filter((c) => c.kind === 'fdatasync');
    expect(walSyncs.length).toBeGreaterThanOrEqual(5);
    if (hasProc) {
      for (const call of walSyncs) expect(call.file).toMatch(/[\\/]pg_wal[\\/][0-9A-F]{24}$/);
    }
    expect((hostSyncCounts(client)?.fdatasync ?? 0) - before).toBe(walSyncs.length);

    // A read-only statement commits nothing and syncs nothing.
    expect((await hostSyncsDuring(() => client.query('select count(*) from note'))).calls).toEqual([]);

    // A checkpoint syncs the table's data file and PostgreSQL's control file on the host.
    const { calls: checkpoint } = await hostSyncsDuring(() => client.exec('checkpoint'));
    expect(checkpoint.filter((c) => c.kind === 'fsync').length).toBeGreaterThan(0);
    if (hasProc) {
      const files = checkpoint.map((c) => c.file);
      expect(files.some((f) => /[\\/]base[\\/]\d+[\\/]\d+$/.test(f))).toBe(true);
      expect(files.some((f) => f.endsWith(path.join('global', 'pg_control')))).toBe(true);
    }
  });

  it('full: the data is there after reopening', async () => {
    const { client, dir } = await open('full');
    await client.exec("create table note (body text); insert into note values ('kept')");
    await client.close();
    const again = await open('full', dir);
    expect((await again.client.query<{ body: string }>('select body from note')).rows).toEqual([
      { body: 'kept' },
    ]);
  });

  it('full: a failed sync refuses the write, then the database refuses everything until reopened', async () => {
    const { client, dir } = await open('full');
    await client.exec("create table note (body text); insert into note values ('before')");
    const failing = vi.spyOn(fs, 'fdatasyncSync').mockImplementation(() => {
      throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO', errno: -5 });
    });
    await expect(client.query("insert into note values ('during')")).rejects.toMatchObject({
      message: expect.stringMatching(/could not fdatasync file/),
      severity: 'PANIC',
    });
    failing.mockRestore();
    // Past a PANIC, PGlite would never answer again: it is refused at once instead.
    await expect(client.query('select 1')).rejects.toThrow(
      /embedded database stopped after a failed disk sync \(fdatasync on the host failed: EIO/,
    );
    await client.close();
    const again = await open('full', dir);
    const rows = (await again.client.query<{ body: string }>('select body from note')).rows;
    expect(rows.map((r) => r.body)).toContain('before');
  });

  it('relaxed: PGlite as it comes, fsync off, nothing synced on the host', async () => {
    const { client } = await open('relaxed');
    expect((await client.query<{ fsync: string }>('show fsync')).rows[0]?.fsync).toBe('off');
    expect(hostSyncCounts(client)).toBeUndefined();
    const { calls } = await hostSyncsDuring(async () => {
      await client.exec('create table note (id int)');
      for (let i = 0; i < 5; i++) await client.query('insert into note values ($1)', [i]);
      await client.exec('checkpoint');
    });
    expect(calls).toEqual([]);
  });

  it('in memory there is nothing to sync, whatever the setting', async () => {
    const { result: client, calls } = await hostSyncsDuring(async () => {
      const opened = await createPglite('memory://', 'full', MEMORY);
      clients.push(opened);
      await opened.exec('create table note (id int); insert into note values (1)');
      return opened;
    });
    expect(hostSyncCounts(client)).toBeUndefined();
    expect(calls).toEqual([]);
  });
});
