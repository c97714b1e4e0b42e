import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * Appending to the audit trail in one statement. The application computes each entry's hash from
 * the head of the chain it expects; `wm_append_audit` takes the appenders' lock, reads the real
 * head and, only if it is the one expected, inserts the entries in order. Otherwise it inserts
 * nothing and returns the real head, and the application hashes again from it. One process
 * appending (the usual case) knows the head from its last append, so an append is one round trip
 * instead of five (begin, lock, read the head, insert, commit).
 *
 * PL/pgSQL takes a new snapshot for each statement of a volatile function, so the head is read
 * after the lock is held and sees every append committed before. Called inside a caller's
 * transaction, the entries commit or roll back with it, as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create function wm_append_audit(expected_head text, entries jsonb) returns text
      language plpgsql volatile as $$
      declare
        head text;
      begin
        perform pg_advisory_xact_lock(hashtext('whatmatters.audit'));
        select a.hash into head from audit_event a order by a.audit_id desc limit 1;
        head := coalesce(head, repeat('0', 64));
        if expected_head is distinct from head then
          return head;
        end if;
        insert into audit_event (occurred_at, actor_user_id, actor_role, action, resource_type,
            resource_id, person_id, purpose, ip, outcome, previous_hash, hash)
          select e.occurred_at, e.actor_user_id, e.actor_role, e.action, e.resource_type,
            e.resource_id, e.person_id, e.purpose, e.ip, e.outcome, e.previous_hash, e.hash
          from jsonb_populate_recordset(null::audit_event, entries) with ordinality as e
          order by e.ordinality;
        return null;
      end $$`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [sql`drop function wm_append_audit(text, jsonb)`]);
}
