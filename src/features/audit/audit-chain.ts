import { createHash, createHmac } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { DB } from '../../store/schema.js';

/**
 * The audit trail's hash chain, without any I/O: how an entry is hashed, and how a run of stored
 * entries is checked. Each entry's hash is an HMAC, under a key kept outside the database, of the
 * previous entry's hash and the entry's fields; so without the key nobody can change, delete or
 * add an entry and recompute the hashes after it. Purpose and ip, which may quote a person, enter
 * the hash through their own HMAC (`private_digest`), so erasure can remove them and the chain
 * still holds.
 */

export const GENESIS_HASH = '0'.repeat(64);

/** An audit row as read back from the database. */
export type StoredAuditRow = Selectable<DB['audit_event']>;

/**
 * An entry's fields before it is chained: what `AuditService.record` fills in. The stored row's
 * columns, less the chain's own, with the time as the ISO string (milliseconds) that is hashed.
 */
export type AuditDraft = Omit<
  StoredAuditRow,
  'audit_id' | 'occurred_at' | 'previous_hash' | 'hash' | 'private_digest' | 'redacted' | 'listed_person_ids'
> & {
  occurred_at: string;
  listed_person_ids: string[] | null;
};

/** A draft with its place in the chain: the row `wm_append_audit` inserts. */
export interface ChainedEntry extends AuditDraft {
  private_digest: string;
  previous_hash: string;
  hash: string;
}

/** Fields as the hash sees them, sorted by name so the order they are listed in does not matter. */
function canonical(fields: Record<string, string | null>): string {
  return JSON.stringify(
    Object.keys(fields)
      .sort()
      .map((key) => [key, fields[key] ?? null]),
  );
}

/** The chain's hash: HMAC-SHA256 under the audit key of the previous hash and the fields. */
export function auditHash(key: Buffer, previousHash: string, fields: Record<string, string | null>): string {
  return createHmac('sha256', key).update(previousHash).update(canonical(fields)).digest('hex');
}

/** The HMAC of the fields erasure may remove. */
export function privateDigest(key: Buffer, purpose: string | null, ip: string | null): string {
  return createHmac('sha256', key)
    .update(JSON.stringify([purpose, ip]))
    .digest('hex');
}

/**
 * A uuid as PostgreSQL stores and returns it (lower case, hyphenated), so the hash computed before
 * the insert matches the row read back. Anything that is not a uuid is left alone (the insert will
 * refuse it).
 */
export function canonicalUuid(value: string | null): string | null {
  if (value === null) return null;
  const hex = value.replace(/^\{|\}$/g, '').replaceAll('-', '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return value;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A uuid[] as read back: an array from `pg`, or its text form from drivers that leave it unparsed. */
export function readUuidList(value: unknown): string[] | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(String);
  const text = String(value).replace(/^\{|\}$/g, '');
  return text ? text.split(',') : [];
}

type HashedRow = Omit<AuditDraft, 'purpose' | 'ip'> & { private_digest: string | null };

/** The fields the chain hashes, from a draft or a stored row. */
function chainFields(row: HashedRow): Record<string, string | null> {
  return {
    occurred_at: row.occurred_at,
    actor_user_id: row.actor_user_id,
    actor_role: row.actor_role,
    action: row.action,
    resource_type: row.resource_type,
    resource_id: row.resource_id,
    person_id: row.person_id,
    outcome: row.outcome,
    private_digest: row.private_digest,
    listed_person_ids: row.listed_person_ids === null ? null : row.listed_person_ids.join(','),
  };
}

/** Drafts chained in order after `previousHash`. */
export function chainEntries(
  key: Buffer,
  previousHash: string,
  drafts: readonly AuditDraft[],
): ChainedEntry[] {
  let previous = previousHash;
  return drafts.map((draft) => {
    const private_digest = privateDigest(key, draft.purpose, draft.ip);
    const hash = auditHash(key, previous, chainFields({ ...draft, private_digest }));
    const entry = { ...draft, private_digest, previous_hash: previous, hash };
    previous = hash;
    return entry;
  });
}

/** A stored row as its draft was (timestamps as ISO strings with milliseconds). */
export function draftOf(row: StoredAuditRow): AuditDraft {
  return {
    occurred_at: row.occurred_at.toISOString(),
    actor_user_id: row.actor_user_id,
    actor_role: row.actor_role,
    action: row.action,
    resource_type: row.resource_type,
    resource_id: row.resource_id,
    person_id: row.person_id,
    purpose: row.purpose,
    ip: row.ip,
    outcome: row.outcome,
    listed_person_ids: readUuidList(row.listed_person_ids),
  };
}

/**
 * The hash an entry had before the chain was keyed (migration 0008): plain SHA-256 over every
 * field but the listed people. Used once, to check the old chain before it is re-chained.
 */
export function unkeyedHash(previousHash: string, row: StoredAuditRow): string {
  const { listed_person_ids: _listed, ...fields } = draftOf(row);
  return createHash('sha256')
    .update(previousHash)
    .update(canonical({ ...fields }))
    .digest('hex');
}

export interface ChainBreak {
  auditId: string;
  reason: string;
}

/** The action that erases a person: the reason entries about them may be redacted. */
export const ERASE_ACTION = 'erase-person';
/** The action that removes a user account: the reason entries it made may be redacted. */
export const USER_REMOVE_ACTION = 'user-remove';

/**
 * Checks stored rows, in audit_id order and batch by batch, against the keyed chain and against
 * the anchors (signed heads written outside the database). Reports the first break:
 *  - a row whose previous hash is not the hash of the row before it (a row was deleted or changed),
 *  - a row whose hash is not the HMAC of its fields (changed, or added without the key),
 *  - a row whose purpose or ip no longer match its digest, or marked redacted with text left,
 *  - an anchored row that is missing or has another hash (the newest rows were deleted, or rows
 *    were re-chained),
 *  - a redacted row whose person the trail records no erasure of.
 */
export class ChainChecker {
  checked = 0;
  lastHash = GENESIS_HASH;
  lastAuditId: string | null = null;
  firstBreak: ChainBreak | null = null;
  private readonly seenAnchors = new Set<string>();
  /** People erased, and accounts removed, so far. */
  private readonly erased = new Set<string>();
  private readonly removedAccounts = new Set<string>();
  /** Redacted entries, with the person and the account that could explain each, checked at the end. */
  private readonly redacted: { auditId: string; personId: string | null; actor: string | null }[] = [];

  constructor(
    private readonly key: Buffer,
    /** Anchored hash by audit_id. */
    private readonly anchors: ReadonlyMap<string, { hash: string; at: string }> = new Map(),
  ) {}

  /** Anchored entries found with the hash anchored. */
  get anchorsChecked(): number {
    return this.seenAnchors.size;
  }

  /** Checks the next rows; false once a break is found (later calls do nothing). */
  check(rows: readonly StoredAuditRow[]): boolean {
    for (const row of rows) {
      if (this.firstBreak) return false;
      const reason = this.problemWith(row);
      if (reason) {
        this.firstBreak = { auditId: String(row.audit_id), reason };
        return false;
      }
      this.lastHash = row.hash;
      this.lastAuditId = String(row.audit_id);
      this.checked += 1;
    }
    return true;
  }

  /** Call after the last row: checks what only the whole trail can show. */
  finish(): ChainBreak | null {
    if (this.firstBreak) return this.firstBreak;
    const last = this.lastAuditId === null ? 0n : BigInt(this.lastAuditId);
    for (const [auditId, anchor] of this.anchors) {
      if (this.seenAnchors.has(auditId)) continue;
      this.firstBreak = {
        auditId,
        reason:
          BigInt(auditId) > last
            ? `the trail ends at entry ${this.lastAuditId ?? '(none)'} but entry ${auditId} was anchored at ${anchor.at}: the newest entries were deleted`
            : `it was anchored at ${anchor.at} but is missing: it was deleted`,
      };
      return this.firstBreak;
    }
    for (const r of this.redacted) {
      const explained =
        (r.personId !== null && this.erased.has(r.personId)) ||
        (r.actor !== null && this.removedAccounts.has(r.actor));
      if (!explained) {
        this.firstBreak = {
          auditId: r.auditId,
          reason: `it is marked redacted, but the trail records neither the erasure of its person nor the removal of its user`,
        };
        return this.firstBreak;
      }
    }
    return null;
  }

  private problemWith(row: StoredAuditRow): string | null {
    const lastAuditId = this.lastAuditId;
    const auditId = String(row.audit_id);
    if (row.previous_hash !== this.lastHash) {
      return lastAuditId === null
        ? 'it is the first entry but does not start the chain: earlier entries were deleted'
        : `its previous hash does not match entry ${lastAuditId}: an entry between them was deleted, or entry ${lastAuditId} was changed`;
    }
    if (row.private_digest === null) return 'it has no digest: it was added without the audit key';
    if (row.redacted) {
      if (row.purpose !== null || row.ip !== null) return 'it is marked redacted but still has its text';
      // Kept only while unexplained: most redacted entries are explained by an erasure seen later.
      this.redacted.push({ auditId, personId: row.person_id, actor: row.actor_user_id });
    } else if (privateDigest(this.key, row.purpose, row.ip) !== row.private_digest) {
      return 'its purpose or address does not match its digest: the entry was changed';
    }
    const draft = draftOf(row);
    if (
      auditHash(
        this.key,
        row.previous_hash,
        chainFields({ ...draft, private_digest: row.private_digest }),
      ) !== row.hash
    ) {
      return 'its contents do not match its hash: the entry was changed, or written without the audit key';
    }
    const anchor = this.anchors.get(auditId);
    if (anchor) {
      if (anchor.hash !== row.hash) {
        return `its hash is not the one anchored at ${anchor.at}: the trail was re-chained from here or before`;
      }
      this.seenAnchors.add(auditId);
    }
    if (row.outcome === 'success') {
      if (row.action === ERASE_ACTION && row.person_id) this.erased.add(row.person_id);
      if (row.action === USER_REMOVE_ACTION && row.resource_id) this.removedAccounts.add(row.resource_id);
    }
    return null;
  }
}
