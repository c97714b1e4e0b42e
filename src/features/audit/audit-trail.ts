import { createHash } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import type { DB } from '../../store/schema.js';

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  personId?: string | null;
  purpose?: string | null;
  outcome?: 'success' | 'denied' | 'failure';
}

export const GENESIS_HASH = '0'.repeat(64);

/** An audit row as read back from the database. */
export type StoredAuditRow = Selectable<DB['audit_event']>;

/**
 * The columns of `audit_event` that each entry's hash covers, exactly as they were hashed: all but
 * the id and the chain's own hashes, with the time as an ISO string.
 */
export type AuditHashedFields = Omit<
  StoredAuditRow,
  'audit_id' | 'occurred_at' | 'previous_hash' | 'hash'
> & {
  occurred_at: string;
};

/** The fields that are hashed, in a fixed order, so the chain can be recomputed exactly. */
export function auditHash(previousHash: string, fields: Record<string, string | null>): string {
  const canonical = JSON.stringify(
    Object.keys(fields)
      .sort()
      .map((key) => [key, fields[key] ?? null]),
  );
  return createHash('sha256').update(previousHash).update(canonical).digest('hex');
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

/** The hashed fields of a stored row, as `record()` hashed them (timestamps as ISO strings, ms precision). */
export function hashedFieldsOf(row: StoredAuditRow): AuditHashedFields {
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
  };
}

export interface ChainBreak {
  auditId: string;
  reason: string;
}

export interface ChainCheck {
  /** Rows checked before the first break (all of them when there is none). */
  checked: number;
  /** The hash the next row's previous_hash must equal. */
  lastHash: string;
  /** The audit_id of the last row checked, or the one passed in when there were no rows. */
  lastAuditId: string | null;
  firstBreak: ChainBreak | null;
}

/**
 * Checks consecutive stored rows (in audit_id order) against the chain: each row's previous_hash
 * must be the hash of the row before it (the genesis hash for the first row), and its hash must be
 * the hash of its own fields. Pure, so a chain of any length can be checked batch by batch.
 */
export function checkChain(
  rows: readonly StoredAuditRow[],
  previousHash: string = GENESIS_HASH,
  previousAuditId: string | null = null,
): ChainCheck {
  let lastHash = previousHash;
  let lastAuditId = previousAuditId;
  let checked = 0;
  for (const row of rows) {
    const auditId = String(row.audit_id);
    if (row.previous_hash !== lastHash) {
      const reason =
        lastAuditId === null
          ? 'it is the first entry but does not start the chain: earlier entries were deleted'
          : `its previous hash does not match entry ${lastAuditId}: an entry between them was deleted, or entry ${lastAuditId} was changed`;
      return { checked, lastHash, lastAuditId, firstBreak: { auditId, reason } };
    }
    if (auditHash(row.previous_hash, { ...hashedFieldsOf(row) }) !== row.hash) {
      return {
        checked,
        lastHash,
        lastAuditId,
        firstBreak: { auditId, reason: 'its contents do not match its hash: the entry was changed' },
      };
    }
    lastHash = row.hash;
    lastAuditId = auditId;
    checked += 1;
  }
  return { checked, lastHash, lastAuditId, firstBreak: null };
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBreak: ChainBreak | null;
}

/** Rows read at a time by `verify()`: memory stays flat whatever the length of the trail. */
export const VERIFY_BATCH_SIZE = 2_000;

/** An entry waiting to be appended, with the promise its caller awaits. */
interface PendingEntry {
  fields: AuditHashedFields;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Appends to the audit trail. Each entry's hash covers the previous entry's hash, so an edited or
 * deleted row breaks the chain. Appends are serialised by a transaction-level advisory lock, taken
 * inside `wm_append_audit` (migration 0007), which inserts only if the chain's head is the one the
 * entries were hashed from.
 *
 * Entries recorded outside a transaction (every read of a record) are group-committed: while one
 * append is in flight, the entries that arrive wait and are then appended together, in arrival
 * order, in one statement. Each caller still waits until its own entry is committed, so nothing
 * is shown before its read is on the trail; under load the lock is taken once per group instead of
 * once per request, which is what made the audit trail the bottleneck of every record read.
 */
export class AuditService {
  private queue: PendingEntry[] = [];
  private flushing = false;
  /** The chain's head as this process last wrote or saw it: a guess the database checks. */
  private head: string | null = null;

  constructor(private readonly db: Kysely<DB>) {}

  /** `ip` is for entries with no signed-in actor, such as a failed sign-in. */
  async record(
    actor: Actor | null,
    entry: AuditEntry,
    trx: Kysely<DB> = this.db,
    ip: string | null = null,
  ): Promise<void> {
    const fields: AuditHashedFields = {
      occurred_at: new Date().toISOString(),
      actor_user_id: canonicalUuid(actor?.userId ?? null),
      actor_role: actor?.roles.map((r) => r.role).join(',') || null,
      action: entry.action,
      resource_type: entry.resourceType,
      resource_id: entry.resourceId ?? null,
      person_id: canonicalUuid(entry.personId ?? null),
      purpose: entry.purpose ?? null,
      ip: actor?.ip ?? ip,
      outcome: entry.outcome ?? 'success',
    };
    // Inside a caller's transaction the entry commits (or rolls back) with the caller's write.
    if (trx.isTransaction) return this.append(trx, [fields]);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ fields, resolve, reject });
      // Started after the current task, so entries recorded together (a listed page) go in one append.
      queueMicrotask(() => void this.flush());
    });
  }

  /** Appends every queued entry in one statement; runs again if more arrived meanwhile. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue;
        this.queue = [];
        try {
          await this.append(
            this.db,
            batch.map((p) => p.fields),
          );
          for (const p of batch) p.resolve();
        } catch (error) {
          if (batch.length === 1) {
            batch[0]?.reject(error);
            continue;
          }
          // One bad entry must not fail the others: append each alone, so only it is refused.
          for (const p of batch) {
            await this.append(this.db, [p.fields]).then(p.resolve, p.reject);
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * Chains and inserts entries in order, in one statement (`wm_append_audit`, migration 0007): the
   * entries are hashed from the head this process last wrote; if another process (or a rolled-back
   * transaction) moved the head, nothing is written and they are hashed again from the real one.
   */
  private async append(db: Kysely<DB>, entries: readonly AuditHashedFields[]): Promise<void> {
    for (;;) {
      const expected = this.head;
      let previousHash = expected ?? GENESIS_HASH;
      const rows = entries.map((fields) => {
        const hash = auditHash(previousHash, { ...fields });
        const row = { ...fields, previous_hash: previousHash, hash };
        previousHash = hash;
        return row;
      });
      const result = await sql<{ head: string | null }>`
        select wm_append_audit(${expected}, ${JSON.stringify(rows)}::jsonb) as head`.execute(db);
      const head = result.rows[0]?.head ?? null;
      if (head === null) {
        this.head = previousHash;
        return;
      }
      this.head = head;
    }
  }

  /**
   * Walks the whole trail in audit_id order, `batchSize` rows at a time, recomputing every hash,
   * and reports the first entry that was changed or follows a deleted one. Gaps in audit_id alone
   * are not breaks (a rolled-back transaction leaves one); a deleted row shows as the next row's
   * previous hash not matching. Entries appended while it runs are checked too, if it reaches them.
   */
  async verify(batchSize: number = VERIFY_BATCH_SIZE): Promise<AuditVerification> {
    let state: ChainCheck = { checked: 0, lastHash: GENESIS_HASH, lastAuditId: null, firstBreak: null };
    let checked = 0;
    for (;;) {
      const after = state.lastAuditId;
      const rows = await this.db
        .selectFrom('audit_event')
        .selectAll()
        .$if(after !== null, (qb) => qb.where('audit_id', '>', after as string))
        .orderBy('audit_id')
        .limit(batchSize)
        .execute();
      state = checkChain(rows, state.lastHash, state.lastAuditId);
      checked += state.checked;
      if (state.firstBreak) return { ok: false, checked, firstBreak: state.firstBreak };
      if (rows.length < batchSize) return { ok: true, checked, firstBreak: null };
    }
  }
}
