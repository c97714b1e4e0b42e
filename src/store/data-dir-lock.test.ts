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
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
    first.release();
    expect(fs.existsSync(lockFile)).toBe(false);
    const second = lockDataDir(dir);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
    second.release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('takes over a lock left by a process that has gone', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'whatmatters.lock'), String(deadPid()));
    const lock = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'whatmatters.lock'), 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(fs.existsSync(path.join(dir, 'whatmatters.lock'))).toBe(false);
  });

  it('creates the folder when it does not exist', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    lockDataDir(dir).release();
    expect(fs.existsSync(dir)).toBe(true);
  });
});
