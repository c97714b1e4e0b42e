import { createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * Anchors: the audit chain's head (an entry's id and hash), written now and then to an
 * append-only file outside the database and signed with the audit key. Verification checks each
 * anchored entry is still in the trail with the same hash, so deleting the newest entries, or
 * re-chaining from an earlier point, is found even by someone who could rewrite the whole table.
 * Only what happens after the last anchor can go unseen; the interval bounds that window.
 */

export interface Anchor {
  /** When it was written (ISO). */
  at: string;
  auditId: string;
  hash: string;
}

export interface AnchorFileContents {
  anchors: Anchor[];
  /** Line numbers (from 1) that are not anchors signed with this key: the file was edited. */
  badLines: number[];
}

function signature(key: Buffer, anchor: Anchor): string {
  return createHmac('sha256', key)
    .update(`whatmatters audit anchor|${anchor.at}|${anchor.auditId}|${anchor.hash}`)
    .digest('hex');
}

function signedBy(key: Buffer, anchor: Anchor, mac: unknown): boolean {
  if (typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac)) return false;
  return timingSafeEqual(Buffer.from(mac, 'hex'), Buffer.from(signature(key, anchor), 'hex'));
}

export class AuditAnchorFile {
  constructor(
    readonly file: string,
    private readonly key: Buffer,
  ) {}

  /** Appends one signed line and waits until it is on disk. */
  append(anchor: Anchor): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const line = `${JSON.stringify({ ...anchor, mac: signature(this.key, anchor) })}\n`;
    // 'a': every write goes to the end, whoever else appends; one short write is one line.
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, line);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  read(): AnchorFileContents {
    if (!existsSync(this.file)) return { anchors: [], badLines: [] };
    const anchors: Anchor[] = [];
    const badLines: number[] = [];
    const lines = readFileSync(this.file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        const value = JSON.parse(line) as Record<string, unknown>;
        const anchor = {
          at: String(value.at),
          auditId: String(value.auditId),
          hash: String(value.hash),
        };
        if (/^[1-9][0-9]*$/.test(anchor.auditId) && signedBy(this.key, anchor, value.mac)) {
          anchors.push(anchor);
          return;
        }
      } catch {
        // not JSON: reported below
      }
      // A torn last line (a crash mid-write) is not tampering; anything else is.
      if (index !== lines.length - 1) badLines.push(index + 1);
    });
    return { anchors, badLines };
  }
}
