import fs from 'node:fs';
import path from 'node:path';

/**
 * PGlite has no lock of its own: two processes on one data folder corrupt it.
 * A lock file naming the owner, created exclusively, keeps a second process out; a lock left by a
 * process that no longer exists is taken over. The owner is named by its pid and, where the system
 * tells (Linux's /proc), when that process started and in which boot: a pid reused after a crash or
 * a restart by some unrelated process is then seen for what it is, and the lock is taken over. It guards one machine: a folder on a
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
  fs.writeFileSync(temporary, JSON.stringify(thisOwner()));
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

/** Who holds a lock: their pid and, where known, when that process started and in which boot. */
interface LockOwner {
  pid: number;
  started: string | null;
  boot: string | null;
}

const readText = (file: string): string | null => {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
};

/** When a process started, in clock ticks since boot (field 22 of /proc/<pid>/stat); null if unknown. */
function processStarted(pid: number): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields?.[19] ?? null;
}

const bootId = () => readText('/proc/sys/kernel/random/boot_id');

function thisOwner(): LockOwner {
  return { pid: process.pid, started: processStarted(process.pid), boot: bootId() };
}

function readOwner(lockPath: string): LockOwner | null {
  const text = readText(lockPath);
  if (!text) return null;
  // Locks written before the owner's start was recorded hold the pid alone.
  if (/^\d+$/.test(text)) return { pid: Number(text), started: null, boot: null };
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    return Number.isInteger(owner.pid) && (owner.pid as number) > 0
      ? { pid: owner.pid as number, started: owner.started ?? null, boot: owner.boot ?? null }
      : null;
  } catch {
    return null;
  }
}

/** Whether the lock's owner is still the process that took it. */
function ownerHoldsIt(owner: LockOwner): boolean {
  if (!processIsAlive(owner.pid)) return false;
  const boot = bootId();
  if (owner.boot && boot && owner.boot !== boot) return false;
  const started = processStarted(owner.pid);
  if (owner.started && started && owner.started !== started) return false;
  return true;
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
          if (readOwner(lockPath)?.pid === process.pid) fs.rmSync(lockPath, { force: true });
        },
      };
    }
    const owner = readOwner(lockPath);
    if (owner !== null && owner.pid !== process.pid && ownerHoldsIt(owner)) {
      throw new DataDirLockedError(
        `The database folder ${dataDir} is in use by another WhatMatters process (pid ${owner.pid}). ` +
          'Stop that process first, or set DATA_DIR to another folder.',
      );
    }
    // Stale: its owner has gone (or its pid now belongs to another process). Remove and try once more.
    fs.rmSync(lockPath, { force: true });
  }
  throw new DataDirLockedError(
    `Could not lock the database folder ${dataDir}; another process keeps taking it.`,
  );
}
