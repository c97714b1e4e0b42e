import { type Kysely, sql } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import { AuditKeyError, type AuditTrailSettings, auditKeyId } from '../../store/audit-key.js';
import type { DB } from '../../store/schema.js';
import { type Anchor, AuditAnchorFile } from './audit-anchors.js';
import {
  type AuditDraft,
  type ChainBreak,
  ChainChecker,
  type ChainedEntry,
  canonicalUuid,
  chainEntries,
  draftOf,
  GENESIS_HASH,
  unkeyedHash,
} from './audit-chain.js';

export { type ChainBreak, GENESIS_HASH, type StoredAuditRow } from './audit-chain.js';

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  personId?: string | null;
  purpose?: string | null;
  outcome?: 'success' | 'denied' | 'failure';
  /** Everyone a listing showed, when an entry is about more than one person (a caseload page). */
  listedPersonIds?: readonly string[];
}

/**
 * Text from a request (a refused path's id, a purpose typed in) as the trail can store it: the
 * database refuses a NUL character, and a refusal must still be recorded rather than fail.
 */
const storable = (text: string | null | undefined): string | null =>
  text === undefined || text === null ? null : text.replaceAll('\u0000', '\\0');

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** Anchored entries found in the trail with the hash anchored. */
  anchorsChecked: number;
  firstBreak: ChainBreak | null;
}

/** Rows read at a time by `verify()`: memory stays flat whatever the length of the trail. */
export const VERIFY_BATCH_SIZE = 2_000;

/** An entry waiting to be appended, with the promise its caller awaits. */
interface PendingEntry {
  fields: AuditDraft;
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
  private readonly key: Buffer;
  private readonly anchorFile: AuditAnchorFile | null;
  /** The last head this process anchored, so an idle trail is not anchored again and again. */
  private lastAnchored: string | null = null;

  constructor(
    private readonly db: Kysely<DB>,
    settings: AuditTrailSettings,
  ) {
    this.key = settings.key;
    this.anchorFile = settings.anchorFile ? new AuditAnchorFile(settings.anchorFile, settings.key) : null;
  }

  /** `ip` is for entries with no signed-in actor, such as a failed sign-in. */
  async record(
    actor: Actor | null,
    entry: AuditEntry,
    trx: Kysely<DB> = this.db,
    ip: string | null = null,
  ): Promise<void> {
    const fields = entryDraft(actor, entry, ip);
    // Inside a caller's transaction the entry commits (or rolls back) with the caller's write.
    if (trx.isTransaction) return this.append(trx, [fields]);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ fields, resolve, reject });
      // Started after the current task, so entries recorded together (a listed page) go in one append.
      queueMicrotask(() => void this.flush());
    });
  }

  /**
   * Many entries by one actor inside the caller's transaction (a bulk import's batch), appended in
   * one statement: they commit or roll back with the caller's writes.
   */
  async recordAll(actor: Actor | null, entries: readonly AuditEntry[], trx: Kysely<DB>): Promise<void> {
    if (!trx.isTransaction) throw new Error('recordAll is for entries inside a transaction');
    if (entries.length)
      await this.append(
        trx,
        entries.map((entry) => entryDraft(actor, entry, null)),
      );
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
  private async append(db: Kysely<DB>, entries: readonly AuditDraft[]): Promise<void> {
    for (;;) {
      const expected = this.head;
      const rows = chainEntries(this.key, expected ?? GENESIS_HASH, entries);
      const result = await sql<{ head: string | null }>`
        select wm_append_audit(${expected}, ${JSON.stringify(rows)}::jsonb) as head`.execute(db);
      const head = result.rows[0]?.head ?? null;
      if (head === null) {
        this.head = rows.at(-1)?.hash ?? expected;
        return;
      }
      this.head = head;
    }
  }

  /**
   * Writes the chain's committed head to the anchor file, unless it is the one this process
   * anchored last. Returns what it anchored (null when nothing new, or no anchor file).
   */
  async anchor(): Promise<Anchor | null> {
    if (!this.anchorFile) return null;
    const head = await this.db
      .selectFrom('audit_event')
      .select(['audit_id', 'hash'])
      .orderBy('audit_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!head || head.hash === this.lastAnchored) return null;
    const anchor = { at: new Date().toISOString(), auditId: String(head.audit_id), hash: head.hash };
    this.anchorFile.append(anchor);
    this.lastAnchored = head.hash;
    return anchor;
  }

  /**
   * Removes the free text (purpose and ip) of every entry about a person, and of every entry their
   * own removed accounts made, inside the transaction that erases their record. The entries stay,
   * with who did what and when; their digests keep the chain whole, and verification accepts the
   * gap because the erasure (and each account's removal) is on the trail.
   */
  async redactAbout(
    trx: Kysely<DB>,
    whose: { personId: string; accountIds: readonly string[] },
  ): Promise<number> {
    const result = await trx
      .updateTable('audit_event')
      .set({ purpose: null, ip: null, redacted: true })
      .where((eb) =>
        eb.or([
          eb('person_id', '=', whose.personId),
          ...(whose.accountIds.length ? [eb('actor_user_id', 'in', whose.accountIds)] : []),
        ]),
      )
      .where('redacted', '=', false)
      .where((eb) => eb.or([eb('purpose', 'is not', null), eb('ip', 'is not', null)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Walks the whole trail in audit_id order, `batchSize` rows at a time, checking every entry's
   * keyed hash, its digest and the anchors (see `ChainChecker`), and reports the first break. Gaps
   * in audit_id alone are not breaks (a rolled-back transaction leaves one). It reads committed
   * rows only, so it runs beside a serving process; entries appended while it runs are checked
   * too, if it reaches them. An intact trail's head is then anchored.
   */
  async verify(batchSize: number = VERIFY_BATCH_SIZE): Promise<AuditVerification> {
    const file = this.anchorFile?.read() ?? { anchors: [], badLines: [] };
    const anchors = new Map(file.anchors.map((a) => [a.auditId, { hash: a.hash, at: a.at }]));
    const checker = new ChainChecker(this.key, anchors);
    const outcome = (): AuditVerification => ({
      ok: checker.firstBreak === null,
      checked: checker.checked,
      anchorsChecked: checker.anchorsChecked,
      firstBreak: checker.firstBreak,
    });
    if (file.badLines.length) {
      checker.firstBreak = {
        auditId: 'anchors',
        reason: `line ${file.badLines.join(', ')} of the anchor file ${this.anchorFile?.file} is not signed with the audit key: the file was edited`,
      };
      return outcome();
    }
    for (;;) {
      const after = checker.lastAuditId;
      const rows = await this.db
        .selectFrom('audit_event')
        .selectAll()
        .$if(after !== null, (qb) => qb.where('audit_id', '>', after as string))
        .orderBy('audit_id')
        .limit(batchSize)
        .execute();
      if (!checker.check(rows)) return outcome();
      if (rows.length < batchSize) break;
    }
    checker.finish();
    if (checker.firstBreak === null) await this.anchor();
    return outcome();
  }
}

/** Where the id of the key the chain is keyed with is kept. */
const KEY_ID_META = 'audit-key-id';

async function storedKeyId(db: Kysely<DB>): Promise<string | undefined> {
  const row = await db
    .selectFrom('app_meta')
    .select('value')
    .where('key', '=', KEY_ID_META)
    .executeTakeFirst();
  return row ? String(row.value) : undefined;
}

function keyMismatch(stored: string, given: string): AuditKeyError {
  return new AuditKeyError(
    `the audit key is not the one this database's audit trail is chained with (its key id is ${stored}, this key's is ${given}): start with the same AUDIT_KEY or AUDIT_KEY_FILE as before`,
  );
}

/**
 * Makes sure the trail is chained with this key before anything is appended. The first start
 * with a key (a new database, or one whose trail predates migration 0008) checks the old,
 * unkeyed chain is intact and re-chains every entry with the key, in one transaction holding the
 * appenders' lock; later starts only check the key is the same one. Returns the entries re-chained.
 */
export async function prepareAuditTrail(db: Kysely<DB>, settings: AuditTrailSettings): Promise<number> {
  const id = auditKeyId(settings.key);
  const stored = await storedKeyId(db);
  if (stored === id) return 0;
  if (stored !== undefined) throw keyMismatch(stored, id);
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('whatmatters.audit'))`.execute(trx);
    const again = await storedKeyId(trx);
    if (again === id) return 0;
    if (again !== undefined) throw keyMismatch(again, id);
    let oldPrevious = GENESIS_HASH;
    let newPrevious = GENESIS_HASH;
    let after: string | null = null;
    let rechained = 0;
    for (;;) {
      const rows = await trx
        .selectFrom('audit_event')
        .selectAll()
        .$if(after !== null, (qb) => qb.where('audit_id', '>', after as string))
        .orderBy('audit_id')
        .limit(VERIFY_BATCH_SIZE)
        .execute();
      const updates = rows.map((row) => {
        if (row.previous_hash !== oldPrevious || unkeyedHash(oldPrevious, row) !== row.hash) {
          throw new AuditKeyError(
            `the audit trail is broken at entry ${row.audit_id}, so it cannot be keyed: restore it from a backup, or find out who changed it`,
          );
        }
        oldPrevious = row.hash;
        const entry = chainEntries(settings.key, newPrevious, [draftOf(row)])[0] as ChainedEntry;
        newPrevious = entry.hash;
        return {
          audit_id: String(row.audit_id),
          private_digest: entry.private_digest,
          previous_hash: entry.previous_hash,
          hash: entry.hash,
        };
      });
      if (updates.length) {
        await sql`update audit_event a
          set private_digest = u.private_digest, previous_hash = u.previous_hash, hash = u.hash
          from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb)
            as u(audit_id bigint, private_digest text, previous_hash text, hash text)
          where a.audit_id = u.audit_id`.execute(trx);
      }
      rechained += rows.length;
      after = rows.at(-1) ? String(rows.at(-1)?.audit_id) : after;
      if (rows.length < VERIFY_BATCH_SIZE) break;
    }
    await trx
      .insertInto('app_meta')
      .values({ key: KEY_ID_META, value: JSON.stringify(id) })
      .execute();
    return rechained;
  });
}

/** An entry as the row the chain appends (its hash is computed on append). */
function entryDraft(actor: Actor | null, entry: AuditEntry, ip: string | null): AuditDraft {
  return {
    occurred_at: new Date().toISOString(),
    // A system client acts as its own account (client-account.ts); its role says it is no person.
    actor_user_id: canonicalUuid(actor?.userId ?? null),
    actor_role: actor?.client ? 'api-client' : actor?.roles.map((r) => r.role).join(',') || null,
    action: entry.action,
    resource_type: entry.resourceType,
    resource_id: storable(entry.resourceId),
    person_id: canonicalUuid(entry.personId ?? null),
    purpose: storable(entry.purpose),
    ip: actor?.ip ?? ip,
    outcome: entry.outcome ?? 'success',
    listed_person_ids: entry.listedPersonIds
      ? entry.listedPersonIds.map((id) => canonicalUuid(id) as string)
      : null,
  };
}
