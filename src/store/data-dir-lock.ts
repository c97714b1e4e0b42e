import fs from 'node:fs';
import path from 'node:path';

/**
 * PGlite has no lock of its own: two processes on one data folder corrupt it.
 * A lock file holding the owner's pid, created exclusively, keeps a second process out;
 * a lock left by a process that no longer exists is taken over. It guards one machine: a folder on a
 * network share used from two machines needs PostgreSQL instead.
 */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

export interface DataDirLock {
  release(): void;
}

const LOCK_FILE = 'whatmatters.lock';

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The lock file is written complete under a temporary name and then hard-linked into place, which
 * fails if it exists: another process never sees a half-written (empty) lock and takes it as stale.
 */
function tryCreate(lockPath: string): boolean {
  const temporary = `${lockPath}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, String(process.pid));
  try {
    fs.linkSync(temporary, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

function readOwner(lockPath: string): number | null {
  try {
    const owner = Number(fs.readFileSync(lockPath, 'utf8').trim());
    return Number.isInteger(owner) && owner > 0 ? owner : null;
  } catch {
    return null;
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(lockPath)) {
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          // Remove only our own lock, never one another process has taken over since.
          if (readOwner(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
        },
      };
    }
    const owner = readOwner(lockPath);
    if (owner !== null && owner !== process.pid && processIsAlive(owner)) {
      throw new DataDirLockedError(
        `The database folder ${dataDir} is in use by another WhatMatters process (pid ${owner}). ` +
          'Stop that process first, or set DATA_DIR to another folder.',
      );
    }
    // Stale: its owner has gone. Remove and try once more.
    fs.rmSync(lockPath, { force: true });
  }
  throw new DataDirLockedError(
    `Could not lock the database folder ${dataDir}; another process keeps taking it.`,
  );
}
