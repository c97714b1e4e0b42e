import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../store/schema.js';
import type { Actor } from './actor.js';

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  personId?: string | null;
  purpose?: string | null;
  outcome?: 'success' | 'denied' | 'failure';
}

export const GENESIS_HASH = '0'.repeat(64);

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
 * Appends to the audit trail. Each entry's hash covers the previous entry's hash, so an edited or
 * deleted row breaks the chain. Appends are serialised by a transaction-level advisory lock.
 */
export class AuditService {
  constructor(private readonly db: Kysely<DB>) {}

  /** `ip` is for entries with no signed-in actor, such as a failed sign-in. */
  async record(
    actor: Actor | null,
    entry: AuditEntry,
    trx: Kysely<DB> = this.db,
    ip: string | null = null,
  ): Promise<void> {
    const append = async (tx: Kysely<DB>) => {
      await sql`select pg_advisory_xact_lock(hashtext('whatmatters.audit'))`.execute(tx);
      const last = await tx
        .selectFrom('audit_event')
        .select('hash')
        .orderBy('audit_id', 'desc')
        .limit(1)
        .executeTakeFirst();
      const previousHash = last?.hash ?? GENESIS_HASH;
      const fields = {
        occurred_at: new Date().toISOString(),
        actor_user_id: actor?.userId ?? null,
        actor_role: actor?.roles.map((r) => r.role).join(',') || null,
        action: entry.action,
        resource_type: entry.resourceType,
        resource_id: entry.resourceId ?? null,
        person_id: entry.personId ?? null,
        purpose: entry.purpose ?? null,
        ip: actor?.ip ?? ip,
        outcome: entry.outcome ?? 'success',
      };
      await tx
        .insertInto('audit_event')
        .values({ ...fields, previous_hash: previousHash, hash: auditHash(previousHash, fields) })
        .execute();
    };
    if (trx.isTransaction) await append(trx);
    else await trx.transaction().execute(append);
  }
}
