import { type Kysely, sql } from 'kysely';
import * as auditAppend from './0007-audit-append.js';
import { executeStatements } from './execute-statements.js';

/**
 * The keyed audit chain (issue 8). Each entry's hash becomes an HMAC with a key kept outside the
 * database, and covers `private_digest` (an HMAC of purpose and ip) instead of those two fields, so
 * that erasing a person can remove free text that quotes them without breaking the chain:
 * `redacted` marks such entries, and verification then checks the digest is still chained but no
 * longer that the text matches it. `listed_person_ids` names everyone a listing showed (a caseload
 * page), with a GIN index so an audit search for one person finds the lists they were on.
 *
 * Existing entries are re-chained with the key by the application on its first start with one
 * (`prepareAuditTrail`), after it has checked the old, unkeyed chain is intact.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`alter table audit_event add column private_digest text,
      add column redacted boolean not null default false,
      add column listed_person_ids uuid[]`,
    sql`create index audit_event_listed_idx on audit_event using gin (listed_person_ids)`,
    sql`create or replace function wm_append_audit(expected_head text, entries jsonb) returns text
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
            resource_id, person_id, purpose, ip, outcome, previous_hash, hash, private_digest,
            listed_person_ids)
          select e.occurred_at, e.actor_user_id, e.actor_role, e.action, e.resource_type,
            e.resource_id, e.person_id, e.purpose, e.ip, e.outcome, e.previous_hash, e.hash,
            e.private_digest, e.listed_person_ids
          from jsonb_populate_recordset(null::audit_event, entries) with ordinality as e
          order by e.ordinality;
        return null;
      end $$`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`drop index audit_event_listed_idx`,
    sql`drop function wm_append_audit(text, jsonb)`,
    sql`alter table audit_event drop column private_digest, drop column redacted, drop column listed_person_ids`,
  ]);
  await auditAppend.up(db);
}
