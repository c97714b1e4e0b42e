import { createHmac, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

/**
 * The audit trail's secret key and where its anchors go. The key keys the hash chain (HMAC), so
 * whoever can write to the database but does not hold the key cannot recompute the chain after
 * changing, deleting or forging entries. It therefore lives outside the database: given in the
 * environment (AUDIT_KEY), in a key file (AUDIT_KEY_FILE), or by default in `audit.key` in the
 * data folder, made on first start with owner-only permissions.
 */
export interface AuditTrailSettings {
  key: Buffer;
  /** The append-only file of signed chain heads, or null for a database in memory. */
  anchorFile: string | null;
}

export class AuditKeyError extends Error {
  override name = 'AuditKeyError';
}

/** Bytes a key must have at least: HMAC-SHA256's block of security. */
export const MIN_AUDIT_KEY_BYTES = 32;

/** A key for databases kept in memory: they and their trail end with the process. */
const processKey = randomBytes(32);

/** A key given as text: hex, or base64 / base64url, of at least 32 bytes. */
export function parseAuditKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key =
    /^[0-9a-fA-F]+$/.test(trimmed) && trimmed.length % 2 === 0
      ? Buffer.from(trimmed, 'hex')
      : Buffer.from(trimmed, 'base64');
  if (key.length < MIN_AUDIT_KEY_BYTES) {
    throw new AuditKeyError(
      `${source} must hold at least ${MIN_AUDIT_KEY_BYTES} random bytes as hex or base64 (for example from "openssl rand -base64 32")`,
    );
  }
  return key;
}

/**
 * Reads a key file, refusing one that others may read; a missing file is made with a new key
 * (owner read/write only), so the embedded database's first start needs nothing set up.
 */
export function readOrCreateKeyFile(file: string): Buffer {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      // 'wx': if another process made it in the meantime, read theirs instead.
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, `${randomBytes(32).toString('base64')}\n`);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    chmodSync(file, 0o600);
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new AuditKeyError(
      `the audit key file ${file} may be read by other users: make it readable by its owner only (chmod 600 ${file})`,
    );
  }
  return parseAuditKey(readFileSync(file, 'utf8'), `the audit key file ${file}`);
}

export interface AuditTrailOptions {
  /** AUDIT_KEY: the key itself. */
  key?: string | null;
  /** AUDIT_KEY_FILE: a file holding it. */
  keyFile?: string | null;
  /** AUDIT_ANCHOR_FILE: where the chain's heads are anchored. */
  anchorFile?: string | null;
}

/** The key and anchor file for a database in `dataDir` ('memory://' for one in memory). */
export function resolveAuditTrail(dataDir: string, options: AuditTrailOptions = {}): AuditTrailSettings {
  const inMemory = dataDir === 'memory://' || dataDir === '';
  const key = options.key
    ? parseAuditKey(options.key, 'AUDIT_KEY')
    : options.keyFile
      ? readOrCreateKeyFile(options.keyFile)
      : inMemory
        ? processKey
        : readOrCreateKeyFile(path.join(dataDir, 'audit.key'));
  const anchorFile = options.anchorFile || (inMemory ? null : path.join(dataDir, 'audit-anchors.jsonl'));
  return { key, anchorFile };
}

/**
 * A short public name for a key, kept in the database so a server started with another key
 * refuses to write to a chain it could never verify. It reveals nothing of the key.
 */
export function auditKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('whatmatters audit key id').digest('hex').slice(0, 16);
}
