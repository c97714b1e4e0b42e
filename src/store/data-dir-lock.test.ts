import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A process id that is certainly not running: one that has just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

/** The pid a lock file names, whichever form it has. */
const ownerPid = (file: string) => {
  const text = fs.readFileSync(file, 'utf8');
  return /^\d+$/.test(text) ? Number(text) : (JSON.parse(text) as { pid: number }).pid;
};

/** When a process started (field 22 of /proc/<pid>/stat), or null where there is no /proc. */
const startOf = (pid: number): string | null => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
};

describe('data folder lock', () => {
  it('keeps out a second owner while held, and lets one in after release', () => {
    const dir = tempDir();
    const lock = lockDataDir(dir);
    // Pretend another live process holds it: our parent is alive and not us.
    fs.writeFileSync(path.join(dir, 'whatmatters.lock'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(/in use by another WhatMatters process/);
    // Releasing must not remove a lock that another process now holds.
    lock.release();
    expect(fs.readFileSync(path.join(dir, 'whatmatters.lock'), 'utf8')).toBe(String(process.ppid));
    fs.rmSync(path.join(dir, 'whatmatters.lock'));
    lockDataDir(dir).release();
  });

  it('is free again once released', () => {
    const dir = tempDir();
    const lockFile = path.join(dir, 'whatmatters.lock');
    const first = lockDataDir(dir);
    expect(ownerPid(lockFile)).toBe(process.pid);
    first.release();
    expect(fs.existsSync(lockFile)).toBe(false);
    const second = lockDataDir(dir);
    expect(ownerPid(lockFile)).toBe(process.pid);
    second.release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('takes over a lock left by a process that has gone', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'whatmatters.lock'), String(deadPid()));
    const lock = lockDataDir(dir);
    expect(ownerPid(path.join(dir, 'whatmatters.lock'))).toBe(process.pid);
    lock.release();
    expect(fs.existsSync(path.join(dir, 'whatmatters.lock'))).toBe(false);
  });

  it.runIf(startOf(process.ppid) !== null)(
    'takes over a lock whose pid now belongs to another, unrelated process, and not one its owner still holds',
    () => {
      const dir = tempDir();
      const lockFile = path.join(dir, 'whatmatters.lock');
      const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      // Our parent is alive, but it is not the process that took this lock: that one started earlier.
      fs.writeFileSync(lockFile, JSON.stringify({ pid: process.ppid, started: '1', boot }));
      const lock = lockDataDir(dir);
      expect(ownerPid(lockFile)).toBe(process.pid);
      lock.release();
      // The same live process, recorded with its real start: still its lock.
      fs.writeFileSync(lockFile, JSON.stringify({ pid: process.ppid, started: startOf(process.ppid), boot }));
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      // A lock from before a restart of the machine names a pid of another boot: taken over.
      fs.writeFileSync(
        lockFile,
        JSON.stringify({ pid: process.ppid, started: startOf(process.ppid), boot: 'another' }),
      );
      lockDataDir(dir).release();
    },
  );

  it('creates the folder when it does not exist', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    lockDataDir(dir).release();
    expect(fs.existsSync(dir)).toBe(true);
  });
});
